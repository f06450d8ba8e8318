/**
 * Turns a labelled clip into one training sequence for a streaming classifier.
 *
 * The runtime reads posteriors at every frame of an endless stream, so a training sequence is a
 * stretch of stream, not a clip on its own:
 *
 *     [ lead-in background | clip (shifted, noise at a random SNR) | tail background ]
 *
 * with the background 10–30 dB below the clip throughout (also under it), and one random gain
 * for the whole sequence; optionally the clip sped up or slowed down and reverberated, the
 * features masked (maskFeatures), and running speech of the training speakers spoken just before
 * the word, at its level (a keyword inside speech: "… and then we can | go"):
 *
 *     [ lead-in background | running speech | gap | word … | tail ]
 *
 *
 * and its targets say, frame by frame, what the stream holds *at that moment*:
 *   - before the word starts:            `_silence_` (weight SILENCE_WEIGHT), or "no keyword"
 *                                        (SPEECH_TARGET) from the first frame that hears running
 *                                        speech before it (weight SPEECH_BEFORE_WEIGHT)
 *   - while the word is being spoken:    no loss (a partial word is ambiguous: "stop…per"), or,
 *                                        with a word-span weight w > 0, "this word or no
 *                                        keyword" (WORD_OR_NONE, weight w)
 *   - from the word's end + FIRE_DELAY
 *     for FIRE_FRAMES frames:            the clip's label (weight 1)
 *   - after that:                        as while the word is spoken (it is still inside the
 *                                        LMU's window)
 * `_silence_` clips are `_silence_` everywhere after a short warm-up; running-speech sequences
 * (a stretch of the training speakers' speech, no clip) are "no keyword" everywhere after it, so
 * that speech without a keyword is something the model has been told to stay quiet on. "No
 * keyword" (SPEECH_TARGET) is `_unknown_` or `_silence_`: a one-hot `_unknown_` there
 * taught the model to say `_unknown_` at the start of every word, keywords included (speech
 * starting is all it has heard yet), and that peak outscored the keyword in clip decisions
 * (validation accuracy 31 % after 4 epochs against 64 % without running speech). The word's span comes from
 * the corpus when it records one (kws synth measures it on the clean speech: synth_clips.tsv),
 * else from the clip aligner (findWord); a clip with no clear word is labelled over the last
 * FIRE_FRAMES frames of the clip.
 *
 * Why WORD_OR_NONE: a clip's decision, like the detector's, is its strongest smoothed posterior
 * at any frame, so frames without loss are where a model is free to say another keyword — the
 * "no" heard at the start of `_unknown_`'s "nine", another keyword's onset inside this one — and those
 * spikes are errors and false alarms. WORD_OR_NONE forbids exactly that and nothing more: the
 * clip's own label (said early) and "no keyword" both stay right there.
 *
 * A target that is a set of classes S (one class, "no keyword" = {`_unknown_`, `_silence_`},
 * WORD_OR_NONE = {label, `_unknown_`, `_silence_`}) is scored −w·log Σ_{c∈S} p_c (trainer.ts): the
 * model may put the mass on any class of S.
 */
import { MfccExtractor } from '../features/mfcc';
import { Normalizer } from '../features/normalize';
import { findWord, WordSpan } from './align';
import { TARGET_SAMPLE_RATE } from '../audio/source';
import { changeSpeed, mixAtSnr, normalizeRms, randomSegment, reverb, rms } from './augment';
import { Rng } from './random';
import { SPEECH_GAP_SEC } from './speechGap';

export const FIRE_DELAY = 3;
export const FIRE_FRAMES = 25;
export const SILENCE_WEIGHT = 0.3;
/** The target "no keyword" of running speech: `_unknown_` or `_silence_` (see above); not a class index. */
export const SPEECH_TARGET = -2;
/** The target "the clip's word or no keyword" while the word is in the window but not firing; not a class index. */
export const WORD_OR_NONE = -3;
/** Weight of the "no keyword" frames that hear running speech before a word. */
export const SPEECH_BEFORE_WEIGHT = 0.3;
/** Seconds of running speech before a word (uniform; cut to the room the lead-in leaves). */
export const SPEECH_BEFORE_SEC: readonly [number, number] = [0.3, 1.2];
/** Level of that speech relative to the clip's RMS, dB. */
export const SPEECH_BEFORE_DB: readonly [number, number] = [-6, 3];
/** Level of a running-speech sequence relative to a clip at unit gain: the RMS of a typical 1 s command clip. */
export const RUNNING_SPEECH_RMS = 0.05;
/** Fade in/out of a cut of running speech, samples (no click where it starts or stops). */
const FADE_SAMPLES = 160;
const WARMUP_FRAMES = 10;
/** How far (dB) below the clip's RMS the lead-in/tail background is mixed: uniform in this range. */
export const BACKGROUND_BELOW_CLIP_DB: readonly [number, number] = [10, 30];

