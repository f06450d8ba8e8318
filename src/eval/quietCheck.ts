/**
 * A keyword spotter must stay silent on silence. The validation stream alone cannot promise
 * that: a model that never learned its keywords can meet any false-alarm budget there with a
 * threshold at the bottom of the range and then fire on every file, digital silence included.
 *
 * So thresholds are checked against QUIET_INPUTS — digital silence and low-level noise — each run
 * through the streaming runtime from a reset state, like a new file (the classifier's first
 * frames and the smoother's warm-up included). A keyword that fires on any of them has its
 * threshold raised, one grid step at a time, until none fires or the grid ends.
 */
import { TARGET_SAMPLE_RATE } from '../audio/source';
import { normalizeRms, pinkNoise, whiteNoise } from '../data/augment';
import { DetectionModel, RecordedStream, recordPosteriors, scoreDetections, THRESHOLD_GRID } from './detection';
import { rngFor } from '../data/random';

/** Seconds of each quiet input: long past any warm-up, short enough to cost nothing. */
export const QUIET_SECONDS = 10;
const dbfs = (db: number) => 10 ** (db / 20);

/** A quiet room through a microphone sits around −60…−50 dBFS. */
export const QUIET_INPUTS: ReadonlyArray<{ name: string; make(samples: number, seed: number): Float32Array }> = [
  { name: 'digital silence', make: (n) => new Float32Array(n) },
  { name: 'white noise at −60 dBFS', make: (n, seed) => normalizeRms(whiteNoise(n, rngFor(seed, 'quiet-white')), dbfs(-60)) },
  { name: 'pink noise at −50 dBFS', make: (n, seed) => normalizeRms(pinkNoise(n, rngFor(seed, 'quiet-pink')), dbfs(-50)) },
];

export interface QuietRecording {
  name: string;
  rec: RecordedStream;
}

/** The model's posteriors on every quiet input, each from a reset state. */
export function recordQuiet(model: DetectionModel, seed: number): QuietRecording[] {
  return QUIET_INPUTS.map((q) => ({
    name: q.name,
    rec: recordPosteriors(model, [{ audio: q.make(QUIET_SECONDS * TARGET_SAMPLE_RATE, seed), truth: [], items: [] }]),
  }));
}

/** Keyword → the quiet inputs it fires on at `thresholds` (keywords that fire on none are absent). */
export function quietFalseAlarms(
  quiet: readonly QuietRecording[],
  model: DetectionModel,
  thresholds: Record<string, number>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const q of quiet) {
    for (const [k, s] of Object.entries(scoreDetections(q.rec, model, thresholds))) {
      if (s.falseAlarms > 0) (out[k] ??= []).push(q.name);
    }
  }
  return out;
}

export interface QuietResult {
  thresholds: Record<string, number>;
  /** Keywords whose threshold had to go up: from → to. */
  raised: Record<string, { from: number; to: number }>;
  /** Keywords that still fire on a quiet input at the top of the grid, and on which. */
  firing: Record<string, string[]>;
}

/**
 * Raises every threshold that fires on a quiet input to the next grid value, and again, until no
 * keyword fires or its threshold is at the top of the grid. Each round replays all keywords
 * together, since one keyword's event can hide another's (the shared refractory period).
 */
export function raiseAboveQuiet(
  quiet: readonly QuietRecording[],
  model: DetectionModel,
  chosen: Record<string, number>,
  grid: readonly number[] = THRESHOLD_GRID,
): QuietResult {
  const thresholds = { ...chosen };
  const raised: QuietResult['raised'] = {};
  for (;;) {
    const firing = quietFalseAlarms(quiet, model, thresholds);
    let moved = false;
    for (const k of Object.keys(firing)) {
      const next = grid.find((g) => g > thresholds[k]);
      if (next === undefined) continue;
      raised[k] = { from: raised[k]?.from ?? chosen[k], to: next };
      thresholds[k] = next;
      moved = true;
    }
    if (!moved) return { thresholds, raised, firing };
  }
}
