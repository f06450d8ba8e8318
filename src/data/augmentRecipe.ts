/**
 * One random augmentation chain for a speech recording, built from the primitives in augment.ts:
 *   speed perturbation → room reverb → placement at a random time in the clip → additive noise at a
 *   random SNR → band-limiting (device microphone) → random gain → peak limit.
 * Every choice is drawn from the Rng passed in, so (recording, rng state) fixes the output.
 */
import { bandLimit, changeSpeed, limitPeak, mixAtSnr, peak, placeInClip, randomSegment, reverb, scale } from './augment';
import { TARGET_SAMPLE_RATE } from '../audio/source';
import { findWord, WordSpan } from './align';
import { Rng } from './random';

export type NoiseKind = 'white' | 'pink' | 'brown' | 'babble';

/** Long noise recordings (unit RMS is convenient but not required) to cut segments from. */
export type NoiseBank = Partial<Record<NoiseKind, Float32Array>>;

export interface AugmentSettings {
  sampleRate: number;
  /** Probability and range of speed perturbation factors (1.1 = 10 % faster and higher). */
  speedProb: number;
  speedRange: [number, number];
  reverbProb: number;
  /** Reverberation time RT60 in seconds. */
  rt60Range: [number, number];
  noiseProb: number;
  snrDbRange: [number, number];
  bandLimitProb: number;
  /** Peak level of the finished clip in dB full scale. */
  peakDbRange: [number, number];
}

export const DEFAULT_AUGMENT: AugmentSettings = {
  sampleRate: TARGET_SAMPLE_RATE,
  speedProb: 0.5,
  speedRange: [0.9, 1.1],
  reverbProb: 0.3,
  rt60Range: [0.15, 0.6],
  noiseProb: 0.8,
  snrDbRange: [0, 20],
  bandLimitProb: 0.3,
  peakDbRange: [-20, -1],
};

/** Device bandwidths band-limiting picks from: [low Hz, high Hz]. */
export const DEVICE_BANDS: Record<string, [number, number]> = {
  telephone: [300, 3400],
  wearable: [150, 6000],
  'cheap-mic': [100, 4500],
};

/** What augmentSpeech did, for logs and corpus summaries. */
export interface AugmentInfo {
  speed: number;
  rt60: number | null;
  offset: number;
  noise: NoiseKind | null;
  snrDb: number | null;
  band: string | null;
  peakDb: number;
  /**
   * Where the word is in the clip (samples), found on the clean speech before reverb and noise —
   * exact where an aligner on the finished clip (0 dB babble) is often wrong. A render with no
   * quieter part counts as all word; null only when the span falls outside the clip.
   */
  word: WordSpan | null;
}

/**
 * Augments `speech` into a clip of exactly `clipLength` samples. The speech is placed at a random
 * offset such that it fits whole (it is cut only when longer than the clip).
 */
export function augmentSpeech(
  speech: Float32Array,
  clipLength: number,
  rng: Rng,
  noises: NoiseBank,
  settings: AugmentSettings = DEFAULT_AUGMENT,
): { samples: Float32Array; info: AugmentInfo } {
  const s = settings;
  // the word's span in the clean render; a render with no quieter part is all word
  const dry = findWord(speech, { sampleRate: s.sampleRate }) ?? { start: 0, end: speech.length };
  let x = speech;
  let speed = rng.chance(s.speedProb) ? rng.uniform(s.speedRange[0], s.speedRange[1]) : 1;
  if (speed !== 1) {
    x = changeSpeed(x, speed);
    speed = speech.length / x.length; // the factor actually applied (changeSpeed rounds it)
  }
  let rt60: number | null = null;
  if (rng.chance(s.reverbProb)) {
    rt60 = rng.uniform(s.rt60Range[0], s.rt60Range[1]);
    x = reverb(x, rt60, s.sampleRate, rng);
  }
  const slack = clipLength - x.length;
  const offset = slack >= 0 ? rng.int(slack + 1) : Math.floor(slack / 2);
  let clip = placeInClip(x, clipLength, offset);
  const at = (i: number) => Math.max(0, Math.min(clipLength, Math.round(i / speed) + offset));
  const word = { start: at(dry.start), end: at(dry.end) };
  const kinds = (Object.keys(noises) as NoiseKind[]).filter((k) => noises[k] && noises[k]!.length > 0).sort();
  let noise: NoiseKind | null = null;
  let snrDb: number | null = null;
  if (kinds.length > 0 && rng.chance(s.noiseProb)) {
    noise = rng.pick(kinds);
    snrDb = rng.uniform(s.snrDbRange[0], s.snrDbRange[1]);
    clip = mixAtSnr(clip, randomSegment(noises[noise]!, clipLength, rng), snrDb);
  }
  let band: string | null = null;
  if (rng.chance(s.bandLimitProb)) {
    band = rng.pick(Object.keys(DEVICE_BANDS).sort());
    clip = bandLimit(clip, DEVICE_BANDS[band][0], DEVICE_BANDS[band][1], s.sampleRate);
  }
  const peakDb = rng.uniform(s.peakDbRange[0], s.peakDbRange[1]);
  clip = setPeakDb(clip, peakDb);
  return { samples: clip, info: { speed, rt60, offset, noise, snrDb, band, peakDb, word: word.end > word.start ? word : null } };
}

/**
 * A `_silence_` clip: a segment of one of the noises at a random level (peak −50 … −10 dBFS),
 * optionally band-limited, and a pure-digital-silence clip now and then (probability 0.05).
 */
export function noiseOnlyClip(clipLength: number, rng: Rng, noises: NoiseBank, settings: AugmentSettings = DEFAULT_AUGMENT): Float32Array {
  const kinds = (Object.keys(noises) as NoiseKind[]).filter((k) => noises[k] && noises[k]!.length > 0).sort();
  if (kinds.length === 0 || rng.chance(0.05)) return new Float32Array(clipLength);
  let clip = randomSegment(noises[rng.pick(kinds)]!, clipLength, rng);
  if (rng.chance(settings.bandLimitProb)) {
    const band = DEVICE_BANDS[rng.pick(Object.keys(DEVICE_BANDS).sort())];
    clip = bandLimit(clip, band[0], band[1], settings.sampleRate);
  }
  return setPeakDb(clip, rng.uniform(-50, -10));
}

function setPeakDb(x: Float32Array, peakDb: number): Float32Array {
  const p = peak(x);
  return p > 0 ? limitPeak(scale(x, Math.pow(10, peakDb / 20) / p)) : x;
}
