/**
 * Offline audio regression tests (manifests: manifest.ts): which expected keyword events a run
 * found, missed, shifted or invented.
 *
 * Matching, per file and keyword: the distance between an expected span [start, end] (a `time`
 * is the span [time, time]) and a detected event's [start, end] is 0 when they overlap, else the
 * gap between them. Pairs are matched greedily, closest first, each used once:
 *   distance ≤ tolerance                     → ok
 *   tolerance < distance ≤ SHIFT_WINDOW_SEC   → shifted (found, but in the wrong place)
 * Expected events left over are `missed`; detections left over are `extra`.
 * Any missed, shifted or extra event is a regression.
 */
import { KeywordEvent } from '../pipeline/events';
import { ExpectedEvent } from './manifest';

/** How far from its expected place a detection still counts as "the same event, shifted". */
export const SHIFT_WINDOW_SEC = 3;
export type Outcome = 'ok' | 'missed' | 'shifted' | 'extra' | 'known-miss' | 'fixed';

export interface Comparison {
  outcome: Outcome;
  keyword: string;
  expected?: ExpectedEvent;
  detected?: KeywordEvent;
  /** Seconds between expected and detected spans (0 when they overlap); absent for missed/extra. */
  distance?: number;
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
