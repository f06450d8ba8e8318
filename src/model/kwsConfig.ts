/**
 * `kws.json`, the part of a model directory that says how to use the weights:
 * which features feed it, which labels its posteriors mean, and how the smoother turns
 * posteriors into events. Written by `kws train`, read by KeywordSpotter. This file parses and
 * checks it from text, with no Node module, so a model directory read from disk (kwsJson.ts) and
 * one fetched by URL (modelUrl.ts) go through the same checks.
 *
 * Model directory (`models/<name>/`):
 *   model.json + *.bin   tfjs LayersModel (training, fine-tuning, batch evaluation)
 *   runtime.json         weights for the streaming runtime (no tfjs needed; float32, or int8 after kws quantize)
 *   kws.json             this file
 *   README.md            the model card
 */
import { ModelError } from '../errors';
import { FeatureConfig, FeatureNormalization, resolveFeatureConfig } from '../features/config';
import { LmuOptions } from '../lmu/options';
import { RivalOptions } from '../rivals/options';
import { ClassifierWeights } from '../rivals/weights';
import { CardText, ModelMetrics, QuantizationRecord, TrainingRecord } from './records';
import { costOf, ModelSize } from './size';
import { defaultWarmupFrames, resolveSmootherConfig, SmootherConfig } from './smootherConfig';

export const MODEL_CONFIG_FILE = 'kws.json';

export const MODEL_FORMAT = 'lmu-kws-model/1';

/** kws.json's contents; its size fields (params, bytes, macsPerFrame, stateFloats) are ModelSize's (size.ts). */
export interface KwsModelConfig extends ModelSize {
  format: typeof MODEL_FORMAT;
  name: string;
  /** Class order of the classifier's posteriors; includes '_silence_' and '_unknown_'. */
  labels: string[];
  /** The labels that produce events (labels minus the filler classes). */
  keywords: string[];
  features: FeatureConfig;
  normalization: FeatureNormalization;
  /** The LMU layer's options as trained (order, theta, memoryD, hiddenUnits, …); every layer's, in a stack. Absent for a rival. */
  lmu?: Omit<LmuOptions, 'returnSequences'>;
  /** A rival of the LMU trained in its place (src/rivals/options.ts); absent for an LMU. */
  rival?: RivalOptions;
  smoother: SmootherConfig;
  /** File names inside the model directory. */
  files: { tfjs: string; runtime: string };
  /** Present when the runtime weights are int8 (`kws quantize`); the loader refuses a runtime file of another dtype. */
  quantization?: QuantizationRecord;
  training?: TrainingRecord;
  metrics?: ModelMetrics;
  /** Text of the model card that is not measured (title, summary, notes); see src/cards/modelCard.ts. */
  card?: CardText;
}

/**
 * Parses and checks kws.json's text (`file` names it in messages); every problem is one ModelError
 * naming the file. Fills in what older models lack (features.sampleScale, smoother.warmupFrames);
 * the cost fields, when absent, come from the weights afterwards (withCost).
 */
export function parseModelConfig(text: string, file: string): KwsModelConfig {
  let cfg: KwsModelConfig;
  try {
    cfg = JSON.parse(text);
  } catch (e) {
    throw new ModelError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const bad = (what: string) => new ModelError(`${file}: ${what}`);
  if (cfg.format !== MODEL_FORMAT) throw bad(`unknown format ${JSON.stringify(cfg.format)}, expected ${MODEL_FORMAT}`);
  if (!Array.isArray(cfg.labels) || cfg.labels.length < 2) throw bad('labels must list at least two classes');
  if (!Array.isArray(cfg.keywords) || cfg.keywords.some((k) => !cfg.labels.includes(k))) {
    throw bad('every keyword must be one of the labels');
  }
  if (typeof cfg.features?.coefficients !== 'number') throw bad('features.coefficients must be a positive integer');
  try {
    cfg.features = resolveFeatureConfig(cfg.features); // fills in fields older models lack (sampleScale 1)
  } catch (e) {
    throw bad((e as Error).message);
  }
  const n = cfg.features.coefficients;
  if (cfg.normalization?.mean?.length !== n || cfg.normalization?.std?.length !== n) {
    throw bad(`normalization.mean and .std must have ${n} entries`);
  }
  if (!cfg.smoother || typeof cfg.smoother !== 'object') throw bad('smoother settings are missing');
  cfg.smoother.warmupFrames ??= defaultWarmupFrames(cfg.smoother); // models written before the field existed
  try {
    resolveSmootherConfig(cfg.smoother, cfg.keywords);
  } catch (e) {
    throw bad((e as Error).message);
  }
  const runtime = cfg.files?.runtime;
  if (typeof runtime !== 'string' || !runtime) throw bad(`runtime weights file ${JSON.stringify(runtime)} is missing`);
  return cfg;
}

/** Models written before the cost was recorded: their macsPerFrame and stateFloats, from their weights. */
export function withCost(cfg: KwsModelConfig, weights: () => ClassifierWeights): KwsModelConfig {
  if (cfg.macsPerFrame === undefined || cfg.stateFloats === undefined) Object.assign(cfg, costOf(weights()));
  return cfg;
}
