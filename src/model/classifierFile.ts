/**
 * A model directory's runtime weights, whatever the network: runtime.json's `architecture` says
 * which reader decodes it — the LMU's (runtimeFile.ts; files without the field are LMUs, as every
 * file before the rivals) or the rivals' (rivalFile.ts) — and the streaming classifier made from
 * it, checked against kws.json. The spotter, `kws eval`, `kws thresholds` and the benchmarks load
 * classifiers only through here, so a rival runs wherever the LMU does.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ModelError } from '../errors';
import { ARCHITECTURES } from '../rivals/options';
import { streamingClassifier } from '../rivals/classifier';
import { StreamingModel } from '../rivals/streamingRival';
import { architectureOf, ClassifierWeights } from '../rivals/weights';
import type { KwsModelConfig } from './kwsJson'; // a type only: kwsJson.ts reads weights through here
import { decodeRivalWeights, encodeRivalWeights } from './rivalFile';
import { decodeRuntimeWeights, encodeRuntimeWeights, readRuntimeJson, RUNTIME_FILE } from './runtimeFile';
import { bytesOf } from './size';
import { weightDtype } from '../lmu/weights';

/** Decodes any architecture's JSON form; every problem is one ModelError naming `source`. */
export function decodeClassifierWeights(json: unknown, source: string): ClassifierWeights {
  const architecture = (json as { architecture?: unknown } | null)?.architecture ?? 'lmu';
  if (!(ARCHITECTURES as readonly unknown[]).includes(architecture)) {
    throw new ModelError(`${source}: architecture ${JSON.stringify(architecture)} is not one of ${ARCHITECTURES.join(', ')}`);
  }
  return architecture === 'lmu' ? decodeRuntimeWeights(json, source) : decodeRivalWeights(json, source);
}

export function loadClassifierWeights(file: string): ClassifierWeights {
  return decodeClassifierWeights(readRuntimeJson(file), file);
}

/** Writes `dir/file` (creating dir) and returns its path. */
export function saveClassifierWeights(dir: string, w: ClassifierWeights, file = RUNTIME_FILE): string {
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, file);
  fs.writeFileSync(out, JSON.stringify('architecture' in w ? encodeRivalWeights(w) : encodeRuntimeWeights(w)));
  return out;
}

/**
 * The runtime weights of a model directory and a maker of fresh streaming classifiers on them
 * (own state, shared weights). A ModelError naming runtime.json when its network is not the one
 * kws.json describes: another architecture, features per frame or number of classes.
 */
export function modelClassifier(dir: string, config: KwsModelConfig): { weights: ClassifierWeights; create: () => StreamingModel } {
  const file = path.join(dir, config.files.runtime);
  const weights = loadClassifierWeights(file);
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