export interface LabelledClip {
  samples: Float32Array;
  /** Index into the model's labels. */
  label: number;
  /** Where the word is (samples); null for `_silence_` or when the aligner found none. */
  word: WordSpan | null;
  /**
   * A running-speech sequence: a stretch of training speech is cut at random each time the
   * sequence is made (`samples` is unused; label is `_unknown_`).
   */
  running?: boolean;
  /** Multiplier of the sequence's frame weights (hard negatives, kws train --hard-negative-weight); absent = 1. */
  weight?: number;
  /** The file it was read from (absent: made here, e.g. digital silence), so a report can say where a stream's clips came from. */
  path?: string;
}

export interface SequenceLayout {
  leadInSamples: number;
  /** Clip samples after shifting/cropping (the clip is placed in a window of this length). */
  clipSamples: number;
  tailSamples: number;
}

export interface Augmentation {
  /** Max shift of the clip inside its window, in samples (either direction). */
  maxShift: number;
  /** Probability that noise is mixed in, and its SNR range in dB. */
  noiseProb: number;
  snrDb: [number, number];
  /** Random gain range in dB. */
  gainDb: [number, number];
  /** Speed perturbation: probability and factor range (1.1 = 10 % faster and higher). */
  speedProb?: number;
  speed?: [number, number];
  /** Room reverb: probability and RT60 range in seconds. */
  reverbProb?: number;
  rt60Sec?: [number, number];
  /** SpecAugment-style masks on the normalised features: how many, and their widest span. */
  timeMasks?: number;
  timeMaskFrames?: number;
  freqMasks?: number;
  freqMaskCoefficients?: number;
  /** Probability of running speech just before the word, and the gap (s) between its end and the word's start. */
  speechBeforeProb?: number;
  speechGapSec?: [number, number];
}

export const NO_AUGMENTATION: Augmentation = { maxShift: 0, noiseProb: 0, snrDb: [20, 20], gainDb: [0, 0] };

/** Frames the extractor makes from `samples` samples (no flush: only complete windows). */
export function frameCount(samples: number, windowSize: number, hop: number): number {
  return samples < windowSize ? 0 : 1 + Math.floor((samples - windowSize) / hop);
}

/** Aligns a clip once, up front: keyword and unknown clips get a word span, silence none. */
export function labelClip(samples: Float32Array, label: number, isSilence: boolean): LabelledClip {
  return { samples, label, word: isSilence ? null : findWord(samples) };
}

/** One sequence's audio, where its word ended up and where running speech before the word is. */
export interface ComposedSequence {
  audio: Float32Array;
  word: WordSpan | null;
  speechBefore: WordSpan | null;
}

/**
 * Builds the audio of one sequence and where the word ends up in it.
 * Deterministic given `rng`; `background` supplies lead-in, tail and additive noise, `speech`
 * (the training speakers' running speech) running-speech sequences and the speech before words.
 */
