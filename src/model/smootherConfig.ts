/**
 * The smoother settings of a model (kws.json `smoother`): their type, defaults and the one check
 * every reader goes through. What each setting does is stated where it is implemented,
 * src/pipeline/smoother.ts. This lives with the model format, below the pipeline, because
 * loadModelConfig validates it too.
 */
import { ConfigError } from '../errors';

/** Posterior smoothing after Chen, Parada & Heigold (2014); all windows in frames (10 ms). */
export interface SmootherConfig {
  /** w_smooth: moving-average length of the posteriors. */
  smoothFrames: number;
  /** w_max: the confidence is the max of the smoothed posterior over this many frames. */
  maxFrames: number;
  /** Per-keyword threshold in [0, 1] on the smoothed posterior. */
  thresholds: Record<string, number>;
  /** No new event of any keyword this many frames after an event. */
  refractoryFrames: number;
  /** Consecutive frames the smoothed posterior must stay ≥ its threshold (0 counts as 1). */
  minFrames: number;
  /** Onset level as a fraction of each threshold: starts an event's span and re-arms a keyword. Default 0.5. */
  onsetRatio?: number;
  /** Frames at the start of a stream in which no event fires. Absent: none (loadModelConfig fills in defaultWarmupFrames). */
  warmupFrames?: number;
}

export type ResolvedSmootherConfig = Required<SmootherConfig>;

export const DEFAULT_ONSET_RATIO = 0.5;

/**
 * The warm-up of a model that does not set one: its smoothing window (0.3 s by default), three
 * times the start of a training sequence that has no targets (src/data/sequence.ts). The LMU
 * window θ would be longer — 1–1.2 s for the shipped models — and would swallow a keyword spoken
 * in a file's first second, which the models were trained to answer: every training sequence
 * starts from a reset state with 0.3 s of lead-in before the word.
 */
export function defaultWarmupFrames(config: Pick<SmootherConfig, 'smoothFrames'>): number {
  return config.smoothFrames;
}

/** Defaults after Chen et al. (w_smooth 30, w_max 100) and TFLM's suppression of ~1 s. */
const SMOOTH_FRAMES = 30;
export const DEFAULT_SMOOTHER_SETTINGS: Readonly<Omit<ResolvedSmootherConfig, 'thresholds'>> = Object.freeze({
  smoothFrames: SMOOTH_FRAMES,
  maxFrames: 100,
  refractoryFrames: 100,
  minFrames: 3,
  onsetRatio: DEFAULT_ONSET_RATIO,
  warmupFrames: defaultWarmupFrames({ smoothFrames: SMOOTH_FRAMES }),
});

/**
 * Fills in onsetRatio and warmupFrames (absent: 0) and checks every setting, with a threshold in
 * [0, 1] for each of `keywords`; any problem is one ConfigError.
 */
export function resolveSmootherConfig(config: SmootherConfig, keywords: readonly string[]): ResolvedSmootherConfig {
  if (!config || typeof config !== 'object') throw new ConfigError('smoother settings are missing');
  const r: ResolvedSmootherConfig = {
    ...config,
    onsetRatio: config.onsetRatio ?? DEFAULT_ONSET_RATIO,
    warmupFrames: config.warmupFrames ?? 0,
  };
  const intOk = (v: number, min: number) => Number.isInteger(v) && v >= min;
  if (
    !intOk(r.smoothFrames, 1) ||
    !intOk(r.maxFrames, 1) ||
    !intOk(r.minFrames, 0) ||
    !intOk(r.refractoryFrames, 0) ||
    !intOk(r.warmupFrames, 0)
  ) {
    throw new ConfigError('smoother needs integer smoothFrames ≥ 1, maxFrames ≥ 1, minFrames ≥ 0, refractoryFrames ≥ 0, warmupFrames ≥ 0');
  }
  if (!(r.onsetRatio > 0 && r.onsetRatio <= 1)) throw new ConfigError(`smoother.onsetRatio must be in (0, 1], got ${r.onsetRatio}`);
  for (const k of keywords) {
    const t = r.thresholds?.[k];
    if (!(typeof t === 'number' && t >= 0 && t <= 1))
      throw new ConfigError(`smoother.thresholds.${k} must be a number in [0, 1], got ${t}`);
  }
  return r;
}

/**
 * Applies per-keyword threshold overrides to a smoother config (returns a copy).
 * Unknown keywords and values outside [0, 1] are ConfigErrors.
 */
export function withThresholds(
  config: SmootherConfig,
  keywords: readonly string[],
  overrides: Record<string, number> = {},
): SmootherConfig {
  const thresholds = { ...config.thresholds };
  for (const [kw, value] of Object.entries(overrides)) {
    if (!keywords.includes(kw)) {
      throw new ConfigError(`threshold for unknown keyword "${kw}" (this model's keywords: ${keywords.join(', ')})`);
    }
    if (!(Number.isFinite(value) && value >= 0 && value <= 1)) {
      throw new ConfigError(`threshold for "${kw}" must be a number in [0, 1], got ${value}`);
    }
    thresholds[kw] = value;
  }
  return { ...config, thresholds };
}
