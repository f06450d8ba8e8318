/**
 * What the CLI prints for events, and the one way it loads a spotter from command-line options.
 */
import { ConfigError, KwsError, ModelError } from '../errors';
import { KeywordEvent } from '../pipeline/events';
import { DEFAULT_MODEL_DIR, KeywordSpotter } from '../pipeline/spotter';

/** An event as printed with `--json`: times in seconds to the millisecond. */
export interface EventRecord {
  file: string;
  keyword: string;
  start: number;
  end: number;
  confidence: number;
}

export function eventRecord(file: string, e: KeywordEvent): EventRecord {
  const r = (x: number, digits: number) => Number(x.toFixed(digits));
  return { file, keyword: e.keyword, start: r(e.start, 3), end: r(e.end, 3), confidence: r(e.confidence, 4) };
}

/** One line per event: `file  keyword  start–end s  confidence c`, or one JSON object with --json. */
export function formatEvent(file: string, e: KeywordEvent, json: boolean): string {
  if (json) return JSON.stringify(eventRecord(file, e));
  return `${file}  ${e.keyword}  ${e.start.toFixed(2)}–${e.end.toFixed(2)} s  confidence ${e.confidence.toFixed(3)}`;
}

/** Loads the model named by `--model` (default: the shipped one) with `--threshold kw=v` overrides. */
export async function loadSpotterFromOptions(opts: { model?: string; threshold?: string[] }): Promise<KeywordSpotter> {
  const thresholds = parseThresholdOverrides(opts.threshold ?? []);
  try {
    return await KeywordSpotter.load(opts.model ?? DEFAULT_MODEL_DIR, { thresholds });
  } catch (e) {
    if (e instanceof ModelError && opts.model === undefined) {
      throw new ModelError(`${e.message} — the shipped model is not there; train one (kws train) or pass --model DIR`);
    }
    if (e instanceof KwsError) throw e;
    throw new ModelError(`${opts.model ?? DEFAULT_MODEL_DIR}: cannot load the model (${(e as Error).message})`);
  }
}

/** Parses CLI-style `kw=0.8` strings into a thresholds record. */
export function parseThresholdOverrides(specs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const spec of specs) {
    const m = /^([^=]+)=(.+)$/.exec(spec.trim());
    const value = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(value)) {
      throw new ConfigError(`--threshold expects keyword=value (e.g. yes=0.8), got "${spec}"`);
    }
    out[m[1].trim()] = value;
  }
  return out;
}
