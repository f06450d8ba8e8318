/**
 * Per-keyword thresholds for a model directory: the lowest threshold per keyword whose false
 * alarms on a validation stream stay within its share of a total budget (faPerHour ÷ keywords).
 * `kws train` runs it after training; `kws thresholds` re-runs it on a trained model for another
 * operating point, without retraining. Validation voices/speakers only, never test.
 */
import { KwsModelConfig } from '../pipeline/modelConfig';
import { chooseThresholds, detCurve, scoreDetections, summarizeScores } from './detection';
import { detectionModel, recordSplitStream } from './evaluate';
import { writeModelConfig } from './modelDir';
import { TrainingData } from './trainingData';

/**
 * Default length of the validation stream. 1 FA/h shared by ten keywords is 0.1 FA/h each: a
 * 1 h stream could only say "zero false alarms", so one stray alarm set a threshold near 1; ten
 * hours let each keyword have its one.
 */
export const THRESHOLD_STREAM_MINUTES = 600;
/** Default false-alarm budget, all keywords together. */
export const TARGET_FA_PER_HOUR = 1;

export interface ThresholdOptions {
  minutes?: number;
  faPerHour?: number;
  seed: number;
  /** The command that chose them, recorded in kws.json when it is not the training run. */
  command?: string;
}

/** Chooses the thresholds, writes them and the validation figures into dir/kws.json, returns the config. */
export function setThresholds(dir: string, config: KwsModelConfig, data: TrainingData, o: ThresholdOptions): KwsModelConfig {
  const target = o.faPerHour ?? TARGET_FA_PER_HOUR;
  const model = detectionModel(dir, config);
  const rec = recordSplitStream(data, model, 'validation', o.minutes ?? THRESHOLD_STREAM_MINUTES, o.seed);
  const thresholds = chooseThresholds(detCurve(rec, model), config.keywords, target);
  const atChosen = summarizeScores(scoreDetections(rec, model, thresholds));
  const updated: KwsModelConfig = {
    ...config,
    smoother: { ...config.smoother, thresholds },
    metrics: {
      ...config.metrics,
      validationStream: {
        hours: rec.hours, frr: atChosen.frr, faPerHour: atChosen.faPerHour, targetFaPerHour: target, ...(o.command && { command: o.command }),
      },
    },
  };
  writeModelConfig(dir, updated);
  return updated;
}

/** One line for logs: the thresholds and what they gave on the validation stream. */
export function describeThresholds(config: KwsModelConfig): string {
  const v = config.metrics?.validationStream as { frr: number; faPerHour: number; targetFaPerHour: number; hours: number };
  const list = Object.entries(config.smoother.thresholds).map(([k, t]) => `${k}=${t}`).join(' ');
  return `thresholds (validation, ${v.hours.toFixed(1)} h, ≤ ${v.targetFaPerHour} FA/h): ${list} → FRR ${(100 * v.frr).toFixed(1)}%, ${v.faPerHour.toFixed(2)} FA/h`;
}
