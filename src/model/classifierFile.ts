/**
 * A model directory's runtime weights on disk, any architecture (classifierCodec.ts decodes and
 * checks them). The spotter, `kws eval`, `kws thresholds` and the benchmarks load classifiers only
 * through here or classifierCodec.ts, so a rival runs wherever the LMU does.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ClassifierWeights } from '../rivals/weights';
import { checkedClassifier, decodeClassifierWeights, encodeClassifierWeights, ModelClassifier } from './classifierCodec';
import type { KwsModelConfig } from './kwsConfig';
import { readRuntimeJson, RUNTIME_FILE } from './runtimeFile';

export function loadClassifierWeights(file: string): ClassifierWeights {
  return decodeClassifierWeights(readRuntimeJson(file), file);
}

/** Writes `dir/file` (creating dir) and returns its path. */
export function saveClassifierWeights(dir: string, w: ClassifierWeights, file = RUNTIME_FILE): string {
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, file);
  fs.writeFileSync(out, JSON.stringify(encodeClassifierWeights(w)));
  return out;
}

/** The runtime weights of a model directory on disk, checked against its kws.json (checkedClassifier). */
export function modelClassifier(dir: string, config: KwsModelConfig): ModelClassifier {
  const file = path.join(dir, config.files.runtime);
  return checkedClassifier(readRuntimeJson(file), file, config);
}
