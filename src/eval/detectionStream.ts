/**
 * A long synthetic "day in the life" stream for detection metrics: background noise, with
 * non-keyword speech (`_unknown_` clips and background speech recordings) and keyword clips
 * inserted at known times. Keyword clips are cycled through in order, each with its own gain,
 * so a short test split still fills a long stream.
 *
 * The stream is built one block at a time (BLOCK_SEC of audio), never whole, so an hour of it
 * costs one block of memory. Deterministic for a seed.
 */
import { TARGET_SAMPLE_RATE } from '../audio/source';
import { SILENCE_LABEL, UNKNOWN_LABEL } from '../data/dataset';
import { normalizeRms, segmentAt } from '../data/augment';
import { LabelledClip } from '../data/sequence';
import { Rng, rngFor } from '../data/random';

export const BLOCK_SEC = 60;

export interface TruthEvent {
  keyword: string;
  /** Word start and end in seconds from the stream start. */
  start: number;
  end: number;
}

/** What was inserted where (seconds from the stream start): a keyword clip (whole, `label` its keyword), a non-keyword clip, or a cut of a running-speech recording. */
export interface PlacedItem {
  source: 'keyword' | 'clip' | 'speech';
  label?: string;
  /** Which clip or recording of its source (the keyword clips, the non-keyword clips, the speech recordings): repeats of one share it. */
  from: number;
  /** The file it came from, when known (a clip's path; a speech recording's StreamOptions.speechFiles entry). */
  path?: string;
  start: number;
  end: number;
}

export interface StreamOptions {
  minutes: number;
  seed: number;
  /** Speech-to-background ratio range (dB) of inserted clips. */
  snrDb?: [number, number];
  /** Mean gap between inserted items (s). */
  meanGapSec?: number;
  /** Share of inserted items that are keywords (the rest are non-keyword speech). */
  keywordShare?: number;
  /** Share of the non-keyword items that are 3–8 s of a background speech recording, when there are also clips. */
  speechShare?: number;
  /** Told of every piece of a recording or clip put into the stream (noise bed included), so a report can say what it rests on. */
  onItem?: OnItem;
  /** The file of each `speech` recording, in order, so PlacedItem can name it. */
  speechFiles?: readonly string[];
}

/** `length` samples of `from`, starting at `start` (wrapping around at its end), went into the stream. */
export type OnItem = (from: Float32Array, start: number, length: number) => void;

/** Default StreamOptions.speechShare: most non-keyword items are the clips, some running speech. */
export const SPEECH_SHARE = 0.3;

export interface StreamBlock {
  audio: Float32Array;
  truth: TruthEvent[];
  items: PlacedItem[];
}

/**
 * Yields the stream's blocks in order. `noise` are background-noise recordings, `speech` long
 * non-keyword speech recordings (may be empty); `clips` the split's labelled clips.
 */
