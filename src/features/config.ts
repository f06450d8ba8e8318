import { TARGET_SAMPLE_RATE } from '../audio/source';
import { ConfigError } from '../errors';
import { MEL_COMPRESSIONS, MelCompression, PcenConfig, resolvePcenConfig } from './pcen';

/** How audio becomes feature frames. Stored in each model's kws.json so runtime = training. */
export interface FeatureConfig {
  sampleRate: number; // Hz; sources deliver this rate
  windowSize: number; // samples per analysis window (25 ms)
  fftSize: number; // window zero-padded to this power of two (meyda's buffer size)
  hop: number; // samples between frame starts (10 ms)
  melBands: number;
  coefficients: number; // MFCCs kept per frame (≤ melBands, ≤ 40)
  /**
   * Samples (floats in [−1, 1]) are multiplied by this before the MFCC. Meyda takes log(x + 1) of
   * the mel energies, so on raw floats speech energies (≈ 0.001–1) land in the flat, near-linear
   * part of log(x + 1) and most bands read ≈ 0. At 32768 (16-bit units) one LSB of quantisation
   * noise has energy ≈ 1, so log(x + 1) ≈ log(x) over the whole speech range. 1 = meyda on the
   * raw floats (the default, which models trained before this field use).
   */
  sampleScale: number;
  /** How mel energies are compressed before the DCT (pcen.ts): meyda's log(E + 1) (the default, and what older models use) or PCEN. */
  compression: MelCompression;
  /** PCEN's constants; present exactly when compression is 'pcen'. */
  pcen?: PcenConfig;
}

/** The sampleScale `kws train` uses: 16-bit units, so log(x + 1) is a true log above the LSB. */
export const INT16_SAMPLE_SCALE = 32768;

export const DEFAULT_FEATURE_CONFIG: Readonly<FeatureConfig> = Object.freeze({
  sampleRate: TARGET_SAMPLE_RATE,
  windowSize: 400,
  fftSize: 512,
  hop: 160,
  melBands: 40,
  coefficients: 13,
  sampleScale: 1,
  compression: 'log',
});

/** Per-coefficient statistics of the training features; frames are fed as (x − mean) / std. */
export interface FeatureNormalization {
  mean: number[];
  std: number[];
}

/** Meyda's MFCC extractor keeps at most this many coefficients (it clamps to [1, 40]). */
export const MAX_COEFFICIENTS = 40;

/**
 * Fills in defaults and checks a feature configuration; every problem is a ConfigError.
 * fftSize must be a power of two (meyda and fft.js both require it), the window must fit in it,
 * and coefficients ≤ min(melBands, 40) (meyda's DCT keeps at most 40 and at most one per band).
 */
export function resolveFeatureConfig(partial: Partial<FeatureConfig> = {}): FeatureConfig {
  const c: FeatureConfig = { ...DEFAULT_FEATURE_CONFIG, ...stripUndefined(partial) };
  const isPosInt = (v: number) => Number.isInteger(v) && v > 0;
  for (const key of ['windowSize', 'fftSize', 'hop', 'melBands', 'coefficients'] as const) {
    if (!isPosInt(c[key])) throw new ConfigError(`features.${key} must be a positive integer, got ${c[key]}`);
  }
  if (!(Number.isFinite(c.sampleRate) && c.sampleRate > 0)) {
    throw new ConfigError(`features.sampleRate must be a positive number of Hz, got ${c.sampleRate}`);
  }
  if (!(Number.isFinite(c.sampleScale) && c.sampleScale > 0)) {
    throw new ConfigError(`features.sampleScale must be a positive number, got ${c.sampleScale}`);
  }
  if (c.fftSize < 4 || (c.fftSize & (c.fftSize - 1)) !== 0) {
    throw new ConfigError(`features.fftSize must be a power of two ≥ 4, got ${c.fftSize}`);
  }
  if (c.windowSize > c.fftSize) {
    throw new ConfigError(`features.windowSize (${c.windowSize}) must not exceed fftSize (${c.fftSize})`);
  }
  if (c.coefficients > c.melBands || c.coefficients > MAX_COEFFICIENTS) {
    throw new ConfigError(`features.coefficients (${c.coefficients}) must be ≤ melBands (${c.melBands}) and ≤ ${MAX_COEFFICIENTS}`);
  }
  if (!MEL_COMPRESSIONS.includes(c.compression)) {
    throw new ConfigError(`features.compression must be one of ${MEL_COMPRESSIONS.join(', ')}, got ${String(c.compression)}`);
  }
  if (c.compression === 'pcen') c.pcen = resolvePcenConfig(c.pcen);
  else delete c.pcen;
  return c;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
