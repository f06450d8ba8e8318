/**
 * Offline audio regression tests: which expected keyword events a run found, missed, shifted or
 * invented. The manifest format (paths relative to the manifest's folder):
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
 * Matching, per file and keyword: the distance between an expected span [start, end] (a `time`
 * is the span [time, time]) and a detected event's [start, end] is 0 when they overlap, else the
 * gap between them. Pairs are matched greedily, closest first, each used once:
 *   distance ≤ tolerance                     → ok
 *   tolerance < distance ≤ SHIFT_WINDOW_SEC   → shifted (found, but in the wrong place)
 * Expected events left over are `missed`; detections left over are `extra`.
 * Any missed, shifted or extra event is a regression.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../errors';
import { KeywordEvent } from '../pipeline/events';

/** How far from its expected place a detection still counts as "the same event, shifted". */
export const SHIFT_WINDOW_SEC = 3;
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

export type Outcome = 'ok' | 'missed' | 'shifted' | 'extra' | 'known-miss' | 'fixed';

export interface Comparison {
  outcome: Outcome;
  keyword: string;
  expected?: ExpectedEvent;
  detected?: KeywordEvent;
  /** Seconds between expected and detected spans (0 when they overlap); absent for missed/extra. */
  distance?: number;
}

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
  const files = m.files.map((f: any, i: number): ManifestEntry => {
    if (!f || typeof f.file !== 'string') throw bad(`files[${i}] needs a "file" path`);
    if (!Array.isArray(f.events)) throw bad(`files[${i}] (${f.file}) needs an "events" array (empty when nothing should fire)`);
    const events = f.events.map((e: any, j: number): ExpectedEvent => {
      const where = `files[${i}].events[${j}]`;
      if (!e || typeof e.keyword !== 'string') throw bad(`${where} needs a "keyword"`);
      const start = typeof e.start === 'number' ? e.start : e.time;
      const end = typeof e.end === 'number' ? e.end : e.time;
      if (!(Number.isFinite(start) && Number.isFinite(end) && end >= start && start >= 0)) {
        throw bad(`${where} needs "time" or "start" ≤ "end" in seconds`);
      }
      if (e.knownMiss !== undefined && !(typeof e.knownMiss === 'string' && e.knownMiss.trim())) {
        throw bad(`${where}: "knownMiss" must say why (a non-empty string)`);
      }
      return e.knownMiss ? { keyword: e.keyword, start, end, knownMiss: e.knownMiss } : { keyword: e.keyword, start, end };
    });
    return { file: path.resolve(dir, f.file), name: f.file, events };
  });
  return { tolerance: m.tolerance as number | undefined, files };
}

/** Gap in seconds between two spans, 0 when they overlap. */
export function spanDistance(a: { start: number; end: number }, b: { start: number; end: number }): number {
  return Math.max(0, a.start - b.end, b.start - a.end);
}

/** Compares one file's detections with its expected events (see the module doc for the rules). */
export function compareEvents(expected: readonly ExpectedEvent[], detected: readonly KeywordEvent[], tolerance: number): Comparison[] {
  const pairs: Array<{ e: number; d: number; dist: number }> = [];
  expected.forEach((x, e) =>
    detected.forEach((y, d) => {
      const dist = spanDistance(x, y);
      if (x.keyword === y.keyword && dist <= SHIFT_WINDOW_SEC) pairs.push({ e, d, dist });
    }),
  );
  pairs.sort((a, b) => a.dist - b.dist || a.e - b.e || a.d - b.d);
  const usedE = new Set<number>();
  const usedD = new Set<number>();
  const out: Comparison[] = [];
  for (const p of pairs) {
    if (usedE.has(p.e) || usedD.has(p.d)) continue;
    usedE.add(p.e);
    usedD.add(p.d);
    const outcome: Outcome = p.dist > tolerance ? 'shifted' : expected[p.e].knownMiss ? 'fixed' : 'ok';
    out.push({ outcome, keyword: expected[p.e].keyword, expected: expected[p.e], detected: detected[p.d], distance: p.dist });
  }
  expected.forEach((x, e) => usedE.has(e) || out.push({ outcome: x.knownMiss ? 'known-miss' : 'missed', keyword: x.keyword, expected: x }));
  detected.forEach((y, d) => usedD.has(d) || out.push({ outcome: 'extra', keyword: y.keyword, detected: y }));
  const at = (c: Comparison) => (c.expected ?? c.detected)!.start;
  return out.sort((a, b) => at(a) - at(b));
}

export interface FileReport {
  file: string;
  comparisons: Comparison[];
  /** Set when the file could not be read: the whole file counts as a regression. */
  error?: string;
}

export interface RegressionSummary {
  ok: number;
  missed: number;
  shifted: number;
  extra: number;
  'known-miss': number;
  fixed: number;
  errors: number;
  passed: boolean;
}

export function summarize(reports: readonly FileReport[]): RegressionSummary {
  const s = { ok: 0, missed: 0, shifted: 0, extra: 0, 'known-miss': 0, fixed: 0, errors: 0, passed: false };
  for (const r of reports) {
    if (r.error) s.errors++;
    for (const c of r.comparisons) s[c.outcome]++;
  }
  s.passed = s.missed + s.shifted + s.extra + s.fixed + s.errors === 0;
  return s;
}

/** The pass/fail table a person reads: one row per expected or detected event. */
export function formatRegressionTable(reports: readonly FileReport[], tolerance: number): string {
  const rows: string[][] = [['file', 'result', 'keyword', 'expected (s)', 'detected (s)', 'off by (s)']];
  const span = (x?: { start: number; end: number }) => (x ? `${x.start.toFixed(2)}–${x.end.toFixed(2)}` : '—');
  for (const r of reports) {
    if (r.error) rows.push([r.file, 'ERROR', '—', '—', '—', r.error]);
    else if (r.comparisons.length === 0) rows.push([r.file, 'ok', '(none)', '—', '—', '—']);
    for (const c of r.comparisons) {
      const label = c.outcome === 'ok' ? 'ok' : c.outcome.toUpperCase();
      rows.push([r.file, label, c.keyword, span(c.expected), span(c.detected), c.distance === undefined ? '—' : c.distance.toFixed(2)]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const s = summarize(reports);
  lines.push('');
  lines.push(
    `${s.passed ? 'PASS' : 'FAIL'}: ${s.ok} ok, ${s.missed} missed, ${s.shifted} shifted, ${s.extra} extra` +
      `${s['known-miss'] ? `, ${s['known-miss']} known misses` : ''}${s.fixed ? `, ${s.fixed} fixed (drop their knownMiss)` : ''}` +
      `${s.errors ? `, ${s.errors} unreadable` : ''} (tolerance ${tolerance} s)`,
  );
  return lines.join('\n');
}
