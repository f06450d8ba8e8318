/**
 * Everything training and evaluation need from a data folder, decoded once: labelled, aligned
 * clips per split and the background recordings that become lead-in, tail and additive noise.
 * Batches are made from it by `SequenceBatcher`, with the same MfccExtractor the runtime uses.
 *
 * Every clip becomes exactly clipSec (the training window, `dataset.clipSec`) long:
 *   - shorter or equal clips are zero-padded, centred (Speech Commands' 1 s clips: unchanged);
 *   - longer clips (e.g. 3 s wake-word recordings) are aligned first (findWord on the whole
 *     clip) and the window is cut so that it ends WORD_TAIL_SEC after the word's end —
 *     the shift augmentation (±maxShift) then jitters that gap, so the model learns to fire
 *     shortly after the word however the recording was cut. A word longer than the window
 *     keeps its end; the window starts inside it.
 *   - longer clips where the aligner finds no word are centre-cropped and counted in a warning;
 *     `_silence_` clips are centre-cropped.
 * A clip's word span is the corpus's own when it records one (ClipRef.wordSec, from kws synth's
 * synth_clips.tsv: measured on the clean speech, where findWord on a clip mixed with 0 dB babble
 * misplaces about one word in three), else findWord's.
 */
import { mapLimit } from '../arrays';
import { DatasetError } from '../errors';
import { TARGET_SAMPLE_RATE } from '../audio/source';
import { FeatureConfig } from '../features/config';
import { MfccExtractor } from '../features/mfcc';
import { Normalizer } from '../features/normalize';
import { WordSpan, findWord } from './align';
import {
  BackgroundFile,
  ClipRef,
  Dataset,
  loadDataset,
  DatasetOptions,
  readClipRef,
  SILENCE_LABEL,
  Split,
  SPLITS,
  UNKNOWN_LABEL,
} from './dataset';
import { brownNoise, pinkNoise, placeInClip, whiteNoise } from './augment';
import {
  Augmentation,
  composeSequence,
  featuresInto,
  frameCount,
  frameTargets,
  labelClip,
  LabelledClip,
  maskFeatures,
  NO_AUGMENTATION,
  SequenceLayout,
  SPEECH_TARGET,
  WORD_OR_NONE,
} from './sequence';
import { Rng, rngFor } from './random';

export interface TrainingData {
  dataset: Dataset;
  labels: string[];
  silence: number;
  clips: Record<Split, LabelledClip[]>;
  /** The background recordings training sequences use (lead-ins, tails, additive noise) … */
  background: Float32Array[];
  /** … and, for detection streams, the noise and the non-keyword speech each split may use (background = noise + speech.train). */
  noise: Float32Array[];
  speech: Record<Split, Float32Array[]>;
  /** The file each of noise and speech was read from ('' = made up here), index for index: reports say what a stream rests on. */
  files: { noise: string[]; speech: Record<Split, string[]> };
  layout: SequenceLayout;
  /** Weight of the "this word or no keyword" frames around each word (sequence.ts frameTargets); 0 = no loss there. */
  wordSpanWeight: number;
  /** Dataset warnings, one line per damaged file (kept what decoded), clips with no word found. */
  warnings: string[];
}

export interface LoadOptions extends DatasetOptions {
  /** Seconds of background before and after each clip. */
  leadInSec?: number;
  tailSec?: number;
  /** Decode only these splits (the others stay empty); default all. */
  splits?: Split[];
  /** Use at most this many clips per label and split (quick experiments, tests). */
  maxPerLabel?: number;
  /** Called after each decoded clip, for a progress bar. */
  onClip?: (done: number, total: number) => void;
  /**
   * Running-speech training sequences (LabelledClip.running: "no keyword" at every frame), as % of
   * the training keyword clips; cut from speech.train each time, so none without --speech folders.
   */
  runningSpeechPercent?: number;
  /** TrainingData.wordSpanWeight (default 0). */
  wordSpanWeight?: number;
}

/** Seconds of the window after the word's end when a long clip is cropped around its word. */
export const WORD_TAIL_SEC = 0.3;
/** Files decoded at once (file reads overlap decoding). */
const READ_CONCURRENCY = 32;

