/**
 * The defaults of `kws train` and `kws thresholds`, in one place: the library applies them to
 * whatever the caller leaves out, and the CLI shows them as its option defaults. No heavy
 * imports, so `kws --help` stays instant.
 */
import { INT16_SAMPLE_SCALE } from '../features/config';
import type { MelCompression } from '../features/pcen';
import type { Architecture } from '../rivals/options';
import { SPEECH_GAP_SEC } from '../data/speechGap';

export const TRAIN_DEFAULTS = Object.freeze({
  /** The network: the LMU, or a rival of it (src/rivals/options.ts; their sizes are RIVAL_DEFAULTS'). */
  arch: 'lmu' as Architecture,
  seed: 1,
  epochs: 25,
  batchSize: 32,
  lr: 3e-3,
  patience: 6,
  order: 48,
  theta: 100,
  memoryD: 6,
  hidden: 96,
  /** 0: the hidden cell's kernel is full rank. */
  hiddenRank: 0,
  hiddenActivation: 'tanh' as 'tanh' | 'relu',
  /** LMU layers stacked, all with the options above. */
  layers: 1,
  /** Units of the per-frame ReLU layer before the LMU (0 = none: the features feed the memory). */
  front: 0,
  head: 64,
  dropout: 0.1,
  coefficients: 20,
  sampleScale: INT16_SAMPLE_SCALE,
  compression: 'log' as MelCompression,
  /** On-the-fly background noise: probability per sequence and SNR range (dB). */
  noiseProb: 0.5,
  snrDb: [5, 25] as [number, number],
  speedProb: 0,
  speed: [0.9, 1.1] as [number, number],
  reverbProb: 0,
  rt60: [0.2, 0.8] as [number, number],
  timeMasks: 0,
  timeMaskFrames: 10,
  freqMasks: 0,
  freqMaskCoefficients: 3,
  weightDecay: 0,
  /** Epochs the kept weights are averaged over (trainer.ts TrainConfig.averageEpochs); 0 = the last step's. */
  averageEpochs: 0,
  balance: 0.5,
  /** Training `_unknown_` clips cut from background speech, % of the keyword clips (DatasetOptions.speechUnknownPercent). */
  speechUnknownPercent: 0,
  /** Running speech just before a training word: probability, and the gap (s) between the speech and the word. */
  speechBeforeProb: 0,
  speechGapSec: [...SPEECH_GAP_SEC] as [number, number],
  /**
   * Weight of "this word or no keyword" while a training word is spoken and after it fires (0 = no
   * loss there; sequence.ts). docs/model-trials.md r13: a better detector than no loss there (lower
   * FRR at every false-alarm budget) and 9 of 10 fixture keywords against 6, at the same clip accuracy.
   */
  wordSpanWeight: 0.3,
  /** Running-speech training sequences ("no keyword" throughout), % of the keyword clips. */
  runningSpeechPercent: 0,
  /** Seconds of background before each training clip with speech before the word (room for it; else clips.ts's lead-in). */
  speechLeadInSec: 1.0,
  /** Largest shift of a clip inside its training window, samples (0.15 s at 16 kHz). */
  maxShift: 2400,
  /** Random gain range of a training sequence, dB. */
  gainDb: [-10, 6] as [number, number],
});

/**
 * Default length of the validation stream the thresholds are chosen on. 1 FA/h shared by ten
 * keywords is 0.1 FA/h each: a 1 h stream could only say "zero false alarms", so one stray alarm
 * set a threshold near 1; ten hours let each keyword have its one.
 */
export const THRESHOLD_STREAM_MINUTES = 600;
/** Default false-alarm budget, all keywords together. */
export const TARGET_FA_PER_HOUR = 1;
