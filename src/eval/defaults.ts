/** The defaults of `kws eval`: the library applies them, the CLI shows them. No heavy imports. */
export const EVAL_DEFAULTS = Object.freeze({
  /** Minutes of composed detection stream (FRR, false alarms per hour). */
  minutes: 60,
  /** Seed of the stream composition. */
  seed: 1,
  /** With --wakeword: hours of each background stream. */
  wakewordHours: 1,
});