export async function loadTrainingData(root: string, opts: LoadOptions = {}): Promise<TrainingData> {
  const dataset = await loadDataset(root, opts);
  const labels = dataset.labels;
  const silence = labels.indexOf(SILENCE_LABEL);
  const clipSamples = Math.round(dataset.clipSec * TARGET_SAMPLE_RATE);
  const chosen = {} as Record<Split, ClipRef[]>;
  for (const split of SPLITS) {
    chosen[split] = !opts.splits || opts.splits.includes(split) ? limitPerLabel(dataset.splits[split], opts.maxPerLabel) : [];
  }
  const total = chosen.train.length + chosen.validation.length + chosen.test.length;
  const warnings = [...dataset.warnings];
  const onWarning = (message: string) => warnings.push(message);
  let done = 0;
  let wordless = 0;
  const clips = {} as Record<Split, LabelledClip[]>;
  for (const split of ['train', 'validation', 'test'] as const) {
    clips[split] = await mapLimit(chosen[split], READ_CONCURRENCY, async (ref) => {
      const label = labels.indexOf(ref.label);
      const samples = await readClipRef(ref, dataset.clipSec, onWarning);
      opts.onClip?.(++done, total);
      const extra = { ...(ref.weight !== undefined && { weight: ref.weight }), ...(ref.path && { path: ref.path }) };
      const known = ref.wordSec && {
        start: Math.round(ref.wordSec.startSec * TARGET_SAMPLE_RATE),
        end: Math.round(ref.wordSec.endSec * TARGET_SAMPLE_RATE),
      };
      if (samples.length <= clipSamples || label === silence) {
        const offset = fitOffset(samples.length, clipSamples);
        const fitted = placeInClip(samples, clipSamples, offset);
        if (!known || label === silence) return { ...labelClip(fitted, label, label === silence), ...extra };
        const word = { start: Math.max(0, known.start + offset), end: Math.min(clipSamples, known.end + offset) };
        return { samples: fitted, label, word: word.end > word.start ? word : null, ...extra };
      }
      const cropped = cropAroundWord(samples, clipSamples, Math.round(WORD_TAIL_SEC * TARGET_SAMPLE_RATE), known);
      if (!cropped.word) wordless++;
      return { samples: cropped.samples, label, word: cropped.word, ...extra };
    });
  }
  if (wordless > 0)
    warnings.push(`${wordless} clip(s) longer than the ${dataset.clipSec} s window had no word the aligner could find: centre-cropped`);
  const read = (files: BackgroundFile[]) =>
    Promise.all(files.map((b) => readClipRef({ path: b.path, label: '', folder: '' }, dataset.clipSec, onWarning)));
  const noiseFiles = dataset.background.filter((b) => b.kind === 'noise');
  const noise = await read(noiseFiles);
  const speechFiles = dataset.background.filter((b) => b.kind === 'speech');
  const speechAudio = await read(speechFiles);
  const speech = {} as Record<Split, Float32Array[]>;
  const files: TrainingData['files'] = { noise: noiseFiles.map((b) => b.path), speech: { train: [], validation: [], test: [] } };
  for (const split of SPLITS) {
    const mine = speechFiles.map((_, i) => i).filter((i) => (speechFiles[i].split ?? split) === split);
    speech[split] = mine.map((i) => speechAudio[i]);
    files.speech[split] = mine.map((i) => speechFiles[i].path);
  }
  // No _background_noise_: make some, so lead-ins and noise mixing still vary.
  if (noise.length === 0) {
    noise.push(...syntheticNoise(opts.seed ?? 0));
    files.noise = noise.map(() => '');
  }
  const background = [...noise, ...speech.train];
  const keywordClips = clips.train.filter((c) => c.label < dataset.keywords.length).length;
  const running = Math.round((keywordClips * (opts.runningSpeechPercent ?? 0)) / 100);
  if (running > 0 && speech.train.length === 0)
    throw new DatasetError(`${root}: running-speech sequences need training speech (--speech folders)`);
  const unknown = labels.indexOf(UNKNOWN_LABEL);
  for (let i = 0; i < running; i++) clips.train.push({ samples: new Float32Array(0), label: unknown, word: null, running: true });
  const layout: SequenceLayout = {
    leadInSamples: Math.round((opts.leadInSec ?? 0.3) * TARGET_SAMPLE_RATE),
    clipSamples,
    tailSamples: Math.round((opts.tailSec ?? 0.3) * TARGET_SAMPLE_RATE),
  };
  const wordSpanWeight = opts.wordSpanWeight ?? 0;
  return {
    dataset,
    labels,
    silence,
    clips,
    background,
    noise,
    speech,
    files,
    layout,
    wordSpanWeight,
    warnings: groupSameProblem(warnings),
  };
}

