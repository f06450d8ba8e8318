/**
 * Manifests of offline audio regression tests: which files, and which keyword events each
 * should give. Paths are relative to the manifest's folder:
 *
 *   {
 *     "tolerance": 0.5,                       // optional, seconds; `--tolerance` overrides it
 *     "files": [
 *       { "file": "demo.wav",
 *         "events": [ { "keyword": "yes", "start": 1.20, "end": 1.62 },   // word boundaries, or
 *                     { "keyword": "stop", "time": 3.4 } ] },              // one point in the word
 *       { "file": "noise-only.wav", "events": [] }                          // expects silence
 *     ]
 *   }
 *
 * How detections are compared with them: compare.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../errors';

/** How far (seconds) a detection may be from its expected span, unless the manifest or --tolerance says otherwise. */
export const DEFAULT_TOLERANCE_SEC = 0.5;

export interface ExpectedEvent {
  keyword: string;
  start: number;
  end: number;
  /**
   * A documented miss of the current model (the reason, e.g. "models/default misses it").
   * Missing it is `known-miss` (not a regression); finding it is `fixed`, which fails the run
   * until the manifest drops the mark — strict, like pytest's xfail, so the list stays true.
   */
  knownMiss?: string;
}

export interface ManifestEntry {
  /** Absolute path of the WAV. */
  file: string;
  /** The path as written in the manifest, for reports. */
  name: string;
  events: ExpectedEvent[];
}

export interface Manifest {
  tolerance?: number;
  files: ManifestEntry[];
}

/** A manifest entry and event as read, before checking. */
type RawEntry = { file?: unknown; events?: unknown } | null;
type RawEvent = { keyword?: unknown; start?: unknown; end?: unknown; time?: unknown; knownMiss?: unknown } | null;

/** Reads and checks a manifest; every problem is one ConfigError naming the manifest. */
export function loadManifest(manifestPath: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new ConfigError(`${manifestPath}: no such manifest`);
    throw new ConfigError(`${manifestPath}: not valid JSON (${err.message})`);
  }
  const bad = (what: string) => new ConfigError(`${manifestPath}: ${what}`);
  const m = raw as { tolerance?: unknown; files?: unknown };
  if (!m || typeof m !== 'object' || !Array.isArray(m.files)) throw bad('expected an object with a "files" array');
  if (m.tolerance !== undefined && !(typeof m.tolerance === 'number' && m.tolerance >= 0)) throw bad('"tolerance" must be a number ≥ 0');
  const dir = path.dirname(manifestPath);
  const files = (m.files as RawEntry[]).map((f, i): ManifestEntry => {
    if (!f || typeof f.file !== 'string') throw bad(`files[${i}] needs a "file" path`);
    if (!Array.isArray(f.events)) throw bad(`files[${i}] (${f.file}) needs an "events" array (empty when nothing should fire)`);
    const events = (f.events as RawEvent[]).map((e, j): ExpectedEvent => {
      const where = `files[${i}].events[${j}]`;
      if (!e || typeof e.keyword !== 'string') throw bad(`${where} needs a "keyword"`);
      // not numbers (or absent) fail Number.isFinite below
      const start = (typeof e.start === 'number' ? e.start : e.time) as number;
      const end = (typeof e.end === 'number' ? e.end : e.time) as number;
      if (!(Number.isFinite(start) && Number.isFinite(end) && end >= start && start >= 0)) {
        throw bad(`${where} needs "time" or "start" ≤ "end" in seconds`);
      }
      if (e.knownMiss !== undefined && !(typeof e.knownMiss === 'string' && e.knownMiss.trim())) {
        throw bad(`${where}: "knownMiss" must say why (a non-empty string)`);
      }
      return e.knownMiss ? { keyword: e.keyword, start, end, knownMiss: e.knownMiss as string } : { keyword: e.keyword, start, end };
    });
    return { file: path.resolve(dir, f.file), name: f.file, events };
  });
  return { tolerance: m.tolerance as number | undefined, files };
}
