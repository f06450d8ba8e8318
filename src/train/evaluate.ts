/**
 * `kws eval`: measures a model directory on a data folder's test split, through the same
 * streaming runtime users run (frame by frame, no tfjs):
 *   - clip accuracy (clipScore.ts's rule), per-class precision/recall, confusion matrix;
 *   - detection on a long stream (detectionStream.ts): FRR and false alarms per hour at the
 *     model's thresholds, and a DET curve over thresholds.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DatasetError } from '../errors';
import { loadRuntimeWeights, StreamingClassifier } from '../lmu/runtime';
import { KwsModelConfig, loadModelConfig } from '../pipeline/modelConfig';
import { makeNormalizer } from '../features/normalize';
import { clipDecision } from './clipScore';
import { Split } from './dataset';
import { DetectionModel, detCurve, DetPoint, KeywordScore, recordPosteriors, scoreDetections, summarizeScores } from './detection';
import { detectionStream } from './detectionStream';
import { NO_AUGMENTATION } from './examples';
import { LoadOptions, SequenceBatcher, TrainingData, loadTrainingData } from './trainingData';

export interface EvalOptions {
  split?: Split;
  /** Minutes of detection stream. */
  minutes?: number;
  seed?: number;
  maxPerLabel?: number;
}

export interface EvalReport {
  model: string;
  data: string;
  split: Split;
  clips: number;
  accuracy: number;
  perClass: Record<string, { precision: number; recall: number; support: number }>;
  confusion: { labels: string[]; matrix: number[][] };
  frr: number;
  faPerHour: number;
  streamHours: number;
  perKeyword: Record<string, KeywordScore>;
  thresholds: Record<string, number>;
  det: DetPoint[];
  params: number;
  bytes: number;
}

/** The training window recorded in kws.json (models trained before it was recorded: undefined). */
export function trainedClipSec(config: KwsModelConfig): number | undefined {
  const v = config.training?.clipSec;
  return typeof v === 'number' && v > 0 ? v : undefined;
}

/**
 * A data folder read for measuring `config`'s model: its keywords, its training window; the
 * labels must be the model's and `split` must hold clips, else one DatasetError naming the folder.
 */
export async function loadDataForModel(config: KwsModelConfig, dataDir: string, split: Split, o: LoadOptions = {}): Promise<TrainingData> {
  const data = await loadTrainingData(dataDir, { ...o, keywords: config.keywords, clipSec: trainedClipSec(config) });
  if (data.labels.join() !== config.labels.join()) {
    throw new DatasetError(`${dataDir}: its labels (${data.labels.join(', ')}) differ from the model's (${config.labels.join(', ')})`);
  }
  if (data.clips[split].length === 0) throw new DatasetError(`${dataDir}: the ${split} split is empty`);
  return data;
}

/** The model as detection.ts needs it, with a fresh runtime classifier. */
export function detectionModel(dir: string, config: KwsModelConfig = loadModelConfig(dir)): DetectionModel {
  const weights = loadRuntimeWeights(path.join(dir, config.files.runtime));
  return { ...config, classifier: new StreamingClassifier(weights) };
}

/** Clip accuracy etc. of `split`, every clip run through the streaming runtime from a reset state. */
export function clipMetrics(data: TrainingData, model: DetectionModel, split: Split, seed: number) {
  const batcher = new SequenceBatcher(data, model.features, makeNormalizer(model.normalization, model.features.coefficients));
  const clips = data.clips[split];
  const batch = batcher.batch(clips, NO_AUGMENTATION, seed, `eval-${split}`);
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

/** Records the detection stream of `split` once; DET and scores are replays of it. */
export function recordSplitStream(data: TrainingData, model: DetectionModel, split: Split, minutes: number, seed: number) {
  const blocks = detectionStream(data.clips[split], data.labels, data.noise, data.speech, { minutes, seed });
  return recordPosteriors(model, blocks);
}

export async function evaluateModel(modelDir: string, dataDir: string, o: EvalOptions = {}): Promise<EvalReport> {
  const config = loadModelConfig(modelDir);
  const split = o.split ?? 'test';
  const seed = o.seed ?? 1;
  const data = await loadDataForModel(config, dataDir, split, { seed, maxPerLabel: o.maxPerLabel });
  const model = detectionModel(modelDir, config);
  const clip = clipMetrics(data, model, split, seed);
  const rec = recordSplitStream(data, model, split, o.minutes ?? 60, seed);
  const perKeyword = scoreDetections(rec, model, config.smoother.thresholds);
  const summary = summarizeScores(perKeyword);
  return {
    model: path.resolve(modelDir), data: path.resolve(dataDir), split,
    ...clip,
    frr: summary.frr, faPerHour: summary.faPerHour, streamHours: rec.hours, perKeyword,
    thresholds: config.smoother.thresholds,
    det: detCurve(rec, model),
    params: config.params, bytes: config.bytes,
  };
}

/** Writes confusion.svg and det.svg into `dir`; returns their paths. */
export async function writeEvalFigures(report: EvalReport, dir: string): Promise<string[]> {
  const { confusionSvg, detSvg } = require('./plots') as typeof import('./plots');
  fs.mkdirSync(dir, { recursive: true });
  const name = path.basename(report.model);
  const files = [path.join(dir, 'confusion.svg'), path.join(dir, 'det.svg')];
  fs.writeFileSync(files[0], await confusionSvg(report.confusion.labels, report.confusion.matrix, `${name}: ${report.split} clips`));
  fs.writeFileSync(files[1], await detSvg(report.det, `${name}: DET, ${report.streamHours.toFixed(2)} h stream`));
  return files;
}
