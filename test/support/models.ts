/**
 * Model directories made on the spot, for tests and benchmarks (no tfjs, no training):
 * - randomRuntimeWeights: any LMU shape with seeded random weights (benchmarks: order 64/256);
 * - energyDetectorWeights: a hand-made model whose keyword posterior follows the recent loudness
 *   (the LMU's first Legendre coefficient of the normalised c0 ≈ its moving average over θ),
 *   so it fires on every loud spoken segment — enough to test that the pipeline is exact, not smart.
 * - writeModelDir: runtime.json + kws.json through src/model's writers (no tfjs model).
 */
import * as path from 'path';
import { DEFAULT_FEATURE_CONFIG, FeatureNormalization } from '../../src/features/config';
import { LmuOptions, resolveLmuOptions, lmuOutputSize } from '../../src/lmu/options';
import { lmuOptionsOf, RuntimeWeights, RUNTIME_FORMAT, WeightMatrix } from '../../src/lmu/weights';
import { RUNTIME_FILE, saveRuntimeWeights } from '../../src/model/runtimeFile';
import { paramCount } from '../../src/lmu/cost';
import { costOf } from '../../src/model/size';
import { KwsModelConfig, MODEL_FORMAT, writeModelConfig } from '../../src/model/kwsJson';
import { TFJS_MODEL_FILE } from '../../src/model/tfjsFiles';
import { DEFAULT_SMOOTHER_SETTINGS, SmootherConfig } from '../../src/model/smootherConfig';
import { Rng } from '../../src/data/random';
import { openAudio } from '../../src/audio/open';
import { featuresOf } from '../../src/features/stream';
import { featureStatistics } from '../../src/features/normalize';

/** The default model's keywords (issue 4) plus the two filler classes. */
export const KEYWORDS = ['yes', 'no', 'up', 'down', 'left', 'right', 'on', 'off', 'stop', 'go'];
export const LABELS = ['_silence_', '_unknown_', ...KEYWORDS];

function matrix(shape: number[], fill: (i: number) => number): WeightMatrix {
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: size }, (_, i) => fill(i)) };
}

/** Seeded random weights (Glorot-like scale) for an LMU + dense head with `labels.length` outputs. */
export function randomRuntimeWeights(lmu: LmuOptions, inputSize: number, head: number[], classes: number, seed = 1): RuntimeWeights {
  const o = resolveLmuOptions(lmu);
  const rng = new Rng(seed);
  const rand = (rows: number, cols?: number) => {
    const shape = cols === undefined ? [rows] : [rows, cols];
    const scale = cols === undefined ? 0.1 : Math.sqrt(2 / (rows + cols));
    return matrix(shape, () => (rng.next() * 2 - 1) * scale);
  };
  const mem = o.memoryD * o.order;
  const { returnSequences: _ignored, ...options } = o;
  const weights: RuntimeWeights = {
    format: RUNTIME_FORMAT,
    inputSize,
    lmu: { ...options, kernel: rand(inputSize + (o.hiddenToMemory ? o.hiddenUnits : 0), o.memoryD) },
    dense: [],
  };
  if (o.memoryToMemory) weights.lmu.recurrentKernel = rand(mem, o.memoryD);
  if (o.hiddenUnits > 0) {
    const hiddenIn = mem + (o.inputToHidden ? inputSize : 0);
    if (o.hiddenRank > 0) weights.lmu.hiddenProjection = rand(hiddenIn, o.hiddenRank);
    weights.lmu.hiddenKernel = rand(o.hiddenRank || hiddenIn, o.hiddenUnits);
    weights.lmu.hiddenBias = rand(o.hiddenUnits);
  }
  let width = lmuOutputSize(o);
  for (const units of [...head, classes]) {
    weights.dense.push({ activation: units === classes ? 'softmax' : 'relu', kernel: rand(width, units), bias: rand(units) });
    width = units;
  }
  return weights;
}

/**
 * Hand-made: memory of the normalised c0 over θ = 30 frames; logit(keyword) = gain·m₀ − offset,
 * all other logits 0, so keyword's posterior rises while the last ~0.3 s were loud.
 */
export function energyDetectorWeights(
  keyword: string,
  labels: readonly string[] = LABELS,
  inputSize = DEFAULT_FEATURE_CONFIG.coefficients,
): RuntimeWeights {
  const order = 4;
  const k = labels.indexOf(keyword);
  if (k < 0) throw new Error(`${keyword} is not a label`);
  const gain = 8;
  const offset = 2;
  return {
    format: RUNTIME_FORMAT,
    inputSize,
    lmu: {
      ...(({ returnSequences: _r, ...o }) => o)(resolveLmuOptions({ order, theta: 30 })),
      kernel: matrix([inputSize, 1], (i) => (i === 0 ? 1 : 0)),
    },
    dense: [
      {
        activation: 'softmax',
        kernel: matrix([order, labels.length], (i) => (i === k ? gain : 0)), // row 0 (m₀), column k
        bias: matrix([labels.length], (i) => (i === k ? -offset : 0)),
      },
    ],
  };
}

/** Feature statistics of a WAV (default: fixtures/demo.wav), so hand-made models see normalised input. */
export async function wavNormalization(
  coefficients: number,
  wav = path.join(__dirname, '..', '..', 'fixtures', 'demo.wav'),
): Promise<FeatureNormalization> {
  const frames: Float32Array[] = [];
  for await (const f of featuresOf(await openAudio(wav), { coefficients })) frames.push(f);
  return featureStatistics(frames, coefficients);
}

export interface ModelDirOptions {
  labels?: readonly string[];
  keywords?: readonly string[];
  normalization?: FeatureNormalization;
  smoother?: Partial<SmootherConfig>;
  threshold?: number;
  name?: string;
}

/** Writes `dir/runtime.json` and `dir/kws.json`; returns dir. */
export function writeModelDir(dir: string, weights: RuntimeWeights, opts: ModelDirOptions = {}): string {
  const labels = [...(opts.labels ?? LABELS)];
  const keywords = [...(opts.keywords ?? labels.filter((l) => !l.startsWith('_')))];
  const n = weights.inputSize;
  saveRuntimeWeights(dir, weights);
  const params = paramCount(weights);
  const lmu = lmuOptionsOf(weights.lmu);
  const config: KwsModelConfig = {
    format: MODEL_FORMAT,
    name: opts.name ?? path.basename(dir),
    labels,
    keywords,
    features: { ...DEFAULT_FEATURE_CONFIG, coefficients: n },
    normalization: opts.normalization ?? { mean: new Array(n).fill(0), std: new Array(n).fill(1) },
    lmu,
    smoother: {
      ...DEFAULT_SMOOTHER_SETTINGS,
      thresholds: Object.fromEntries(keywords.map((kw) => [kw, opts.threshold ?? 0.5])),
      ...opts.smoother,
    },
    params,
    bytes: params * 4,
    ...costOf(weights),
    files: { tfjs: TFJS_MODEL_FILE, runtime: RUNTIME_FILE },
  };
  writeModelConfig(dir, config);
  return dir;
}