/** A minute each of white, pink and brown noise: the background when a folder has no noise recordings. */
export function syntheticNoise(seed: number): Float32Array[] {
  const rng = rngFor(seed, 'background');
  const n = 60 * TARGET_SAMPLE_RATE;
  return [whiteNoise(n, rng), pinkNoise(n, rng), brownNoise(n, rng)];
}

/** At most `max` clips per label; weighted clips (hard negatives) count apart, so a quick run still trains on some. */
function limitPerLabel(refs: ClipRef[], max?: number): ClipRef[] {
  if (!max) return refs;
  const count = new Map<string, number>();
  return refs.filter((r) => {
    const key = r.weight === undefined ? r.label : `${r.label} weighted`;
    const n = count.get(key) ?? 0;
    count.set(key, n + 1);
    return n < max;
  });
}

/**
 * `file: problem` warnings with the very same problem text in more than 3 files become one line
 * (e.g. decoders that clip float samples at exactly ±1.0 in dozens of files); problems that
 * differ per file (how much of a damaged FLAC decoded) stay one line per file.
 */
function groupSameProblem(warnings: string[]): string[] {
  const byProblem = new Map<string, string[]>();
  for (const w of warnings) {
    const m = /^(.*?\.[A-Za-z0-9]+): (.*)$/.exec(w);
    const key = m ? m[2] : w;
    byProblem.set(key, [...(byProblem.get(key) ?? []), m ? m[1] : '']);
  }
  const out: string[] = [];
  for (const [problem, files] of byProblem) {
    if (files.length > 3 && files[0] !== '') out.push(`${problem} — in ${files.length} files, e.g. ${files.slice(0, 2).join(', ')}`);
    else for (const w of warnings) if ((/^(.*?\.[A-Za-z0-9]+): (.*)$/.exec(w)?.[2] ?? w) === problem) out.push(w);
  }
  return out;
}

/**
 * The `n`-sample window of a long clip (length > n) that ends `tail` samples after the word
 * findWord finds (or the `known` span; clamped to the clip), with the word's span in window coordinates (clipped to
 * the window). No word: the centre crop and word null.
 */
export function cropAroundWord(
  x: Float32Array,
  n: number,
  tail: number,
  known?: WordSpan,
): { samples: Float32Array; word: WordSpan | null; start: number } {
  const found = known ?? findWord(x);
  if (!found) {
    const start = (x.length - n) >> 1;
    return { samples: x.slice(start, start + n), word: null, start };
  }
  const start = Math.min(x.length - n, Math.max(0, found.end + tail - n));
  const word = { start: Math.max(0, found.start - start), end: Math.min(n, found.end - start) };
  return { samples: x.slice(start, start + n), word, start };
}

/** Where a clip of `length` samples starts when centred in (cropped or zero-padded to) `n`. */
function fitOffset(length: number, n: number): number {
  return length > n ? -((length - n) >> 1) : (n - length) >> 1;
}

/** A batch in the layout the tfjs model takes: x [B, T, F], one-hot y [B, T, C], weights [B, T]. */
export interface Batch {
  size: number;
  frames: number;
  x: Float32Array;
  y: Float32Array;
  w: Float32Array;
  labels: Int32Array;
  /** Input memory [B, T, F·order] (trainingRows.ts), when the batch was made for the readout. */
  memory?: Float32Array;
}

/** Makes training/eval sequences with one MfccExtractor (the runtime's) and a normalizer. */
export class SequenceBatcher {
  readonly frames: number;
  readonly coefficients: number;
  private readonly extractor: MfccExtractor;
  private readonly unknown: number;
  /** Per-class multipliers of the frame weights (see balanceClasses); null = all 1. */
  private classWeights: Float64Array | null = null;

