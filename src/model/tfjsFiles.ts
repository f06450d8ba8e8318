/**
 * The tfjs half of a model directory: `model.json` + `weights.bin` in the standard tfjs
 * LayersModel format (what `tf.loadLayersModel` reads), written and read with plain fs so it
 * works on every backend (the file:// handler exists only with tfjs-node).
 */
import * as fs from 'fs';
import * as path from 'path';
import type * as tfTypes from '@tensorflow/tfjs';
import { ModelError } from '../errors';

export const TFJS_MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

type Tf = typeof tfTypes;

/** Saves `model` into `dir` (created if needed); returns the bytes of weights written. */
export async function saveTfjsModel(tf: Tf, model: tfTypes.LayersModel, dir: string): Promise<number> {
  fs.mkdirSync(dir, { recursive: true });
  let bytes = 0;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData as ArrayBuffer;
      bytes = data.byteLength;
      fs.writeFileSync(path.join(dir, WEIGHTS_FILE), Buffer.from(data));
      const json = {
        format: 'layers-model',
        generatedBy: 'lmu-kws',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
      };
      fs.writeFileSync(path.join(dir, TFJS_MODEL_FILE), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes } };
    }),
  );
  return bytes;
}

/** Loads `dir/model.json` (+ its weight files). The LMU layer must be registered (import layer.ts). */
export async function loadTfjsModel(tf: Tf, dir: string): Promise<tfTypes.LayersModel> {
  const file = path.join(dir, TFJS_MODEL_FILE);
  if (!fs.existsSync(file)) throw new ModelError(`${file}: missing (not a model directory?)`);
  let json: { modelTopology: object; weightsManifest: Array<{ paths: string[]; weights: tfTypes.io.WeightsManifestEntry[] }> };
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ModelError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const specs: tfTypes.io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest ?? []) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const wfile = path.join(dir, p);
      if (!fs.existsSync(wfile)) throw new ModelError(`${wfile}: weights file missing`);
      buffers.push(fs.readFileSync(wfile));
    }
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }));
}

/**
 * Copies `from`'s tfjs model (model.json and the weight files its manifest names) into `to`, as
 * it is; returns the files copied, none when `from` has no tfjs model (a runtime-only directory).
 */
export function copyTfjsModel(from: string, to: string): string[] {
  const file = path.join(from, TFJS_MODEL_FILE);
  if (!fs.existsSync(file)) return [];
  let manifest: Array<{ paths?: string[] }>;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')).weightsManifest ?? [];
  } catch (e) {
    throw new ModelError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const names = [TFJS_MODEL_FILE, ...manifest.flatMap((group) => group.paths ?? [])];
  fs.mkdirSync(to, { recursive: true });
  for (const name of names) {
    if (!fs.existsSync(path.join(from, name))) throw new ModelError(`${path.join(from, name)}: weights file missing`);
    fs.copyFileSync(path.join(from, name), path.join(to, name));
  }
  return names.map((name) => path.join(to, name));
}
