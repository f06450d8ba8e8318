/**
 * `kws.json` on disk: read and checked through kwsConfig.ts (which describes the file), written
 * by `kws train`, `kws thresholds` and `kws eval`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ModelError } from '../errors';
import { loadClassifierWeights } from './classifierFile';
import { KwsModelConfig, MODEL_CONFIG_FILE, parseModelConfig, withCost } from './kwsConfig';

export { MODEL_CONFIG_FILE, MODEL_FORMAT, parseModelConfig, type KwsModelConfig } from './kwsConfig';

/** Reads and checks `dir/kws.json`; every problem is one ModelError naming the file. */
export function loadModelConfig(dir: string): KwsModelConfig {
  const file = path.join(dir, MODEL_CONFIG_FILE);
  if (!fs.existsSync(dir)) throw new ModelError(`${dir}: model directory not found`);
  if (!fs.existsSync(file)) throw new ModelError(`${file}: missing (not a model directory?)`);
  const cfg = parseModelConfig(fs.readFileSync(file, 'utf8'), file);
  const runtime = path.join(dir, cfg.files.runtime);
  if (!fs.existsSync(runtime)) throw new ModelError(`${file}: runtime weights file ${JSON.stringify(cfg.files.runtime)} is missing`);
  return withCost(cfg, () => loadClassifierWeights(runtime));
}
/** Writes `dir/kws.json` (training, thresholds and evaluation all update it through here). */
export function writeModelConfig(dir: string, config: KwsModelConfig): void {
  fs.writeFileSync(path.join(dir, MODEL_CONFIG_FILE), JSON.stringify(config, null, 2) + '\n');
}
