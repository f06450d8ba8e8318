/**
 * Per-keyword thresholds for a model directory: the lowest threshold per keyword whose false
 * alarms on a validation stream stay within its share of a total budget (faPerHour ÷ keywords),
 * searched on the grid and then between grid steps (detection.ts refineDet),
 * raised where needed so that no keyword fires on digital silence or low noise (quietCheck.ts).
 * `kws train` runs it after training; `kws thresholds` re-runs it on a trained model for another
 * operating point, without retraining. Validation voices/speakers only, never test.
 */
import { KwsModelConfig, writeModelConfig } from '../model/kwsJson';
import { ValidationStreamMetrics } from '../model/records';
import {
  chooseThresholds,
  DetectionModel,
  keywordShare,
  RecordedStream,
  refineDet,
  scoreDetections,
  summarizeScores,
} from '../eval/detection';
import { detCurveReported, detectionModel, recordSplitStream } from '../eval/evaluate';
import { NO_PROGRESS, OnProgress, ProgressStep } from '../progress';
import { QUIET_INPUTS, QUIET_SECONDS, QuietRecording, QuietResult, raiseAboveQuiet, recordQuiet } from '../eval/quietCheck';
import { TrainingData } from '../data/clips';
import { TARGET_FA_PER_HOUR, THRESHOLD_STREAM_MINUTES } from './defaults';

export { TARGET_FA_PER_HOUR, THRESHOLD_STREAM_MINUTES };

export interface ThresholdOptions {
  minutes?: number;
  faPerHour?: number;
  seed: number;
  /** The command that chose them, recorded in kws.json when it is not the training run. */
  command?: string;
  onProgress?: OnProgress;
}

/** The two long steps, as onProgress names them. */
export const THRESHOLD_STREAM_STEP: ProgressStep = { name: 'thresholds: validation stream', unit: 'h' };
export const THRESHOLD_SEARCH_STEP: ProgressStep = { name: 'thresholds: search', unit: 'thresholds' };

/** Chooses the thresholds, writes them and the validation figures into dir/kws.json, returns the config. */
export function setThresholds(dir: string, config: KwsModelConfig, data: TrainingData, o: ThresholdOptions): KwsModelConfig {
  const target = o.faPerHour ?? TARGET_FA_PER_HOUR;
  const onProgress = o.onProgress ?? NO_PROGRESS;
  const model = detectionModel(dir, config);
  const rec = recordSplitStream(
    data,
    model,
    'validation',
    o.minutes ?? THRESHOLD_STREAM_MINUTES,
    o.seed,
    onProgress,
    THRESHOLD_STREAM_STEP,
  );
  const quiet = chooseSafeThresholds(rec, recordQuiet(model, o.seed), model, target, onProgress);
  const perKeyword = scoreDetections(rec, model, quiet.thresholds);
  const atChosen = summarizeScores(perKeyword);
  const validationStream: ValidationStreamMetrics = {
    hours: rec.hours,
    frr: atChosen.frr,
    faPerHour: atChosen.faPerHour,
    targetFaPerHour: target,
    perKeyword,
    quiet: { inputs: QUIET_INPUTS.map((q) => q.name), seconds: QUIET_SECONDS, raised: quiet.raised, firing: quiet.firing },
    ...(o.command && { command: o.command }),
  };
  const updated: KwsModelConfig = {
    ...config,
    smoother: { ...config.smoother, thresholds: quiet.thresholds },
    metrics: { ...config.metrics, validationStream },
  };
  writeModelConfig(dir, updated);
  return updated;
}

/**
 * The thresholds for `target` false alarms per hour on the recorded validation stream, then raised
 * until no keyword fires on the quiet recordings (quietCheck.ts).
 */
export function chooseSafeThresholds(
  rec: RecordedStream,
  quiet: readonly QuietRecording[],
  model: DetectionModel,
  target: number,
  onProgress: OnProgress = NO_PROGRESS,
): QuietResult {
  const grid = detCurveReported(rec, model, onProgress, THRESHOLD_SEARCH_STEP);
  const chosen = chooseThresholds(refineDet(rec, model, grid, [keywordShare(target, model.keywords)]), model.keywords, target);
  return raiseAboveQuiet(quiet, model, chosen);
}

/** Lines for logs: the thresholds, what they gave on the validation stream, and what the quiet check raised. */
export function describeThresholds(config: KwsModelConfig): string {
  const v = config.metrics?.validationStream;
  if (!v) return 'thresholds: not chosen on a validation stream (kws.json has no metrics.validationStream)';
  const list = Object.entries(config.smoother.thresholds)
    .map(([k, t]) => `${k}=${t}`)
    .join(' ');
  const raised = Object.entries(v.quiet?.raised ?? {}).map(([k, r]) => `${k} ${r.from}→${r.to}`);
  return (
    `thresholds (validation, ${v.hours.toFixed(1)} h, ≤ ${v.targetFaPerHour} FA/h): ${list} → FRR ${(100 * v.frr).toFixed(1)}%, ${v.faPerHour.toFixed(2)} FA/h` +
    (raised.length ? `\nraised so that silence and low noise never fire: ${raised.join(', ')}` : '')
  );
}
