/**
 * Detection metrics the way keyword spotters are judged: run the streaming classifier over a
 * long stream once, keep its posteriors, then replay the smoother at many thresholds.
 *
 *   matched event: same keyword as an inserted word, unmatched so far, and its end lies in
 *                  [word start, word end + MATCH_AFTER_SEC]
 *   FRR_k      = missed words of k / inserted words of k
 *   FA/h_k     = unmatched events of k / hours of stream
 * Thresholds are chosen per keyword as the lowest grid value whose FA/h on the (validation)
 * stream is within the keyword's share of the target — the smallest FRR that keeps the budget —
 * with the grid refined by bisection around that budget (refineOperatingPoint).
 *
 * The DET curve (and so the threshold choice) sweeps each keyword's threshold with that keyword
 * replayed alone. Swept all together, the keywords take each other's words: once every threshold
 * is low, whichever keyword crosses first on a word fires, and the shared refractory period and
 * re-arming rule then swallow the right keyword even when it rises higher a moment later. Those
 * misses come from the other keywords' thresholds, not from k's, and make every line rise again
 * at high false-alarm rates. Alone, k's line is what moving k's threshold does to k (the others
 * at high thresholds barely interact with it); a keyword firing on another's word is still k's
 * false alarm. FRR and FA/h at a model's own thresholds (scoreDetections) replay all keywords
 * together, as the spotter runs.
 */
import { concatFloat32 } from '../arrays';
import { FeatureNormalization, FeatureConfig } from '../features/config';
import { MfccExtractor } from '../features/mfcc';
import { makeNormalizer } from '../features/normalize';
import { KeywordEvent } from '../pipeline/events';
import { KeywordScore } from '../model/records';
import { SmootherConfig } from '../model/smootherConfig';
import { PosteriorSmoother } from '../pipeline/smoother';
import { PlacedItem, StreamBlock, TruthEvent } from './detectionStream';
import type { FrameClassifier } from '../pipeline/spotter';

export const MATCH_AFTER_SEC = 1.5;
export const THRESHOLD_GRID = Array.from({ length: 39 }, (_, i) => Math.round((0.05 + i * 0.025) * 1000) / 1000);

/** What detection needs of a model: its features, normalisation, labels and a classifier. */
export interface DetectionModel {
  features: FeatureConfig;
  normalization: FeatureNormalization;
  labels: string[];
  keywords: string[];
  smoother: SmootherConfig;
  classifier: FrameClassifier;
}

export interface RecordedStream {
  /** frames × classes posteriors. */
  posteriors: Float32Array;
  frames: number;
  classes: number;
  truth: TruthEvent[];
  /** Everything inserted into the stream, keyword clips included (what a false alarm fired on). */
  items: PlacedItem[];
  hours: number;
}

/** Posteriors of one frame (a buffer the classifier reuses) and the frame's index in the stream. */
export type OnPosteriors = (posteriors: Float32Array, frame: number) => void;

/**
 * The runtime path for one continuous stream fed in pieces: MFCC → normalisation → classifier,
 * frame by frame, from a reset classifier; frame n covers samples [n·hop, n·hop + windowSize).
 */
export function posteriorRunner(model: DetectionModel): (audio: Float32Array, onFrame: OnPosteriors) => void {
  const extractor = new MfccExtractor(model.features);
  const normalize = makeNormalizer(model.normalization, extractor.config.coefficients);
  const input = new Float32Array(extractor.config.coefficients);
  let frames = 0;
  model.classifier.reset();
  return (audio, onFrame) => extractor.pushInto(audio, (frame) => onFrame(model.classifier.step(normalize(frame, input)), frames++));
}

/** Runs every block through MFCC → normalisation → classifier, frame by frame (the runtime path). */
export function recordPosteriors(model: DetectionModel, blocks: Iterable<StreamBlock>): RecordedStream {
  const run = posteriorRunner(model);
  const C = model.labels.length;
  const parts: Float32Array[] = [];
  const truth: TruthEvent[] = [];
  const items: PlacedItem[] = [];
  let samples = 0;
  for (const block of blocks) {
    const out = new Float32Array(Math.ceil(block.audio.length / model.features.hop + 1) * C);
    let n = 0;
    run(block.audio, (posteriors) => out.set(posteriors, n++ * C));
    parts.push(out.subarray(0, n * C));
    truth.push(...block.truth);
    items.push(...block.items);
    samples += block.audio.length;
  }
  const posteriors = concatFloat32(parts);
  const frames = posteriors.length / C;
  return { posteriors, frames, classes: C, truth, items, hours: samples / model.features.sampleRate / 3600 };
}