export function* detectionStream(
  clips: readonly LabelledClip[],
  labels: readonly string[],
  noise: readonly Float32Array[],
  speech: readonly Float32Array[],
  o: StreamOptions,
): Generator<StreamBlock> {
  const keywordClips = clips.filter((c) => c.word && !isFiller(labels[c.label]));
  const otherSpeech = clips.filter((c) => c.word && labels[c.label] === UNKNOWN_LABEL);
  const [snrLo, snrHi] = o.snrDb ?? [5, 20];
  const meanGap = o.meanGapSec ?? 2.5;
  const keywordShare = o.keywordShare ?? 0.4;
  const blocks = Math.ceil((o.minutes * 60) / BLOCK_SEC);
  const blockSamples = BLOCK_SEC * TARGET_SAMPLE_RATE;
  let nextKeyword = 0;
  for (let b = 0; b < blocks; b++) {
    const rng = rngFor(o.seed, 'stream-block', b);
    const level = 10 ** (rng.uniform(-50, -35) / 20);
    const bed = noise.length > 0 ? cut(rng.pick(noise), blockSamples, rng) : null;
    if (bed) o.onItem?.(bed.from, bed.start, blockSamples);
    const audio = bed ? normalizeRms(bed.samples, level) : new Float32Array(blockSamples);
    const truth: TruthEvent[] = [];
    const items: PlacedItem[] = [];
    const seconds = (sample: number) => (b * blockSamples + sample) / TARGET_SAMPLE_RATE;
    let at = Math.round(rng.uniform(0.5, 2) * TARGET_SAMPLE_RATE);
    for (;;) {
      const isKeyword = keywordClips.length > 0 && rng.chance(keywordShare);
      let piece: Piece;
      let placed: Omit<PlacedItem, 'start' | 'end'> | null;
      if (isKeyword) {
        const from = nextKeyword++ % keywordClips.length;
        const clip = keywordClips[from];
        piece = whole(clip.samples);
        if (at + clip.samples.length > blockSamples) break;
        const keyword = labels[clip.label];
        truth.push({ keyword, start: seconds(at + clip.word!.start), end: seconds(at + clip.word!.end) });
        placed = { source: 'keyword', label: keyword, from, ...(clip.path !== undefined && { path: clip.path }) };
      } else {
        const picked = pickSpeech(otherSpeech, speech, o.speechFiles, o.speechShare ?? SPEECH_SHARE, rng);
        piece = picked.piece;
        if (piece.samples.length === 0) piece = { ...whole(new Float32Array(0)), samples: new Float32Array(TARGET_SAMPLE_RATE) }; // 1 s of nothing
        if (at + piece.samples.length > blockSamples) break;
        placed = picked.source && { source: picked.source, from: picked.from, ...(picked.path !== undefined && { path: picked.path }) };
      }
      if (placed) items.push({ ...placed, start: seconds(at), end: seconds(at + piece.samples.length) });
      const item = piece.samples;
      o.onItem?.(piece.from, piece.start, item.length);
      addAtSnr(audio, item, at, level, rng.uniform(snrLo, snrHi));
      at += item.length + Math.round(rng.uniform(0.5, 2 * meanGap - 0.5) * TARGET_SAMPLE_RATE);
    }
    yield { audio, truth, items };
  }
}

/** `_unknown_` or `_silence_`: not a keyword. */
export function isFiller(label: string): boolean {
  return label === UNKNOWN_LABEL || label === SILENCE_LABEL;
}

/** A non-keyword clip, or (with probability `speechShare`) 3–8 s of a background speech recording; which one, and its file when known. */
function pickSpeech(
  clips: readonly LabelledClip[],
  speech: readonly Float32Array[],
  speechFiles: readonly string[] | undefined,
  speechShare: number,
  rng: Rng,
): { piece: Piece; source: PlacedItem['source'] | null; from: number; path?: string } {
  if (speech.length > 0 && (clips.length === 0 || rng.chance(speechShare))) {
    const from = rng.int(speech.length);
    const piece = cut(speech[from], Math.round(rng.uniform(3, 8) * TARGET_SAMPLE_RATE), rng);
    return { piece, source: 'speech', from, path: speechFiles?.[from] };
  }
  if (clips.length === 0) return { piece: whole(new Float32Array(0)), source: null, from: -1 };
  const from = rng.int(clips.length);
  return { piece: whole(clips[from].samples), source: 'clip', from, path: clips[from].path };
}

/** Audio for the stream and where it was taken from (for onItem). */
interface Piece {
  samples: Float32Array;
  from: Float32Array;
  start: number;
}

function whole(x: Float32Array): Piece {
  return { samples: x, from: x, start: 0 };
}

/** randomSegment (the same draws), remembering where it cut. */
function cut(x: Float32Array, length: number, rng: Rng): Piece {
  if (x.length === 0) return { samples: new Float32Array(length), from: x, start: 0 };
  const start = rng.int(x.length);
  return { samples: segmentAt(x, start, length), from: x, start };
}

/** Adds `item` at `at`, scaled so its RMS is `snrDb` above the background level. */
function addAtSnr(audio: Float32Array, item: Float32Array, at: number, level: number, snrDb: number): void {
  const scaled = normalizeRms(item, level * 10 ** (snrDb / 20));
  for (let i = 0; i < scaled.length && at + i < audio.length; i++) audio[at + i] += scaled[i];
}
