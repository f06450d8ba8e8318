/**
 * Training throughput: sequences per second through `trainKwsModel` (batch making — composition,
 * MFCC, input memory — plus the tfjs step) at a given model shape, with the memory precomputed
 * per input (inputMemory.ts, the default) and with the LMU layer's own parallel (Toeplitz) mode.
 * The data are generated clips in the shape of kws train's sequences, so no corpus is needed.
 *
 *     npx tsx bench/trainThroughput.ts [--clips 256] [--order 16] [--memory-d 8] [--hidden 96] [--head 0]
 */
import { parseArgs } from 'util';
import { resolveFeatureConfig, INT16_SAMPLE_SCALE } from '../src/features/config';
import { LmuOptions } from '../src/lmu/options';
import { TARGET_SAMPLE_RATE } from '../src/audio/source';
import { LabelledClip } from '../src/data/sequence';
import { Rng } from '../src/data/random';
import { trainKwsModel } from '../src/train/trainer';
import { TrainingData } from '../src/data/clips';

export interface ThroughputShape {
  lmu: LmuOptions;
  headUnits: number;
  coefficients: number;
}

/** `n` one-second clips of noise bursts in 12 classes, and noise as background. */
function generatedData(n: number, seed: number): TrainingData {
  const rng = new Rng(seed);
  const rate = TARGET_SAMPLE_RATE;
  const clip = (label: number): LabelledClip => {
    const samples = new Float32Array(rate);
    const start = 3000 + rng.int(4000);
    const f = 200 + 150 * label;
    for (let i = start; i < start + 5000; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * f * i) / rate) + 0.05 * rng.normal();
    return { samples, label, word: { start, end: start + 5000 } };
  };
  const labels = Array.from({ length: 12 }, (_, i) => `c${i}`);
  const train = Array.from({ length: n }, (_, i) => clip(i % 10));
  const validation = Array.from({ length: 24 }, (_, i) => clip(i % 10));
  const noise = [Float32Array.from({ length: 10 * rate }, () => 0.01 * rng.normal())];
  return {
    dataset: {} as TrainingData['dataset'],
    labels,
    silence: 11,
    clips: { train, validation, test: [] },
    background: noise,
    noise,
    speech: { train: [], validation: [], test: [] },
    files: { noise: [''], speech: { train: [], validation: [], test: [] } },
    layout: { leadInSamples: 0.3 * rate, clipSamples: rate, tailSamples: 0.3 * rate },
    wordSpanWeight: 0,
    warnings: [],
  };
}

/** Training sequences per second for one epoch of `clips` sequences (batch 32). */
export async function trainThroughput(
  shape: ThroughputShape,
  clips: number,
  precomputeMemory: boolean,
  batchWorker: boolean,
): Promise<number> {
  const data = generatedData(clips, 1);
  const result = await trainKwsModel(
    data,
    {
      features: resolveFeatureConfig({ coefficients: shape.coefficients, sampleScale: INT16_SAMPLE_SCALE }),
      model: { lmu: shape.lmu, headUnits: shape.headUnits },
      epochs: 1,
      batchSize: 32,
      learningRate: 1e-3,
      patience: 1,
      seed: 1,
      augmentation: { maxShift: 2400, noiseProb: 0.5, snrDb: [5, 25], gainDb: [-10, 6] },
      precomputeMemory,
      batchWorker,
    },
    { quiet: true },
  );
  const seconds = result.history[0].seconds;
  result.model.dispose();
  return clips / seconds;
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      clips: { type: 'string', default: '256' },
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
    const clips = Number(values.clips);
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