/** Replays the smoother over recorded posteriors with `thresholds` and scores its events; the unmatched ones go to `falseAlarms` when given. */
export function scoreDetections(
  rec: RecordedStream,
  model: DetectionModel,
  thresholds: Record<string, number>,
  falseAlarms?: KeywordEvent[],
): Record<string, KeywordScore> {
  return matchEvents(replayEvents(rec, model, model.keywords, thresholds), rec.truth, model.keywords, rec.hours, falseAlarms);
}

/** The smoother's events over recorded posteriors, for `keywords` only (the others never fire). */
function replayEvents(
  rec: RecordedStream,
  model: DetectionModel,
  keywords: readonly string[],
  thresholds: Record<string, number>,
): KeywordEvent[] {
  const columns = keywords.map((k) => model.labels.indexOf(k));
  // The smoother reads only the keywords' posteriors: hand it those, gathered into one reused frame.
  const smoother = new PosteriorSmoother({ ...model.smoother, thresholds }, keywords, keywords, model.features);
  const frame = new Float32Array(keywords.length);
  const events: KeywordEvent[] = [];
  for (let f = 0; f < rec.frames; f++) {
    for (let i = 0; i < columns.length; i++) frame[i] = rec.posteriors[f * rec.classes + columns[i]];
    const e = smoother.push(frame, f);
    if (e) events.push(e);
  }
  return events;
}

/** Pairs events with inserted words (see file comment) and counts per keyword; the unmatched events go to `falseAlarms` when given. */
export function matchEvents(
  events: readonly KeywordEvent[],
  truth: readonly TruthEvent[],
  keywords: readonly string[],
  hours: number,
  falseAlarms?: KeywordEvent[],
): Record<string, KeywordScore> {
  const used = new Uint8Array(truth.length);
  const score: Record<string, KeywordScore> = {};
  for (const k of keywords) score[k] = { inserted: 0, missed: 0, falseAlarms: 0, frr: 0, faPerHour: 0 };
  for (const t of truth) if (score[t.keyword]) score[t.keyword].inserted++;
  for (const e of events) {
    const i = truth.findIndex((t, j) => !used[j] && t.keyword === e.keyword && e.end >= t.start && e.end <= t.end + MATCH_AFTER_SEC);
    if (i >= 0) used[i] = 1;
    else if (score[e.keyword]) {
      score[e.keyword].falseAlarms++;
      falseAlarms?.push(e);
    }
  }
  truth.forEach((t, j) => {
    if (!used[j] && score[t.keyword]) score[t.keyword].missed++;
  });
  for (const s of Object.values(score)) {
    s.frr = s.inserted > 0 ? s.missed / s.inserted : 0;
    s.faPerHour = hours > 0 ? s.falseAlarms / hours : 0;
  }
  return score;
}

export interface DetPoint {
  threshold: number;
  keyword: string;
  frr: number;
  faPerHour: number;
}

/** FRR and FA/h of every keyword at every grid threshold, each keyword replayed alone (file comment). */
export function detCurve(rec: RecordedStream, model: DetectionModel, grid: readonly number[] = THRESHOLD_GRID): DetPoint[] {
  return grid.flatMap((t) => model.keywords.map((keyword) => detPoint(rec, model, keyword, t)));
}

/** One DET point: `keyword` replayed alone at threshold t. */
function detPoint(rec: RecordedStream, model: DetectionModel, keyword: string, t: number): DetPoint {
  const s = scoreAlone(rec, model, keyword, t);
  return { threshold: t, keyword, frr: s.frr, faPerHour: s.faPerHour };
}

/** `keyword` replayed alone at threshold t, as a DET point counts it; its unmatched events go to `falseAlarms` when given. */
function scoreAlone(rec: RecordedStream, model: DetectionModel, keyword: string, t: number, falseAlarms?: KeywordEvent[]): KeywordScore {
  return matchEvents(replayEvents(rec, model, [keyword], { [keyword]: t }), rec.truth, [keyword], rec.hours, falseAlarms)[keyword];
}

/** The false alarms behind a DET point: its keyword replayed alone at its threshold. */
export function falseAlarmsAt(rec: RecordedStream, model: DetectionModel, point: DetPoint): KeywordEvent[] {
  const falseAlarms: KeywordEvent[] = [];
  scoreAlone(rec, model, point.keyword, point.threshold, falseAlarms);
  return falseAlarms;
}

/** Bisections that refine an operating point between two grid thresholds: 0.025 / 2⁶ ≈ 0.0004. */
export const REFINE_STEPS = 6;
/** A bisected threshold is rounded to 4 decimals, which kws.json and the cards print. */
const roundThreshold = (t: number) => Math.round(t * 1e4) / 1e4;

