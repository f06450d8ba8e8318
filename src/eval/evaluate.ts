/**
 * `kws eval`: measures a model directory on a data folder's test split, through the same
 * streaming runtime users run (frame by frame, no tfjs):
 *   - clip accuracy (clipScore.ts's rule), per-class precision/recall, confusion matrix;
 *   - detection on a long stream (detectionStream.ts): FRR and false alarms per hour at the
 *     model's thresholds, and a DET curve over thresholds;
 *   - whether any keyword fires on digital silence or low noise (quietCheck.ts);
 *   - the usability verdict (verdict.ts) on these figures.
 * `recordEvaluation` writes the figures into the model's kws.json (metrics.eval.<split>), so
 * the model card can show them beside the training figures.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DatasetError } from '../errors';
import { modelClassifier } from '../model/classifierFile';
import { KwsModelConfig, loadModelConfig, writeModelConfig } from '../model/kwsJson';
import { EvalFigures } from '../model/records';
import { ModelSize, sizeOf } from '../model/size';
import { makeNormalizer } from '../features/normalize';
import { clipDecision } from './clipScore';
import { Split } from '../data/dataset';
import {
  DetectionModel,
  detCurve,
  DetPoint,
  RecordedStream,
  recordPosteriors,
  scoreDetections,
  summarizeScores,
  THRESHOLD_GRID,
} from './detection';
import { detectionStream } from './detectionStream';
import { NO_AUGMENTATION } from '../data/sequence';
import { NO_PROGRESS, OnProgress, ProgressStep, READING_CLIPS_STEP, reportBlocks } from '../progress';
import { quietFalseAlarms, recordQuiet } from './quietCheck';
import { LoadOptions, SequenceBatcher, TrainingData, loadTrainingData } from '../data/clips';
import { recordedGroupsFile } from '../data/splitGroups';
import { usabilityVerdict } from './verdict';
import { EVAL_DEFAULTS } from './defaults';

export interface EvalOptions {
  split?: Split;
  /** Minutes of detection stream. */
  minutes?: number;
  seed?: number;
  maxPerLabel?: number;
  /** Folders of background noise and non-keyword speech for the detection stream (as kws train's). */
  noise?: string[];
  speech?: string[];
  /** Split groups of the data folder (kws groups); default: the ones the model trained with. */
  groups?: string;
  onProgress?: OnProgress;
}

/** The long steps of an evaluation, as onProgress names them. */
export const EVAL_CLIPS_STEP: ProgressStep = { name: 'eval: clips', unit: 'clips' };
export const EVAL_STREAM_STEP: ProgressStep = { name: 'eval: detection stream', unit: 'h' };
export const EVAL_DET_STEP: ProgressStep = { name: 'eval: DET curve', unit: 'thresholds' };

/** An evaluation: the figures kws.json keeps (EvalFigures) and what it does not (the DET points, the model and its size). */
export interface EvalReport extends EvalFigures, ModelSize {
  model: string;
  split: Split;
  det: DetPoint[];
}

/** The training window recorded in kws.json (models trained before it was recorded: undefined). */
export function trainedClipSec(config: KwsModelConfig): number | undefined {
  const v = config.training?.clipSec;
  return typeof v === 'number' && v > 0 ? v : undefined;
}

/**
 * A data folder read for measuring `config`'s model: its keywords, its training window, its split
 * groups (kws.json training.groups, unless `o.groups`); the labels must be the model's and `split` must hold clips, else one DatasetError naming the folder.
 */
export async function loadDataForModel(config: KwsModelConfig, dataDir: string, split: Split, o: LoadOptions = {}): Promise<TrainingData> {
  // the model's own split: a groups file it trained with decides which clips are held out
  const recorded = config.training?.groups;
  const groups = o.groups ?? (recorded ? recordedGroupsFile(recorded) : undefined);
  const data = await loadTrainingData(dataDir, { ...o, keywords: config.keywords, clipSec: trainedClipSec(config), groups });
  if (data.labels.join() !== config.labels.join()) {
    throw new DatasetError(`${dataDir}: its labels (${data.labels.join(', ')}) differ from the model's (${config.labels.join(', ')})`);
  }
  if (data.clips[split].length === 0) throw new DatasetError(`${dataDir}: the ${split} split is empty`);
  return data;
}

/** The model as detection.ts needs it, with a fresh runtime classifier. */
export function detectionModel(dir: string, config: KwsModelConfig = loadModelConfig(dir)): DetectionModel {
  return { ...config, classifier: modelClassifier(dir, config).create() };
}

/** Clip accuracy etc. of `split`, every clip run through the streaming runtime from a reset state. */
export function clipMetrics(data: TrainingData, model: DetectionModel, split: Split, seed: number, onProgress: OnProgress = NO_PROGRESS) {
  const batcher = new SequenceBatcher(data, model.features, makeNormalizer(model.normalization, model.features.coefficients));
  const clips = data.clips[split];
  const batch = batcher.batch(clips, NO_AUGMENTATION, seed, `eval-${split}`, (done, total) => onProgress(EVAL_CLIPS_STEP, done, total));
  const C = data.labels.length;
  const F = batcher.coefficients;
  const T = batch.frames;
  const matrix = data.labels.map(() => new Array<number>(C).fill(0));
  const posteriors = new Float32Array(T * C);
  for (let b = 0; b < batch.size; b++) {
    model.classifier.reset();
    for (let t = 0; t < T; t++) {
      const x = batch.x.subarray((b * T + t) * F, (b * T + t + 1) * F);
      posteriors.set(model.classifier.step(x), t * C);
    }
    matrix[batch.labels[b]][clipDecision(posteriors, T, C, data.silence)]++;
  }
  const correct = matrix.reduce((s, row, i) => s + row[i], 0);
  const perClass: EvalReport['perClass'] = {};
  data.labels.forEach((label, i) => {
    const support = matrix[i].reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((a, row) => a + row[i], 0);
    perClass[label] = { precision: predicted ? matrix[i][i] / predicted : 0, recall: support ? matrix[i][i] / support : 0, support };
  });
  return { accuracy: batch.size ? correct / batch.size : 0, perClass, confusion: { labels: data.labels, matrix }, clips: batch.size };
}

