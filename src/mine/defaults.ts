/** The defaults of `kws mine`: the library applies them, the CLI shows them. No heavy imports. */
export const MINE_DEFAULTS = Object.freeze({
  /** Hours of negative stream to run the model over. */
  hours: 1,
  /**
   * Windows are kept where a keyword's smoothed posterior crosses this × its threshold: near
   * misses are hard negatives too, and the next model's threshold may sit lower.
   */
  thresholdScale: 0.5,
  seed: 1,
  /**
   * Share of the stream's items that are running speech (3–8 s of a recording) rather than one
   * `_unknown_` clip: ordinary speech is where wake words fire (issue 15).
   */
  speechShare: 0.5,
});
