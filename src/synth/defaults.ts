/** The defaults of `kws synth`: synthesize() applies them, and the CLI shows them as its option defaults. */
export const SYNTH_DEFAULTS = Object.freeze({
  seed: 1,
  perWord: 300,
  /** Parallel TTS processes. */
  jobs: 2,
  /** Length of each `_background_noise_` file, seconds. */
  backgroundSec: 60,
  /** Percent of speakers held out for validation and for testing. */
  validationPercent: 10,
  testingPercent: 10,
});
