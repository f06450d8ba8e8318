/**
 * Offline audio regression tests (manifests: manifest.ts): which expected keyword events a run
 * found, missed, shifted or invented.
 *
 * Matching, per file and keyword: the distance between an expected span [start, end] (a `time`
 * is the span [time, time]) and a detected event's [start, end] is 0 when they overlap, else the
 * gap between them. Pairs are matched greedily, closest first, each used once:
 *   distance ≤ tolerance                     → ok
 *   tolerance < distance ≤ SHIFT_WINDOW_SEC   → shifted (found, but in the wrong place)
 * Expected events left over are `missed`. Detections left over are then matched the same way,
 * within the tolerance, to the manifest's documented false alarms → `known-false-alarm`; the
 * rest are `extra`. Any missed, shifted or extra event is a regression, and so is any `fixed`
 * one: a knownMiss found, or a known false alarm that no longer fires (the manifest must say
 * exactly what the model gets wrong).
 */
import { KeywordEvent } from '../pipeline/events';
import { ExpectedEvent, KeywordSpan, KnownFalseAlarm } from './manifest';

/** How far from its expected place a detection still counts as "the same event, shifted". */
export const SHIFT_WINDOW_SEC = 3;
export type Outcome = 'ok' | 'missed' | 'shifted' | 'extra' | 'known-miss' | 'known-false-alarm' | 'fixed';

export interface Comparison {
  outcome: Outcome;
  keyword: string;
  expected?: ExpectedEvent;
  detected?: KeywordEvent;
  /** The manifest's known false alarm this detection is (`known-false-alarm`), or that no longer fires (`fixed`). */
  knownFalseAlarm?: KnownFalseAlarm;
  /** Seconds between the manifest's span and the detected one (0 when they overlap); absent when either is. */
  distance?: number;
}

/** Gap in seconds between two spans, 0 when they overlap. */
export function spanDistance(a: { start: number; end: number }, b: { start: number; end: number }): number {
  return Math.max(0, a.start - b.end, b.start - a.end);
}

/** One-to-one pairs (indices into `a` and `b`) of same-keyword spans at most `maxDist` apart, greedily closest first. */
function matchClosest(
  a: readonly KeywordSpan[],
  b: readonly KeywordSpan[],
  maxDist: number,
): Array<{ a: number; b: number; dist: number }> {
  const pairs: Array<{ a: number; b: number; dist: number }> = [];
  a.forEach((x, i) =>
    b.forEach((y, j) => {
      const dist = spanDistance(x, y);
      if (x.keyword === y.keyword && dist <= maxDist) pairs.push({ a: i, b: j, dist });
    }),
  );
  pairs.sort((p, q) => p.dist - q.dist || p.a - q.a || p.b - q.b);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  return pairs.filter((p) => {
    if (usedA.has(p.a) || usedB.has(p.b)) return false;
    usedA.add(p.a);
    usedB.add(p.b);
    return true;
  });
}

/** Compares one file's detections with its expected events and known false alarms (see the module doc for the rules). */
export function compareEvents(
  expected: readonly ExpectedEvent[],
  detected: readonly KeywordEvent[],
  tolerance: number,
  knownFalseAlarms: readonly KnownFalseAlarm[] = [],
): Comparison[] {
  const out: Comparison[] = [];
  const found = matchClosest(expected, detected, SHIFT_WINDOW_SEC);
  for (const p of found) {
    const x = expected[p.a];
    const outcome: Outcome = p.dist > tolerance ? 'shifted' : x.knownMiss ? 'fixed' : 'ok';
    out.push({ outcome, keyword: x.keyword, expected: x, detected: detected[p.b], distance: p.dist });
  }
  const foundE = new Set(found.map((p) => p.a));
  const foundD = new Set(found.map((p) => p.b));
  expected.forEach(
    (x, e) => foundE.has(e) || out.push({ outcome: x.knownMiss ? 'known-miss' : 'missed', keyword: x.keyword, expected: x }),
  );
  // Only detections no expected event accounts for can be a known false alarm.
  const unexplained = detected.filter((_, d) => !foundD.has(d));
  const known = matchClosest(knownFalseAlarms, unexplained, tolerance);
  for (const p of known) {
    const k = knownFalseAlarms[p.a];
    out.push({ outcome: 'known-false-alarm', keyword: k.keyword, detected: unexplained[p.b], knownFalseAlarm: k, distance: p.dist });
  }
  const knownK = new Set(known.map((p) => p.a));
  const knownD = new Set(known.map((p) => p.b));
  knownFalseAlarms.forEach((k, i) => knownK.has(i) || out.push({ outcome: 'fixed', keyword: k.keyword, knownFalseAlarm: k }));
  unexplained.forEach((y, d) => knownD.has(d) || out.push({ outcome: 'extra', keyword: y.keyword, detected: y }));
  const at = (c: Comparison) => (c.expected ?? c.detected ?? c.knownFalseAlarm)!.start;
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
  'known-false-alarm': number;
  fixed: number;
  errors: number;
  passed: boolean;
}

export function summarize(reports: readonly FileReport[]): RegressionSummary {
  const s = { ok: 0, missed: 0, shifted: 0, extra: 0, 'known-miss': 0, 'known-false-alarm': 0, fixed: 0, errors: 0, passed: false };
  for (const r of reports) {
    if (r.error) s.errors++;
    for (const c of r.comparisons) s[c.outcome]++;
  }
  s.passed = s.missed + s.shifted + s.extra + s.fixed + s.errors === 0;
  return s;
}