export function composeSequence(
  clip: LabelledClip,
  layout: SequenceLayout,
  aug: Augmentation,
  background: readonly Float32Array[],
  rng: Rng,
  speech: readonly Float32Array[] = [],
): ComposedSequence {
  const total = layout.leadInSamples + layout.clipSamples + layout.tailSamples;
  if (clip.running) return { audio: runningSpeech(total, aug, background, speech, rng), word: null, speechBefore: null };
  const bg = background.length > 0 ? randomSegment(background[rng.int(background.length)], total, rng) : new Float32Array(total);
  // Shift: where the clip's first sample lands relative to the start of its window.
  const shift = aug.maxShift > 0 ? rng.int(2 * aug.maxShift + 1) - aug.maxShift : 0;
  const gain = randomGain(aug, rng);
  let voice = clip.samples;
  let wordScale = 1;
  if (aug.speedProb && aug.speed && rng.next() < aug.speedProb) {
    const factor = rng.uniform(aug.speed[0], aug.speed[1]);
    voice = changeSpeed(voice, factor);
    wordScale = voice.length / clip.samples.length;
  }
  if (aug.reverbProb && aug.rt60Sec && rng.next() < aug.reverbProb) {
    voice = reverb(voice, rng.uniform(aug.rt60Sec[0], aug.rt60Sec[1]), TARGET_SAMPLE_RATE, rng);
  }
  voice = withNoise(voice, aug, background, rng);
  // The background (often babble or speech) sits below the clip, never over it: at a level fixed
  // in dBFS a quiet clip could drown under it, and its target would still say "keyword".
  const below = rng.uniform(BACKGROUND_BELOW_CLIP_DB[0], BACKGROUND_BELOW_CLIP_DB[1]);
  const level = Math.max(rms(voice), 1e-5);
  const audio = normalizeRms(bg, level * 10 ** (-below / 20));
  const offset = layout.leadInSamples + shift;
  const from = Math.max(0, -offset);
  for (let i = from; i < voice.length && offset + i < total; i++) audio[offset + i] += voice[i];
  let word: WordSpan | null = null;
  if (clip.word) {
    const start = clamp(Math.round(clip.word.start * wordScale) + offset, 0, total);
    const end = clamp(Math.round(clip.word.end * wordScale) + offset, 0, total);
    if (end > start) word = { start, end };
  }
  const speechBefore =
    word && aug.speechBeforeProb && rng.next() < aug.speechBeforeProb ? addSpeechBefore(audio, word.start, level, aug, speech, rng) : null;
  for (let i = 0; i < total; i++) audio[i] *= gain; // the level of the whole stretch of "stream"
  return { audio, word, speechBefore };
}

/** The sequence's one gain (linear), uniform in dB over aug.gainDb. */
function randomGain(aug: Augmentation, rng: Rng): number {
  return 10 ** (rng.uniform(aug.gainDb[0], aug.gainDb[1]) / 20);
}

/** `x` with background noise mixed in at a random SNR (with probability aug.noiseProb). */
function withNoise(x: Float32Array, aug: Augmentation, background: readonly Float32Array[], rng: Rng): Float32Array {
  if (!(aug.noiseProb > 0 && rng.next() < aug.noiseProb && background.length > 0)) return x;
  const noise = randomSegment(background[rng.int(background.length)], x.length, rng);
  return mixAtSnr(x, noise, rng.uniform(aug.snrDb[0], aug.snrDb[1]));
}

/**
 * Adds a cut of running speech to `audio` that ends a random gap before `wordStart`, at the
 * clip's level (`level` = its RMS) ± SPEECH_BEFORE_DB; returns its span, or null when there is no
 * speech or no room for SPEECH_BEFORE_SEC[0] of it.
 */
function addSpeechBefore(
  audio: Float32Array,
  wordStart: number,
  level: number,
  aug: Augmentation,
  speech: readonly Float32Array[],
  rng: Rng,
): WordSpan | null {
  if (speech.length === 0) return null;
  const [gapLo, gapHi] = aug.speechGapSec ?? SPEECH_GAP_SEC;
  const end = wordStart - Math.round(rng.uniform(gapLo, gapHi) * TARGET_SAMPLE_RATE);
  const length = Math.min(end, Math.round(rng.uniform(SPEECH_BEFORE_SEC[0], SPEECH_BEFORE_SEC[1]) * TARGET_SAMPLE_RATE));
  if (length < SPEECH_BEFORE_SEC[0] * TARGET_SAMPLE_RATE) return null;
  const cut = fade(
    normalizeRms(
      randomSegment(speech[rng.int(speech.length)], length, rng),
      level * 10 ** (rng.uniform(SPEECH_BEFORE_DB[0], SPEECH_BEFORE_DB[1]) / 20),
    ),
  );
  const start = end - length;
  for (let i = 0; i < length; i++) audio[start + i] += cut[i];
  return { start, end };
}

/**
 * A running-speech sequence: a random stretch of `speech` at RUNNING_SPEECH_RMS, with the usual
 * noise and gain; digital silence when there is no speech.
 */
function runningSpeech(
  total: number,
  aug: Augmentation,
  background: readonly Float32Array[],
  speech: readonly Float32Array[],
  rng: Rng,
): Float32Array {
  if (speech.length === 0) return new Float32Array(total);
  const talk = withNoise(normalizeRms(randomSegment(speech[rng.int(speech.length)], total, rng), RUNNING_SPEECH_RMS), aug, background, rng);
  const gain = randomGain(aug, rng);
  for (let i = 0; i < total; i++) talk[i] *= gain;
  return talk;
}

