/**
 * How each frame's mel-band energies E[m] are compressed before the DCT: meyda's log(E + 1), or
 * per-channel energy normalisation (PCEN; Wang et al. 2017, "Trainable frontend for robust and
 * far-field keyword spotting"), an automatic gain control per band:
 *
 *   M[t]  = E[t]                          when there is no finite M[t−1]: after a reset, or a NaN frame
 *   M[t]  = (1 − s)·M[t−1] + s·E[t]       otherwise: a smoothed energy, time constant ≈ hop / s
 *   P[t]  = (E[t] / (ε + M[t])^α + δ)^r − δ^r
 *
 * E / M^α divides the band by its own recent level, so a louder speaker, a nearer microphone or a
 * steady noise floor moves P far less than it moves log E; δ and r then compress it like a root
 * instead of a log. The frames depend on every earlier sample since the last reset (M carries
 * state), so the runtime, training and evaluation must start streams the same way: all of them
 * reset at the start of a stream or sequence.
 */
import { ConfigError } from '../errors';

export type MelCompression = 'log' | 'pcen';
export const MEL_COMPRESSIONS: readonly MelCompression[] = ['log', 'pcen'];

/** PCEN's constants, named as in the equations above. */
export interface PcenConfig {
  /** s: weight of the newest frame in the smoothed energy M. */
  smoothing: number;
  /** α: how much of M's level is divided out (1 = all of it). */
  alpha: number;
  /** δ: bias added before the root. */
  delta: number;
  /** r: the root. */
  root: number;
  /** ε: floor of M, in the energy units of the mel bands (1 = one LSB of 16-bit audio, as log(E + 1)). */
  epsilon: number;
}

/**
 * Wang et al.'s starting values (α 0.98, δ 2, r 0.5) with s = 0.025: a time constant of 40 frames
 * (0.4 s at a 10 ms hop), longer than a word, so a word stands out of the level before it.
 */
export const DEFAULT_PCEN: Readonly<PcenConfig> = Object.freeze({ smoothing: 0.025, alpha: 0.98, delta: 2, root: 0.5, epsilon: 1 });

/** Fills in defaults and checks PCEN's constants; every problem is a ConfigError. */
export function resolvePcenConfig(partial: Partial<PcenConfig> = {}): PcenConfig {
  const c = { ...DEFAULT_PCEN, ...partial };
  const inRange = (v: number, lo: number, hi: number, loOpen: boolean) => Number.isFinite(v) && (loOpen ? v > lo : v >= lo) && v <= hi;
  if (!inRange(c.smoothing, 0, 1, true)) throw new ConfigError(`features.pcen.smoothing must be in (0, 1], got ${c.smoothing}`);
  if (!inRange(c.alpha, 0, 1, false)) throw new ConfigError(`features.pcen.alpha must be in [0, 1], got ${c.alpha}`);
  if (!inRange(c.root, 0, 1, true)) throw new ConfigError(`features.pcen.root must be in (0, 1], got ${c.root}`);
  for (const key of ['delta', 'epsilon'] as const) {
    if (!(Number.isFinite(c[key]) && c[key] > 0)) throw new ConfigError(`features.pcen.${key} must be a positive number, got ${c[key]}`);
  }
  return c;
}

/**
 * PCEN constants written as `name=value` pairs, comma-separated, with the names above
 * (`smoothing=0.04,alpha=0.9`); the values are checked by resolvePcenConfig.
 */
export function parsePcenConstants(text: string): Partial<PcenConfig> {
  const out: Partial<PcenConfig> = {};
  for (const pair of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, value, ...rest] = pair.split('=').map((p) => p.trim());
    if (!(name in DEFAULT_PCEN) || rest.length > 0 || value === undefined || value === '' || !Number.isFinite(Number(value))) {
      throw new ConfigError(`--pcen: expected name=number with a name of ${Object.keys(DEFAULT_PCEN).join(', ')}, got '${pair}'`);
    }
    out[name as keyof PcenConfig] = Number(value);
  }
  return out;
}

/** Compresses one frame of band energies in place; stateful compressors forget everything on reset(). */
export interface BandCompressor {
  apply(bands: Float64Array): void;
  reset(): void;
}

/** meyda's log(E + 1). Stateless. */
export const LOG_COMPRESSION: BandCompressor = {
  apply(bands) {
    for (let m = 0; m < bands.length; m++) bands[m] = Math.log(bands[m] + 1);
  },
  reset() {},
};

/**
 * PCEN (see file comment); holds M for every band, allocates nothing per frame. M is NaN where it
 * has no value yet, so a reset and a NaN frame (unsanitised input) restart it the same way instead
 * of leaving it NaN for good.
 */
export class PcenCompression implements BandCompressor {
  private readonly smoothed: Float64Array;
  private readonly offset: number;

  constructor(
    private readonly c: PcenConfig,
    bands: number,
  ) {
    this.smoothed = new Float64Array(bands).fill(NaN);
    this.offset = Math.pow(c.delta, c.root);
  }

  apply(bands: Float64Array): void {
    const { smoothing: s, alpha, delta, root, epsilon } = this.c;
    const M = this.smoothed;
    for (let m = 0; m < bands.length; m++) {
      const E = bands[m];
      M[m] = Number.isFinite(M[m]) ? (1 - s) * M[m] + s * E : E;
      bands[m] = Math.pow(E / Math.pow(epsilon + M[m], alpha) + delta, root) - this.offset;
    }
  }

  reset(): void {
    this.smoothed.fill(NaN);
  }
}

/** The compressor a resolved feature configuration (resolveFeatureConfig: pcen present when chosen) names. */
export function bandCompressor(f: { compression: MelCompression; pcen?: PcenConfig; melBands: number }): BandCompressor {
  return f.compression === 'pcen' ? new PcenCompression(f.pcen ?? DEFAULT_PCEN, f.melBands) : LOG_COMPRESSION;
}