/**
 * The points of `keyword` that a finer grid would add around a false-alarm budget. Softmax
 * posteriors crowd near 1, where one grid step can go from over the budget to no false alarm at
 * all (1.2 FA/h at 0.95, none at 0.975): the operating point, and the miss rate read off it, would
 * sit up to a whole step too high. Between the lowest grid threshold that keeps the budget and the
 * grid threshold below it, `steps` bisections, each one replay of the smoother.
 */
export function refineOperatingPoint(
  rec: RecordedStream,
  model: DetectionModel,
  points: readonly DetPoint[],
  keyword: string,
  targetFaPerHour: number,
  steps = REFINE_STEPS,
): DetPoint[] {
  const mine = points.filter((p) => p.keyword === keyword).sort((a, b) => a.threshold - b.threshold);
  const keeps = mine.findIndex((p) => p.faPerHour <= targetFaPerHour);
  if (keeps <= 0) return [];
  let [over, within] = [mine[keeps - 1].threshold, mine[keeps].threshold];
  const added: DetPoint[] = [];
  for (let i = 0; i < steps; i++) {
    const t = roundThreshold((over + within) / 2);
    if (t <= over || t >= within) break;
    const p = detPoint(rec, model, keyword, t);
    added.push(p);
    if (p.faPerHour <= targetFaPerHour) within = t;
    else over = t;
  }
  return added;
}

/** `points` and every keyword's refined operating points for each budget (FA/h), by threshold then keyword. */
export function refineDet(rec: RecordedStream, model: DetectionModel, points: readonly DetPoint[], budgets: readonly number[]): DetPoint[] {
  const all = [...points];
  const seen = new Set(points.map((p) => `${p.keyword} ${p.threshold}`));
  for (const keyword of model.keywords) {
    for (const budget of budgets) {
      for (const p of refineOperatingPoint(rec, model, all, keyword, budget)) {
        if (!seen.has(`${keyword} ${p.threshold}`)) all.push(p);
        seen.add(`${keyword} ${p.threshold}`);
      }
    }
  }
  const order = (k: string) => model.keywords.indexOf(k);
  return all.sort((a, b) => a.threshold - b.threshold || order(a.keyword) - order(b.keyword));
}

/** Each keyword's share of a false-alarm budget for all keywords together. */
export function keywordShare(targetFaPerHour: number, keywords: readonly string[]): number {
  return targetFaPerHour / Math.max(1, keywords.length);
}

/** Per keyword: the lowest threshold among the points with FA/h ≤ target/keywords, else the highest. */
export function chooseThresholds(
  points: readonly DetPoint[],
  keywords: readonly string[],
  targetFaPerHour: number,
): Record<string, number> {
  const share = keywordShare(targetFaPerHour, keywords);
  const out: Record<string, number> = {};
  for (const k of keywords) {
    const mine = points.filter((p) => p.keyword === k).sort((a, b) => a.threshold - b.threshold);
    const ok = mine.find((p) => p.faPerHour <= share);
    out[k] = (ok ?? mine[mine.length - 1]).threshold;
  }
  return out;
}

/**
 * Miss rate of `keyword` at a false-alarm budget, read off its DET points: the lowest FRR among
 * thresholds whose FA/h ≤ targetFaPerHour (1 when no threshold keeps the budget).
 */
export function missRateAt(points: readonly DetPoint[], keyword: string, targetFaPerHour: number): number {
  return operatingPoint(points, keyword, targetFaPerHour)?.frr ?? 1;
}

/** The point of `keyword` that missRateAt reads: the fewest misses within the budget, at the lowest such threshold; null when none keeps it. */
export function operatingPoint(points: readonly DetPoint[], keyword: string, targetFaPerHour: number): DetPoint | null {
  let best: DetPoint | null = null;
  for (const p of points)
    if (
      p.keyword === keyword &&
      p.faPerHour <= targetFaPerHour &&
      (!best || p.frr < best.frr || (p.frr === best.frr && p.threshold < best.threshold))
    )
      best = p;
  return best;
}

/** Mean over keywords of FRR and the summed FA/h. */
export function summarizeScores(scores: Record<string, KeywordScore>): {
  frr: number;
  faPerHour: number;
  inserted: number;
  missed: number;
  falseAlarms: number;
} {
  const list = Object.values(scores);
  const sum = (f: (s: KeywordScore) => number) => list.reduce((a, s) => a + f(s), 0);
  return {
    frr: list.length ? sum((s) => s.frr) / list.length : 0,
    faPerHour: sum((s) => s.faPerHour),
    inserted: sum((s) => s.inserted),
    missed: sum((s) => s.missed),
    falseAlarms: sum((s) => s.falseAlarms),
  };
}