/** `x` with linear fades over its first and last FADE_SAMPLES samples (in place). */
function fade(x: Float32Array): Float32Array {
  const n = Math.min(FADE_SAMPLES, x.length >> 1);
  for (let i = 0; i < n; i++) {
    x[i] *= i / n;
    x[x.length - 1 - i] *= i / n;
  }
  return x;
}

/**
 * Per-frame targets (class index, SPEECH_TARGET, WORD_OR_NONE, or -1 = no loss) and weights for a
 * sequence of `frames` frames; wordSpanWeight > 0 gives the frames of a word's span and after its
 * firing frames WORD_OR_NONE at that weight. A frame "has heard" sample s once s < n·hop + windowSize.
 */
export function frameTargets(
  clip: LabelledClip,
  word: WordSpan | null,
  frames: number,
  clipEndSample: number,
  hop: number,
  windowSize: number,
  silenceLabel: number,
  speechBefore: WordSpan | null = null,
  wordSpanWeight = 0,
): { target: Int32Array; weight: Float32Array } {
  const target = new Int32Array(frames).fill(-1);
  const weight = new Float32Array(frames);
  const frameHearing = (sample: number) => Math.max(0, Math.ceil((sample - windowSize) / hop));
  const set = (from: number, to: number, label: number, w: number) => {
    for (let f = Math.max(0, from); f < Math.min(frames, to); f++) {
      target[f] = label;
      weight[f] = w;
    }
  };
  if (clip.running) {
    set(WARMUP_FRAMES, frames, SPEECH_TARGET, 1);
  } else if (clip.label === silenceLabel) {
    set(WARMUP_FRAMES, frames, silenceLabel, 1);
  } else if (word) {
    set(WARMUP_FRAMES, frameHearing(word.start), silenceLabel, SILENCE_WEIGHT);
    if (speechBefore) set(frameHearing(speechBefore.start), frameHearing(word.start), SPEECH_TARGET, SPEECH_BEFORE_WEIGHT);
    const fire = frameHearing(word.end) + FIRE_DELAY;
    if (wordSpanWeight > 0) {
      set(frameHearing(word.start), fire, WORD_OR_NONE, wordSpanWeight);
      set(fire + FIRE_FRAMES, frames, WORD_OR_NONE, wordSpanWeight);
    }
    set(fire, fire + FIRE_FRAMES, clip.label, 1);
  } else {
    const end = frameHearing(clipEndSample);
    set(end - FIRE_FRAMES, end, clip.label, 1);
  }
  return { target, weight };
}

/**
 * SpecAugment-style masking (Park et al. 2019) of normalised features [frames, coefficients]
 * in place: `timeMasks` runs of up to `timeMaskFrames` frames and `freqMasks` runs of up to
 * `freqMaskCoefficients` coefficients set to 0, the features' mean after normalisation.
 */
export function maskFeatures(x: Float32Array, frames: number, coefficients: number, aug: Augmentation, rng: Rng): void {
  for (let m = 0; m < (aug.timeMasks ?? 0); m++) {
    const width = rng.int((aug.timeMaskFrames ?? 0) + 1);
    const from = rng.int(Math.max(1, frames - width + 1));
    x.fill(0, from * coefficients, Math.min(frames, from + width) * coefficients);
  }
  for (let m = 0; m < (aug.freqMasks ?? 0); m++) {
    const width = rng.int((aug.freqMaskCoefficients ?? 0) + 1);
    const from = rng.int(Math.max(1, coefficients - width + 1));
    for (let t = 0; t < frames; t++) x.fill(0, t * coefficients + from, t * coefficients + Math.min(coefficients, from + width));
  }
}

/** MFCC frames of `audio`, normalised, written row by row into `out` (frames × coefficients). */
export function featuresInto(audio: Float32Array, extractor: MfccExtractor, normalize: Normalizer | null, out: Float32Array): number {
  extractor.reset();
  const n = extractor.config.coefficients;
  let row = 0;
  extractor.pushInto(audio, (frame) => {
    const dst = out.subarray(row * n, (row + 1) * n);
    if (normalize) normalize(frame, dst);
    else dst.set(frame);
    row++;
  });
  return row;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
