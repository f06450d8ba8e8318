/**
 * Finds the hard-negative windows of a negative stream (one with no keyword in it): the model's
 * runtime path runs over it frame by frame, and two smoothers replay its posteriors — one at the
 * model's thresholds, whose every event is a false alarm, and one at `thresholdScale` × them;
 * an event of either opens a window. A window follows its keyword's smoothed posterior up to the
 * peak (until it falls below the scaled threshold, at most PEAK_SEARCH_SEC) and is the
 * `clipSamples` of audio that end MINED_TAIL_SEC after the peak's frame: the part of the stream
 * that made the model fire, placed as training places a keyword (the word ends just before the
 * window does). Only the last stretch of audio is kept, so an hour of stream costs a block of memory.
 */
import { DetectionModel, posteriorRunner } from '../eval/detection';
import { PosteriorSmoother } from '../pipeline/smoother';
import { FIRE_DELAY } from '../data/sequence';

/** Seconds of the window after the end of the peak's frame. */
export const MINED_TAIL_SEC = 0.1;
/** Longest the peak is looked for after the firing frame. */
export const PEAK_SEARCH_SEC = 1;

export interface MinedWindow {
  keyword: string;
  /** The smoothed posterior at its peak, and the peak's frame in the stream. */
  peak: number;
  peakFrame: number;
  /** The window's first sample in the stream (negative: zero-padded before the stream's start). */
  startSample: number;
  audio: Float32Array;
  /**
   * Where the firing run began (its onset frame), in samples from the window's start, less
   * FIRE_DELAY frames: as a word's end it makes training's `_unknown_` targets start at that frame.
   */
  firedSample: number;
}

export interface StreamMining {
  hours: number;
  /** Events per keyword at the model's thresholds: each one a false alarm. */
  falseAlarms: Record<string, number>;
  /** Windows found per keyword at the scaled thresholds. */
  windows: Record<string, number>;
}

export interface MineStreamOptions {
  thresholdScale: number;
  clipSamples: number;
  onWindow: (window: MinedWindow) => void;
}

interface Rising {
  k: number;
  peak: number;
  peakFrame: number;
  firedFrame: number;
  onsetFrame: number;
}

interface Piece {
  start: number;
  audio: Float32Array;
}

export function mineStream(model: DetectionModel, blocks: Iterable<{ audio: Float32Array }>, o: MineStreamOptions): StreamMining {
  const { hop, windowSize, sampleRate } = model.features;
  const keywords = model.keywords;
  const scaled = keywords.map((k) => model.smoother.thresholds[k] * o.thresholdScale);
  const atThresholds = new PosteriorSmoother(model.smoother, model.labels, keywords, model.features);
  const near = new PosteriorSmoother(
    { ...model.smoother, thresholds: Object.fromEntries(keywords.map((k, i) => [k, scaled[i]])) },
    model.labels,
    keywords,
    model.features,
  );
  const falseAlarms = Object.fromEntries(keywords.map((k) => [k, 0]));
  const windows = Object.fromEntries(keywords.map((k) => [k, 0]));
  const searchFrames = Math.round((PEAK_SEARCH_SEC * sampleRate) / hop);
  const tail = Math.round(MINED_TAIL_SEC * sampleRate);
  let rising: Rising | null = null;
  const waiting: Omit<MinedWindow, 'audio'>[] = []; // windows whose audio has not all arrived yet
  let pieces: Piece[] = [];
  let end = 0;

  const close = (r: Rising) => {
    const startSample = r.peakFrame * hop + windowSize + tail - o.clipSamples;
    const fired = (r.onsetFrame - FIRE_DELAY) * hop + windowSize - startSample;
    waiting.push({
      keyword: keywords[r.k],
      peak: r.peak,
      peakFrame: r.peakFrame,
      startSample,
      firedSample: Math.min(o.clipSamples, Math.max(hop, fired)),
    });
    windows[keywords[r.k]]++;
  };
  const deliver = (all: boolean) => {
    while (waiting.length > 0 && (all || waiting[0].startSample + o.clipSamples <= end)) {
      const w = waiting.shift()!;
      o.onWindow({ ...w, audio: cut(pieces, w.startSample, o.clipSamples) });
    }
  };
  const run = posteriorRunner(model);
  const onFrame = (posteriors: Float32Array, f: number) => {
    const alarm = atThresholds.push(posteriors, f);
    if (alarm) falseAlarms[alarm.keyword]++;
    // A false alarm opens a window too: a posterior that never falls below the scaled onset level
    // does not re-arm the scaled smoother, yet its firings are the hardest negatives of all.
    const nearMiss = near.push(posteriors, f);
    const onset = nearMiss ?? (alarm && (!rising || keywords[rising.k] !== alarm.keyword) ? alarm : null);
    if (rising) {
      const v = near.smoothed(rising.k);
      if (v > rising.peak) {
        rising.peak = v;
        rising.peakFrame = f;
      }
      if (onset || v < scaled[rising.k] || f - rising.firedFrame >= searchFrames) {
        close(rising);
        rising = null;
      }
    }
    if (onset) {
      const k = keywords.indexOf(onset.keyword);
      rising = { k, peak: near.smoothed(k), peakFrame: f, firedFrame: f, onsetFrame: Math.round((onset.start * sampleRate) / hop) };
    }
  };
  for (const block of blocks) {
    pieces.push({ start: end, audio: block.audio });
    end += block.audio.length;
    run(block.audio, onFrame);
    deliver(false);
    // a later window ends after a peak at most searchFrames back: audio before its start is done with
    pieces = pieces.filter((p) => p.start + p.audio.length > end - o.clipSamples - (searchFrames + 1) * hop - windowSize);
  }
  if (rising) close(rising);
  deliver(true);
  return { hours: end / sampleRate / 3600, falseAlarms, windows };
}

/** Samples [start, start + n) of the stream from the pieces kept, zero where none is. */
function cut(pieces: readonly Piece[], start: number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (const p of pieces) {
    const from = Math.max(start, p.start);
    const to = Math.min(start + n, p.start + p.audio.length);
    if (to > from) out.set(p.audio.subarray(from - p.start, to - p.start), from - start);
  }
  return out;
}
