/**
 * Writes a trained model as a model directory (see src/model/kwsJson.ts):
 * tfjs model.json + weights.bin, runtime.json for the streaming runtime, and kws.json.
 * Thresholds and metrics can be filled in later (by evaluation) with `updateModelConfig`.
 */
import * as fs from 'fs';
import type * as tfTypes from '@tensorflow/tfjs';
import { exportRuntimeWeights } from '../lmu/tf/export';
import { saveRuntimeWeights } from './runtimeFile';
import { KwsModelConfig, MODEL_FORMAT, writeModelConfig } from './kwsJson';
import { DEFAULT_SMOOTHER_SETTINGS, SmootherConfig } from './smootherConfig';
import { saveTfjsModel, TFJS_MODEL_FILE } from './tfjsFiles';

export { writeModelConfig };

export const RUNTIME_FILE = 'runtime.json';
/** Starting threshold until evaluation on validation data picks one per keyword. */
export const DEFAULT_THRESHOLD = 0.6;

/** What training knows about the model; the rest of kws.json is derived when writing. */
export type ModelDirContents = Pick<KwsModelConfig, 'name' | 'labels' | 'keywords' | 'features' | 'normalization' | 'lmu'>
  & Partial<Pick<KwsModelConfig, 'smoother'>>
  & Required<Pick<KwsModelConfig, 'training' | 'metrics'>>;

export async function writeModelDir(
  tf: typeof tfTypes, model: tfTypes.LayersModel, dir: string, c: ModelDirContents,
): Promise<KwsModelConfig> {
  fs.mkdirSync(dir, { recursive: true });
  const bytes = await saveTfjsModel(tf, model, dir);
  saveRuntimeWeights(dir, exportRuntimeWeights(model), RUNTIME_FILE);
  const smoother: SmootherConfig = c.smoother ?? {
    ...DEFAULT_SMOOTHER_SETTINGS,
    thresholds: Object.fromEntries(c.keywords.map((k) => [k, DEFAULT_THRESHOLD])),
  };
  const config: KwsModelConfig = {
    format: MODEL_FORMAT,
    name: c.name,
    labels: c.labels,
    keywords: c.keywords,
    features: c.features,
    normalization: c.normalization,
    lmu: c.lmu,
    smoother,
    params: model.countParams(),
    bytes,
    files: { tfjs: TFJS_MODEL_FILE, runtime: RUNTIME_FILE },
    training: c.training,
    metrics: c.metrics,
  };
  writeModelConfig(dir, config);
  return config;
}
