/**
 * Finds where the spoken word sits inside a clip, so training sequences can end where the word
 * ends (and the streaming runtime learns to fire right after it).
 *
 * Method: short-time log energy E[n] (dB) over 25 ms windows every 10 ms. The noise floor is a
 * low percentile of E, the speech level a high percentile; frames louder than
 *   floor + RISE·(level − floor)
 * are voiced. Voiced runs closer than MAX_GAP are merged (words such as "smart mirror" have
 * pauses), and the run holding the most energy above the floor is the word. Pure and
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
  return { start: best.first * hop, end: Math.min(samples.length, best.last * hop + win) };
}
