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
 *       { "file": "noise-only.wav", "events": [] },                         // expects silence
 *       { "file": "talk.wav", "events": [],
 *         "knownFalseAlarms": [ { "keyword": "left", "start": 4.4, "end": 5.2, "why": "…" } ] }
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

/** A keyword over [start, end] seconds (a `time` in the manifest is the span [time, time]). */
export interface KeywordSpan {
  keyword: string;
  start: number;
  end: number;
}

export interface ExpectedEvent extends KeywordSpan {
  /**
   * A documented miss of the current model (the reason, e.g. "models/default misses it").
   * Missing it is `known-miss` (not a regression); finding it is `fixed`, which fails the run
   * until the manifest drops the mark — strict, like pytest's xfail, so the list stays true.
   */
  knownMiss?: string;
}

/**
 * A documented false alarm of the current model: a detection of `keyword` within the tolerance
 * of [start, end] that no expected event accounts for is `known-false-alarm` (not a regression);
 * if nothing fires there any more it is `fixed`, which fails the run until the manifest drops the
 * entry — strict like knownMiss, so the list stays exactly what the model gets wrong.
 */
export interface KnownFalseAlarm extends KeywordSpan {
  /** Why the model fires here (e.g. which word it mistakes for the keyword). */
  why: string;
}

export interface ManifestEntry {
  /** Absolute path of the WAV. */
  file: string;
  /** The path as written in the manifest, for reports. */
  name: string;
  events: ExpectedEvent[];
  /** Empty when the manifest lists none. */
  knownFalseAlarms: KnownFalseAlarm[];
}

export interface Manifest {
  tolerance?: number;
  files: ManifestEntry[];
}

/** A manifest entry, event and known false alarm as read, before checking. */
type RawEntry = { file?: unknown; events?: unknown; knownFalseAlarms?: unknown } | null;
type RawSpan = { keyword?: unknown; start?: unknown; end?: unknown; time?: unknown };
type RawEvent = (RawSpan & { knownMiss?: unknown }) | null;
type RawFalseAlarm = (RawSpan & { why?: unknown }) | null;

/** A documented reason: a non-empty string. */
const isReason = (x: unknown): x is string => typeof x === 'string' && x.trim() !== '';

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
  /** The keyword and span shared by events and known false alarms: `start`/`end`, or one `time`. */
  const keywordSpan = (e: RawSpan | null, where: string): KeywordSpan => {
    if (!e || typeof e.keyword !== 'string') throw bad(`${where} needs a "keyword"`);
    // not numbers (or absent) fail Number.isFinite below
    const start = (typeof e.start === 'number' ? e.start : e.time) as number;
    const end = (typeof e.end === 'number' ? e.end : e.time) as number;
    if (!(Number.isFinite(start) && Number.isFinite(end) && end >= start && start >= 0)) {
      throw bad(`${where} needs "time" or "start" ≤ "end" in seconds`);
    }
    return { keyword: e.keyword, start, end };
  };
  const m = raw as { tolerance?: unknown; files?: unknown };
  if (!m || typeof m !== 'object' || !Array.isArray(m.files)) throw bad('expected an object with a "files" array');
  if (m.tolerance !== undefined && !(typeof m.tolerance === 'number' && m.tolerance >= 0)) throw bad('"tolerance" must be a number ≥ 0');
  const dir = path.dirname(manifestPath);
  const files = (m.files as RawEntry[]).map((f, i): ManifestEntry => {
    if (!f || typeof f.file !== 'string') throw bad(`files[${i}] needs a "file" path`);
    if (!Array.isArray(f.events)) throw bad(`files[${i}] (${f.file}) needs an "events" array (empty when nothing should fire)`);
    const events = (f.events as RawEvent[]).map((e, j): ExpectedEvent => {
      const where = `files[${i}].events[${j}]`;
      const event = keywordSpan(e, where);
      if (e!.knownMiss === undefined) return event;
      if (!isReason(e!.knownMiss)) throw bad(`${where}: "knownMiss" must say why (a non-empty string)`);
      return { ...event, knownMiss: e!.knownMiss };
    });
    const rawAlarms = f.knownFalseAlarms ?? [];
    if (!Array.isArray(rawAlarms)) throw bad(`files[${i}] (${f.file}): "knownFalseAlarms" must be an array`);
    const knownFalseAlarms = (rawAlarms as RawFalseAlarm[]).map((a, j): KnownFalseAlarm => {
      const where = `files[${i}].knownFalseAlarms[${j}]`;
      const span = keywordSpan(a, where);
      if (!isReason(a!.why)) throw bad(`${where} needs a "why" (a non-empty string: why the model fires there)`);
      return { ...span, why: a!.why };
    });
    return { file: path.resolve(dir, f.file), name: f.file, events, knownFalseAlarms };
  });
  return { tolerance: m.tolerance as number | undefined, files };
}
