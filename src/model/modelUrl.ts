/**
 * A model directory served over HTTP (the browser build; also Node ≥ 18, which has fetch): the
 * same kws.json and runtime.json as on disk, parsed and checked by the same code
 * (kwsConfig.ts, classifierCodec.ts) — only the bytes come from fetch() instead of the disk.
 */
import { ModelError } from '../errors';
import { checkedClassifier, ModelClassifier } from './classifierCodec';
import { KwsModelConfig, MODEL_CONFIG_FILE, parseModelConfig, withCost } from './kwsConfig';

/** kws.json and the checked classifier of the model directory at `url` (relative URLs resolve against `base`). */
export async function fetchModel(url: string, base?: string): Promise<{ config: KwsModelConfig } & ModelClassifier> {
  const dir = new URL(url.endsWith('/') ? url : `${url}/`, base);
  const configUrl = new URL(MODEL_CONFIG_FILE, dir).href;
  const config = parseModelConfig(await fetchText(configUrl, 'missing (not a model directory?)'), configUrl);
  const runtimeUrl = new URL(config.files.runtime, dir).href;
  let json: unknown;
  try {
    json = JSON.parse(await fetchText(runtimeUrl, 'cannot read runtime weights'));
  } catch (err) {
    if (err instanceof ModelError) throw err;
    throw new ModelError(`${runtimeUrl}: not valid JSON (${(err as Error).message})`);
  }
  const classifier = checkedClassifier(json, runtimeUrl, config);
  return { config: withCost(config, () => classifier.weights), ...classifier };
}

async function fetchText(url: string, missing: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new ModelError(`${url}: cannot fetch (${(err as Error).message})`);
  }
  if (!response.ok) throw new ModelError(`${url}: ${missing} (HTTP ${response.status})`);
  return response.text();
}