  constructor(
    private readonly data: TrainingData,
    features: FeatureConfig,
    private normalize: Normalizer | null,
  ) {
    this.extractor = new MfccExtractor(features);
    this.unknown = data.labels.indexOf(UNKNOWN_LABEL);
    const { leadInSamples, clipSamples, tailSamples } = data.layout;
    this.frames = frameCount(leadInSamples + clipSamples + tailSamples, features.windowSize, features.hop);
    this.coefficients = features.coefficients;
  }

  setNormalizer(normalize: Normalizer | null): void {
    this.normalize = normalize;
  }

  /**
   * Softens the class imbalance of the frame targets: `_silence_` frames (silence clips and the
   * lead-in of every clip) far outnumber any keyword's, which pulls keyword posteriors down.
   * Each class's frame weights are scaled by (mean class mass / class mass)^power, with the
   * masses counted once over `clips` (un-augmented); power 0.5 halves the imbalance in log terms.
   */
  balanceClasses(clips: readonly LabelledClip[], seed: number, power = 0.5): Float64Array {
    const C = this.data.labels.length;
    const mass = new Float64Array(C);
    const { hop, windowSize } = this.extractor.config;
    const clipEnd = this.data.layout.leadInSamples + this.data.layout.clipSamples;
    clips.forEach((clip, i) => {
      const { word } = composeSequence(clip, this.data.layout, NO_AUGMENTATION, [], rngFor(seed, 'balance', i));
      const { target, weight } = frameTargets(clip, word, this.frames, clipEnd, hop, windowSize, this.data.silence);
      for (let t = 0; t < this.frames; t++) if (target[t] >= 0) mass[target[t]] += weight[t];
    });
    const mean = mass.reduce((a, b) => a + b, 0) / C;
    this.classWeights = mass.map((m) => (m > 0 ? (mean / m) ** power : 1));
    return this.classWeights;
  }

  classWeightsInUse(): Float64Array | null {
    return this.classWeights;
  }

  /** Uses class weights computed elsewhere (a batch worker takes the main thread's). */
  setClassWeights(weights: Float64Array | null): void {
    this.classWeights = weights;
  }

  /** The sequences of `clips` with augmentation `aug`, each seeded by (seed, its position); onClip counts them for a progress bar. */
  batch(
    clips: readonly LabelledClip[],
    aug: Augmentation,
    seed: number,
    salt: string | number,
    onClip?: (done: number, total: number) => void,
  ): Batch {
    const B = clips.length;
    const T = this.frames;
    const F = this.coefficients;
    const C = this.data.labels.length;
    const { hop, windowSize } = this.extractor.config;
    const x = new Float32Array(B * T * F);
    const y = new Float32Array(B * T * C);
    const w = new Float32Array(B * T);
    const labels = new Int32Array(B);
    clips.forEach((clip, b) => {
      const rng: Rng = rngFor(seed, salt, b);
      const { audio, word, speechBefore } = composeSequence(clip, this.data.layout, aug, this.data.background, rng, this.data.speech.train);
      const features = x.subarray(b * T * F, (b + 1) * T * F);
      featuresInto(audio, this.extractor, this.normalize, features);
      maskFeatures(features, T, F, aug, rng);
      const clipEnd = this.data.layout.leadInSamples + this.data.layout.clipSamples;
      const { target, weight } = frameTargets(
        clip,
        word,
        T,
        clipEnd,
        hop,
        windowSize,
        this.data.silence,
        speechBefore,
        this.data.wordSpanWeight,
      );
      for (let t = 0; t < T; t++) {
        // y marks the set of classes the target allows (trainer.ts scores −log Σ_{c∈S} p_c)
        const row = (b * T + t) * C;
        if (target[t] >= 0) y[row + target[t]] = 1;
        else if (target[t] === SPEECH_TARGET || target[t] === WORD_OR_NONE) {
          y[row + this.unknown] = 1;
          y[row + this.data.silence] = 1;
          if (target[t] === WORD_OR_NONE) y[row + clip.label] = 1;
        }
        const w0 = weight[t] * (clip.weight ?? 1);
        w[b * T + t] = target[t] >= 0 && this.classWeights ? w0 * this.classWeights[target[t]] : w0;
      }
      labels[b] = clip.label;
      onClip?.(b + 1, B);
    });
    return { size: B, frames: T, x, y, w, labels };
  }
}
