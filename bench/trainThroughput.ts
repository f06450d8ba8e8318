/**
 * Training throughput: sequences per second through `trainKwsModel` (batch making — composition,
 * MFCC, input memory — plus the tfjs step) at a given model shape, with the memory precomputed
 * per input (inputMemory.ts, the default) and with the LMU layer's own parallel (Toeplitz) mode.
 * The data are generated clips in the shape of kws train's sequences, so no corpus is needed.
 *
 *     npx tsx bench/trainThroughput.ts [--clips 256] [--order 16] [--memory-d 8] [--hidden 96] [--head 0]
 *     npx tsx bench/trainThroughput.ts --exploration [--clips 1024]   (issue 14's shape and augmentation, median of 3)
 */
import { parseArgs } from 'util';
import { resolveFeatureConfig, INT16_SAMPLE_SCALE } from '../src/features/config';
import { LmuOptions } from '../src/lmu/options';
import { trainKwsModel } from '../src/train/trainer';
import { TRAIN_DEFAULTS } from '../src/train/defaults';
import { Augmentation } from '../src/data/sequence';
import { generatedData } from './generatedData';

export interface ThroughputShape {
  lmu: LmuOptions;
  headUnits: number;
  coefficients: number;
}

/** The shape of issue 14's exploration runs: --order 16 --memory-d 20 --hidden 128 --hidden-activation relu --head 64. */
export const EXPLORATION_SHAPE: ThroughputShape = {
  lmu: { order: 16, theta: 100, memoryD: 20, hiddenUnits: 128, hiddenActivation: 'relu', inputToHidden: true },
  headUnits: 64,
  coefficients: 20,
};

/**
 * The shape issue 14 measured training at when it was filed (order 32, 24 channels, 192 hidden, a
 * 128 head: 408 s for an epoch of 4 800 one-second sequences on one core of a busy machine, wasm),
 * and that rate in sequences per second: the "today's" its 5× is counted from.
 */
export const ISSUE_SHAPE: ThroughputShape = {
  lmu: { order: 32, theta: 100, memoryD: 24, hiddenUnits: 192, hiddenActivation: 'relu', inputToHidden: true },
  headUnits: 128,
  coefficients: 20,
};
export const ISSUE_SEQUENCES_PER_SEC = 4800 / 408;

/** The augmentation of such a run: noise, speed perturbation, one time and one frequency mask. */
export const REAL_RUN_AUGMENTATION: Augmentation = {
  maxShift: TRAIN_DEFAULTS.maxShift,
  noiseProb: 0.6,
  snrDb: [0, 20],
  gainDb: TRAIN_DEFAULTS.gainDb,
  speedProb: 0.3,
  speed: TRAIN_DEFAULTS.speed,
  timeMasks: 1,
  timeMaskFrames: TRAIN_DEFAULTS.timeMaskFrames,
  freqMasks: 1,
  freqMaskCoefficients: TRAIN_DEFAULTS.freqMaskCoefficients,
};
/** … with kws train's class balancing and word-span targets. */
export const REAL_RUN_BALANCE = TRAIN_DEFAULTS.balance;
export const REAL_RUN_WORD_SPAN = TRAIN_DEFAULTS.wordSpanWeight;

/** The augmentation the throughput rows of BENCHMARKS.md were first measured with (kept, so they stay comparable). */
const PLAIN_AUGMENTATION: Augmentation = { maxShift: 2400, noiseProb: 0.5, snrDb: [5, 25], gainDb: [-10, 6] };

/**
 * Training sequences per second in an epoch of `clips` sequences (batch 32): the second of two,
 * which like every epoch of a real run after the first starts on batches made ahead during the
 * previous one's measurement (the first also gets the ones made beside the measurement features).
 */
export async function trainThroughput(
  shape: ThroughputShape,
  clips: number,
  precomputeMemory: boolean,
  batchWorker: boolean,
  augmentation = PLAIN_AUGMENTATION,
): Promise<number> {
  const real = augmentation === REAL_RUN_AUGMENTATION;
  const data = generatedData(clips, 1, 24, real ? REAL_RUN_WORD_SPAN : 0);
  const result = await trainKwsModel(
    data,
    {
      features: resolveFeatureConfig({ coefficients: shape.coefficients, sampleScale: INT16_SAMPLE_SCALE }),
      model: { lmu: shape.lmu, headUnits: shape.headUnits },
      epochs: 2,
      batchSize: 32,
      learningRate: 1e-3,
      patience: 2,
      seed: 1,
      augmentation,
      ...(real && { balancePower: REAL_RUN_BALANCE }),
      precomputeMemory,
      batchWorker,
    },
    { quiet: true },
  );
  const seconds = result.history[1].seconds;
  result.model.dispose();
  return clips / seconds;
}

/**
 * Sequences per epoch of the exploration figure: 32 batches, twice BATCHES_AHEAD (trainer.ts), so
 * that as in a real run (66 batches) the batches made ahead during a measurement are a part of the
 * next epoch, not all of it — with 8 batches the whole epoch was ready before it began.
 */
export const EXPLORATION_CLIPS = 1024;

/**
 * kws train's path (precomputed memory, batch worker) at EXPLORATION_SHAPE with the real run's
 * augmentation: the median of `runs` runs of trainThroughput, in sequences per second. The epoch includes
 * its measurement (every clip, unaugmented, as TRAIN_MEASURE_CLIPS does up to 1000, and 24 validation clips).
 */
export async function explorationThroughput(clips = EXPLORATION_CLIPS, runs = 3): Promise<{ median: number; rates: number[] }> {
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) rates.push(await trainThroughput(EXPLORATION_SHAPE, clips, true, true, REAL_RUN_AUGMENTATION));
  return { median: [...rates].sort((a, b) => a - b)[runs >> 1], rates };
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      exploration: { type: 'boolean', default: false },
      clips: { type: 'string' },
      order: { type: 'string', default: '16' },
      'memory-d': { type: 'string', default: '8' },
      hidden: { type: 'string', default: '96' },
      head: { type: 'string', default: '0' },
    },
  });
  const shape: ThroughputShape = {
    lmu: {
      order: Number(values.order),
      theta: 100,
      memoryD: Number(values['memory-d']),
      hiddenUnits: Number(values.hidden),
      hiddenActivation: 'relu',
      inputToHidden: true,
    },
    headUnits: Number(values.head),
    coefficients: 20,
  };
  (async () => {
    const clips = Number(values.clips ?? (values.exploration ? EXPLORATION_CLIPS : 256));
    if (values.exploration) {
      const { median, rates } = await explorationThroughput(clips);
      console.log(
        `exploration shape, real-run augmentation, ${clips} sequences: median ${median.toFixed(1)} seq/s (runs: ${rates.map((r) => r.toFixed(1)).join(', ')})`,
      );
      return;
    }
    const before = await trainThroughput(shape, clips, false, false);
    const memory = await trainThroughput(shape, clips, true, false);
    const both = await trainThroughput(shape, clips, true, true);
    console.log(
      `order ${shape.lmu.order}, memoryD ${shape.lmu.memoryD}, hidden ${shape.lmu.hiddenUnits}, head ${shape.headUnits}, ${clips} sequences:`,
    );
    console.log(`  LMU layer (Toeplitz), batches on the main thread: ${before.toFixed(1)} seq/s`);
    console.log(`  precomputed memory, loss frames only:             ${memory.toFixed(1)} seq/s (×${(memory / before).toFixed(1)})`);
    console.log(`  … and batches made in a worker thread:            ${both.toFixed(1)} seq/s (×${(both / before).toFixed(1)})`);
  })();
}
