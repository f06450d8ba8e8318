/**
 * Finds where the spoken word sits inside a clip, so training sequences can end where the word
 * ends (and the streaming runtime learns to fire right after it).
 *
 * Method: short-time log energy E[n] (dB) over 25 ms windows every 10 ms. The noise floor is a
 * low percentile of E, the speech level a high percentile; frames louder than
 *   floor + RISE·(level − floor)
 * are voiced. Voiced runs closer than MAX_GAP are merged (words such as "smart mirror" have
 * pauses), and the run holding the most energy above the floor is the word. A stretch of at least
 * QUIET_END_SEC at an end of that run which stays QUIET_BELOW_LEVEL_DB under the speech level and is
 * dull (brightness B = Σ(x[n] − x[n−1])² / Σx[n]² below FRICATIVE_BRIGHTNESS) is cut off: a recorder
 * that raises its gain early and gates after the word (a tenth of the real alexa recordings) leaves
 * such a raised noise floor, which the floor of the whole clip counts as speech; a word-final
 * fricative (the /s/ of "glass") is as quiet but bright (B ≈ 2, as hiss), and stays. Pure and
 * deterministic; clips with no clear word (level − floor < MIN_CONTRAST dB) return null —
 * unless digital silence surrounds them (clean speech, zero-padded), when the word is the
 * non-silent part.
 */
import { TARGET_SAMPLE_RATE } from '../audio/source';

export interface WordSpan {
  /** First and one-past-last sample of the word. */
  start: number;
  end: number;
}

export interface AlignOptions {
  sampleRate?: number;
  /** Fraction of the floor→level range a frame must reach to count as speech. */
  rise?: number;
  /** Gaps shorter than this (seconds) inside a word are bridged. */
  maxGapSec?: number;
  /** Below this contrast (dB) between speech level and floor the clip is treated as wordless. */
  minContrastDb?: number;
}

const WINDOW_SEC = 0.025;
const HOP_SEC = 0.01;
const DIGITAL_SILENCE_DB = -90;
const QUIET_END_SEC = 0.3;
const QUIET_BELOW_LEVEL_DB = 12;
/** Hiss and fricatives have B ≈ 2 (white noise: 2); voicing and hum well under 1. */
const FRICATIVE_BRIGHTNESS = 0.5;

/** Log energy (dB) of each 25 ms window every 10 ms. */
export function frameEnergyDb(samples: Float32Array, sampleRate: number): Float64Array {
  const win = Math.round(WINDOW_SEC * sampleRate);
  const hop = Math.round(HOP_SEC * sampleRate);
  const n = samples.length < win ? 0 : 1 + Math.floor((samples.length - win) / hop);
  const out = new Float64Array(n);
  for (let f = 0; f < n; f++) {
    let e = 0;
    for (let i = f * hop, end = i + win; i < end; i++) e += samples[i] * samples[i];
    out[f] = 10 * Math.log10(e / win + 1e-10);
  }
  return out;
}

/** Brightness B of the window of frame f (as frameEnergyDb cuts them): the first difference's energy over the signal's. */
function frameBrightness(samples: Float32Array, f: number, win: number, hop: number): number {
  let energy = 1e-12;
  let diff = 0;
  for (let i = f * hop + 1, end = f * hop + win; i < end; i++) {
    energy += samples[i] * samples[i];
    diff += (samples[i] - samples[i - 1]) ** 2;
  }
  return diff / energy;
}

/**
 * The run [first, last] without a quiet, dull stretch of at least QUIET_END_SEC at either end.
 * Brightness is measured only on the quiet frames at the ends, the only ones it can decide.
 */
function trimRaisedFloor(
  samples: Float32Array,
  energy: Float64Array,
  first: number,
  last: number,
  level: number,
  win: number,
  hop: number,
): [number, number] {
  const minFrames = Math.round(QUIET_END_SEC / HOP_SEC);
  const raisedFloor = (f: number) =>
    energy[f] < level - QUIET_BELOW_LEVEL_DB && frameBrightness(samples, f, win, hop) < FRICATIVE_BRIGHTNESS;
  let a = first;
  while (a <= last && raisedFloor(a)) a++;
  let b = last;
  while (b >= a && raisedFloor(b)) b--;
  if (b < a) return [first, last];
  return [a - first >= minFrames ? a : first, last - b >= minFrames ? b : last];
}

function percentile(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export function findWord(samples: Float32Array, opts: AlignOptions = {}): WordSpan | null {
  const sampleRate = opts.sampleRate ?? TARGET_SAMPLE_RATE;
  const rise = opts.rise ?? 0.35;
  const hop = Math.round(HOP_SEC * sampleRate);
  const win = Math.round(WINDOW_SEC * sampleRate);
  const maxGap = Math.round((opts.maxGapSec ?? 0.3) / HOP_SEC);
  const energy = frameEnergyDb(samples, sampleRate);
  // Digital silence (zero padding, a decoder that stopped early) says nothing about the
  // room's noise floor: leave it out of the statistics.
  const live = energy.filter((e) => e > DIGITAL_SILENCE_DB);
  if (live.length === 0) return null;
  const floor = percentile(live, 0.1);
  const level = percentile(live, 0.98);
  if (level - floor < (opts.minContrastDb ?? 10)) {
    // No contrast among the non-zero frames, but zeros around them (clean TTS output): the word
    // is what is not digital silence. Otherwise nothing stands out: no word.
    if (live.length === energy.length) return null;
    const first = energy.findIndex((e) => e > DIGITAL_SILENCE_DB);
    let last = energy.length - 1;
    while (energy[last] <= DIGITAL_SILENCE_DB) last--;
    return { start: first * hop, end: Math.min(samples.length, last * hop + win) };
  }
  const gate = floor + rise * (level - floor);

  // Voiced runs, merged across short gaps, scored by energy above the floor.
  let best: { first: number; last: number; mass: number } | null = null;
  let run: { first: number; last: number; mass: number } | null = null;
  for (let f = 0; f < energy.length; f++) {
    if (energy[f] < gate) continue;
    if (run && f - run.last <= maxGap) {
      run.last = f;
    } else {
      run = { first: f, last: f, mass: 0 };
    }
    run.mass += energy[f] - floor;
    if (!best || run.mass > best.mass || run === best) best = run;
  }
  if (!best) return null;
  const [first, last] = trimRaisedFloor(samples, energy, best.first, best.last, level, win, hop);
  return { start: first * hop, end: Math.min(samples.length, last * hop + win) };
}
