/**
 * Writes a trained model — the LMU or a rival (`rival` set) — as a model directory (see
 * src/model/kwsJson.ts): tfjs model.json + weights.bin, runtime.json for the streaming runtime,
 * and kws.json.
 * The thresholds are chosen afterwards on validation data (src/train/thresholds.ts); until then
 * every keyword's threshold is UNCHOSEN_THRESHOLD, at which it never fires.
 */
import * as fs from 'fs';
import type * as tfTypes from '@tensorflow/tfjs';
import { exportRuntimeWeights } from '../lmu/tf/export';
import { exportRivalWeights } from '../rivals/tf/export';
import { RUNTIME_FILE } from './runtimeFile';
import { saveClassifierWeights } from './classifierFile';
import { KwsModelConfig, MODEL_FORMAT } from './kwsConfig';
import { writeModelConfig } from './kwsJson';
import { DEFAULT_SMOOTHER_SETTINGS, SmootherConfig } from './smootherConfig';
import { saveTfjsModel, TFJS_MODEL_FILE } from './tfjsFiles';
import { bytesOf, costOf, paramsOf } from './size';

/**
 * A keyword's threshold before one is chosen: 1, so that a model whose thresholds were never
 * chosen fires on nothing (and its verdict says so).
 */
export const UNCHOSEN_THRESHOLD = 1;

/** What training knows about the model; the rest of kws.json is derived when writing. */
export type ModelDirContents = Pick<KwsModelConfig, 'name' | 'labels' | 'keywords' | 'features' | 'normalization' | 'lmu' | 'rival'> &
  Partial<Pick<KwsModelConfig, 'smoother'>> &
  Required<Pick<KwsModelConfig, 'training' | 'metrics'>>;

export async function writeModelDir(
  tf: typeof tfTypes,
  model: tfTypes.LayersModel,
  dir: string,
  c: ModelDirContents,
): Promise<KwsModelConfig> {
  fs.mkdirSync(dir, { recursive: true });
  await saveTfjsModel(tf, model, dir);
  const weights = c.rival ? exportRivalWeights(model) : exportRuntimeWeights(model);
  saveClassifierWeights(dir, weights, RUNTIME_FILE);
  // what the streaming form holds: for the LMU all of the tfjs model, for a DS-CNN not the batch-norm statistics
  const params = paramsOf(weights);
  const smoother: SmootherConfig = c.smoother ?? {
    ...DEFAULT_SMOOTHER_SETTINGS,
    thresholds: Object.fromEntries(c.keywords.map((k) => [k, UNCHOSEN_THRESHOLD])),
  };
  const config: KwsModelConfig = {
    format: MODEL_FORMAT,
    name: c.name,
    labels: c.labels,
    keywords: c.keywords,
    features: c.features,
    normalization: c.normalization,
    lmu: c.lmu,
    rival: c.rival,
    smoother,
    params,
    bytes: bytesOf(weights),
    ...costOf(weights),
    files: { tfjs: TFJS_MODEL_FILE, runtime: RUNTIME_FILE },
    training: c.training,
    metrics: c.metrics,
  };
  writeModelConfig(dir, config);
  return config;
}