/** Records the detection stream of `split` once; DET and scores are replays of it. Progress in hours of stream. */
export function recordSplitStream(
  data: TrainingData,
  model: DetectionModel,
  split: Split,
  minutes: number,
  seed: number,
  onProgress: OnProgress = NO_PROGRESS,
  step = EVAL_STREAM_STEP,
): RecordedStream {
  const blocks = detectionStream(data.clips[split], data.labels, data.noise, data.speech[split], { minutes, seed });
  return recordPosteriors(
    model,
    reportBlocks(blocks, step, minutes / 60, (b) => b.audio.length / model.features.sampleRate / 3600, onProgress),
  );
}

/** detCurve over THRESHOLD_GRID, one threshold at a time so that each reports progress. */
export function detCurveReported(rec: RecordedStream, model: DetectionModel, onProgress: OnProgress, step: ProgressStep): DetPoint[] {
  const points: DetPoint[] = [];
  THRESHOLD_GRID.forEach((t, i) => {
    onProgress(step, i, THRESHOLD_GRID.length);
    points.push(...detCurve(rec, model, [t]));
  });
  onProgress(step, THRESHOLD_GRID.length, THRESHOLD_GRID.length);
  return points;
}

export async function evaluateModel(modelDir: string, dataDir: string, o: EvalOptions = {}): Promise<EvalReport> {
  const config = loadModelConfig(modelDir);
  const split = o.split ?? 'test';
  const seed = o.seed ?? EVAL_DEFAULTS.seed;
  const onProgress = o.onProgress ?? NO_PROGRESS;
  const data = await loadDataForModel(config, dataDir, split, {
    seed,
    splits: [split],
    maxPerLabel: o.maxPerLabel,
    noise: o.noise,
    speech: o.speech,
    groups: o.groups,
    onClip: (done, total) => onProgress(READING_CLIPS_STEP, done, total),
  });
  const model = detectionModel(modelDir, config);
  const clip = clipMetrics(data, model, split, seed, onProgress);
  const rec = recordSplitStream(data, model, split, o.minutes ?? EVAL_DEFAULTS.minutes, seed, onProgress);
  const thresholds = config.smoother.thresholds;
  const perKeyword = scoreDetections(rec, model, thresholds);
  const summary = summarizeScores(perKeyword);
  const quietFiring = quietFalseAlarms(recordQuiet(model, seed), model, thresholds);
  return {
    model: path.resolve(modelDir),
    data: path.resolve(dataDir),
    split,
    ...clip,
    frr: summary.frr,
    faPerHour: summary.faPerHour,
    streamHours: rec.hours,
    perKeyword,
    thresholds,
    det: detCurveReported(rec, model, onProgress, EVAL_DET_STEP),
    quietFiring,
    verdict: usabilityVerdict({
      split,
      classes: config.labels.length,
      accuracy: clip.accuracy,
      thresholds,
      frr: summary.frr,
      perKeyword,
      quietFiring,
    }),
    ...sizeOf(config),
  };
}

/**
 * Writes an evaluation's figures into the model's kws.json: metrics.eval.<split>, and its verdict
 * as metrics.verdict.<split>. Returns the updated config.
 */
export function recordEvaluation(modelDir: string, report: EvalReport, command?: string): KwsModelConfig {
  const config = loadModelConfig(modelDir);
  const { det: _det, model: _model, params: _params, bytes: _bytes, macsPerFrame: _macs, stateFloats: _state, ...figures } = report;
  const metrics = config.metrics ?? {};
  const recorded: EvalFigures = { ...figures, ...(command && { command }) };
  const updated: KwsModelConfig = {
    ...config,
    metrics: {
      ...metrics,
      eval: { ...metrics.eval, [report.split]: recorded },
      verdict: { ...metrics.verdict, [report.split]: report.verdict },
    },
  };
  writeModelConfig(modelDir, updated);
  return updated;
}

/** Writes confusion.svg and det.svg into `dir`; returns their paths. */
export async function writeEvalFigures(report: EvalReport, dir: string): Promise<string[]> {
  const { confusionSvg, detSvg } = await import('./plots.js');
  fs.mkdirSync(dir, { recursive: true });
  const name = path.basename(report.model);
  const files = [path.join(dir, 'confusion.svg'), path.join(dir, 'det.svg')];
  fs.writeFileSync(files[0], await confusionSvg(report.confusion.labels, report.confusion.matrix, `${name}: ${report.split} clips`));
  fs.writeFileSync(files[1], await detSvg(report.det, `${name}: DET, ${report.streamHours.toFixed(2)} h stream`));
  return files;
}
