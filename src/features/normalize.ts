/**
 * Per-coefficient standardisation with the training set's statistics:
 *   y[j] = (x[j] − mean[j]) / std[j]
 * makeNormalizer checks the statistics once and returns a pure per-frame function.
 */
import { ConfigError } from '../errors';
import { FeatureNormalization } from './config';

/** Writes (x − mean)/std into `out` (default: a new array) and returns it; `out` may be `frame`. */
export type Normalizer = (frame: Float32Array, out?: Float32Array) => Float32Array;

/** @throws ConfigError when the stats do not have `coefficients` entries or a std is not > 0 and finite. */
export function makeNormalizer(norm: FeatureNormalization, coefficients: number): Normalizer {
  const { mean, std } = norm;
  if (mean?.length !== coefficients || std?.length !== coefficients) {
    throw new ConfigError(`normalization needs ${coefficients} means and stds, got ${mean?.length} and ${std?.length}`);
  }
  if (mean.some((m) => !Number.isFinite(m)) || std.some((s) => !(Number.isFinite(s) && s > 0))) {
    throw new ConfigError('normalization means must be finite and stds finite and > 0');
  }
  const mu = Float64Array.from(mean);
  const inv = Float64Array.from(std, (s) => 1 / s);
  return (frame, out = new Float32Array(coefficients)) => {
    for (let j = 0; j < coefficients; j++) out[j] = (frame[j] - mu[j]) * inv[j];
    return out;
  };
}

/** Mean and (population) standard deviation per coefficient over a set of frames, std floored at `minStd`. */
export function featureStatistics(frames: Iterable<Float32Array>, coefficients: number, minStd = 1e-6): FeatureNormalization {
  const sum = new Float64Array(coefficients);
  const sumSq = new Float64Array(coefficients);
  let n = 0;
  for (const f of frames) {
    for (let j = 0; j < coefficients; j++) {
      sum[j] += f[j];
      sumSq[j] += f[j] * f[j];
    }
    n++;
  }
  if (n === 0) throw new ConfigError('cannot compute feature statistics from zero frames');
  const mean = Array.from(sum, (s) => s / n);
  const std = Array.from(sumSq, (s, j) => Math.max(minStd, Math.sqrt(Math.max(0, s / n - mean[j] * mean[j]))));
  return { mean, std };
}
