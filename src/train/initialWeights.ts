/**
 * `kws train --init DIR`: training starts from a model directory's weights and feature
 * normalisation instead of random weights and the training clips' statistics — pretraining on
 * one corpus and going on with another, or fine-tuning a shipped model on a user's own
 * recordings. The weights only mean something with the labels in the same order, the same
 * features and normalisation and the same network shape, so each is checked, and a mismatch is
 * one ConfigError naming the file that disagrees.
 */
import * as path from 'path';
import type * as tfTypes from '@tensorflow/tfjs';
import { ConfigError } from '../errors';
import type { FeatureConfig } from '../features/config';
import { KwsModelConfig, loadModelConfig, MODEL_CONFIG_FILE } from '../model/kwsJson';
import { loadTfjsModel, TFJS_MODEL_FILE } from '../model/tfjsFiles';

const SAME_SHAPE = 'the same network shape: front, order, memory channels, hidden units and rank, layers, head';

/** `dir`'s kws.json, checked against this run's labels (in order) and features; `option` names the flag in errors. */
export function matchingModelConfig(dir: string, labels: readonly string[], features: FeatureConfig, option = '--init'): KwsModelConfig {
  const config = loadModelConfig(dir);
  const file = path.join(dir, MODEL_CONFIG_FILE);
  if (config.labels.join(',') !== labels.join(','))
    throw new ConfigError(
      `${file}: ${option} needs the labels of this run in the same order (${labels.join(', ')}); it has ${config.labels.join(', ')}`,
    );
  const keys = new Set([...Object.keys(features), ...Object.keys(config.features)] as Array<keyof FeatureConfig>);
  for (const key of keys) {
    const [theirs, ours] = [JSON.stringify(config.features[key]), JSON.stringify(features[key])];
    if (theirs !== ours) throw new ConfigError(`${file}: ${option} needs this run's features; its ${key} is ${theirs}, this run's ${ours}`);
  }
  return config;
}

/** Sets `model`'s weights to those of `dir`'s tfjs model, which must have every weight of the same shape. */
export async function setInitialWeights(tf: typeof tfTypes, model: tfTypes.LayersModel, dir: string): Promise<void> {
  const source = await loadTfjsModel(tf, dir);
  try {
    const file = path.join(dir, TFJS_MODEL_FILE);
    const from = source.getWeights();
    const to = model.weights;
    if (from.length !== to.length)
      throw new ConfigError(`${file}: ${from.length} weight tensors where this run's network has ${to.length}; --init needs ${SAME_SHAPE}`);
    to.forEach((w, i) => {
      if (from[i].shape.join('×') !== w.shape.join('×'))
        throw new ConfigError(
          `${file}: weight ${i + 1} is ${from[i].shape.join('×')} where this run's ${w.name} is ${w.shape.join('×')}; --init needs ${SAME_SHAPE}`,
        );
    });
    model.setWeights(from);
  } finally {
    source.dispose();
  }
}
