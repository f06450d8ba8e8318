/**
 * The runtime weights file on disk: runtime.json read and written through runtimeCodec.ts (the
 * format is described there; the browser build reads the same JSON from a URL).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ModelError } from '../errors';
import { RuntimeWeights } from '../lmu/weights';
import { decodeRuntimeWeights, encodeRuntimeWeights, RUNTIME_FILE } from './runtimeCodec';

export { encodeRuntimeWeights, decodeRuntimeWeights, RUNTIME_FILE } from './runtimeCodec';

/** Writes `dir/file` (creating dir) and returns its path. */
export function saveRuntimeWeights(dir: string, w: RuntimeWeights, file = RUNTIME_FILE): string {
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, file);
  fs.writeFileSync(out, JSON.stringify(encodeRuntimeWeights(w)));
  return out;
}

/** Reads and checks an LMU's runtime weights file; a missing or malformed file is a ModelError naming it. */
export function loadRuntimeWeights(file: string): RuntimeWeights {
  return decodeRuntimeWeights(readRuntimeJson(file), file);
}

/** The JSON of a runtime weights file; a ModelError naming it when it cannot be read or parsed. */
export function readRuntimeJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ModelError(`${file}: cannot read runtime weights (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return json;
}
