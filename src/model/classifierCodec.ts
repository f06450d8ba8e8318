/**
 * A model's runtime weights, whatever the network: runtime.json's `architecture` says which
 * reader decodes it — the LMU's (runtimeCodec.ts; files without the field are LMUs, as every file
 * before the rivals) or the rivals' (rivalFile.ts) — and the streaming classifier made from it,
 * checked against kws.json. Pure: the JSON may come from disk (classifierFile.ts) or a URL
 * (modelUrl.ts); the checks are the same.
 */
import { ModelError } from '../errors';
import { weightDtype } from '../lmu/weights';
import { ARCHITECTURES } from '../rivals/options';
import { streamingClassifier } from '../rivals/classifier';
import { StreamingModel } from '../rivals/streamingRival';
import { architectureOf, ClassifierWeights } from '../rivals/weights';
import type { KwsModelConfig } from './kwsConfig'; // a type only: kws.json is checked before its weights
import { decodeRivalWeights, encodeRivalWeights } from './rivalFile';
import { decodeRuntimeWeights, encodeRuntimeWeights } from './runtimeCodec';
import { bytesOf } from './size';

/** Decodes any architecture's JSON form; every problem is one ModelError naming `source`. */
export function decodeClassifierWeights(json: unknown, source: string): ClassifierWeights {
  const architecture = (json as { architecture?: unknown } | null)?.architecture ?? 'lmu';
  if (!(ARCHITECTURES as readonly unknown[]).includes(architecture)) {
    throw new ModelError(`${source}: architecture ${JSON.stringify(architecture)} is not one of ${ARCHITECTURES.join(', ')}`);
  }
  return architecture === 'lmu' ? decodeRuntimeWeights(json, source) : decodeRivalWeights(json, source);
}

/** The plain-JSON form of any architecture's weights (what runtime.json holds). */
export function encodeClassifierWeights(w: ClassifierWeights): object {
  return 'architecture' in w ? encodeRivalWeights(w) : encodeRuntimeWeights(w);
}

/** Decoded weights and a maker of fresh streaming classifiers on them (own state, shared weights). */
export interface ModelClassifier {
  weights: ClassifierWeights;
  create: () => StreamingModel;
}

/**
 * Decodes runtime.json's JSON (`file` names it in messages) and checks it against kws.json: a
 * ModelError when its network is not the one kws.json describes — another architecture, weights
 * of another dtype (kws.json `quantization`: int8; absent: float32) or byte count, features per
 * frame or number of classes.
 */
export function checkedClassifier(json: unknown, file: string, config: KwsModelConfig): ModelClassifier {
  const weights = decodeClassifierWeights(json, file);
  const expected = config.rival?.architecture ?? 'lmu';
  if (architectureOf(weights) !== expected) {
    throw new ModelError(`${file}: holds a ${architectureOf(weights)} network but kws.json describes ${expected}`);
  }
  const dtype = 'architecture' in weights ? 'float32' : weightDtype(weights);
  const expectedDtype = config.quantization?.dtype ?? 'float32';
  if (dtype !== expectedDtype) throw new ModelError(`${file}: holds ${dtype} weights but kws.json says ${expectedDtype}`);
  if (config.bytes !== undefined && bytesOf(weights) !== config.bytes) {
    throw new ModelError(`${file}: holds ${bytesOf(weights)} bytes of ${dtype} weights but kws.json says ${config.bytes}`);
  }
  const probe = streamingClassifier(weights);
  if (weights.inputSize !== config.features.coefficients) {
    throw new ModelError(`${file}: takes ${weights.inputSize} features per frame but kws.json says ${config.features.coefficients}`);
  }
  if (probe.outputSize !== config.labels.length) {
    throw new ModelError(`${file}: outputs ${probe.outputSize} classes but kws.json lists ${config.labels.length} labels`);
  }
  return { weights, create: () => streamingClassifier(weights) };
}
