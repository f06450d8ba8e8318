/**
 * Everything training and evaluation need from a data folder, decoded once: labelled, aligned
 * clips per split and the background recordings that become lead-in, tail and additive noise.
 * Batches are made from it by `SequenceBatcher`, with the same MfccExtractor the runtime uses.
 */
import { FeatureConfig } from '../features/config';
import { MfccExtractor } from '../features/mfcc';
import { Normalizer } from '../features/normalize';
import { ClipRef, Dataset, loadDataset, DatasetOptions, readClipRef, SILENCE_LABEL, Split } from './dataset';
import { brownNoise, pinkNoise, whiteNoise } from './augment';
import {
  Augmentation, composeSequence, featuresInto, frameCount, frameTargets, labelClip, LabelledClip, SequenceLayout,
} from './examples';
import { Rng, rngFor } from './random';

export interface TrainingData {
  dataset: Dataset;
  labels: string[];
  silence: number;
  clips: Record<Split, LabelledClip[]>;
  /** Every background recording (lead-ins, tails, additive noise) … */
  background: Float32Array[];
  /** … split into noise and non-keyword speech, for detection streams. */
  noise: Float32Array[];
  speech: Float32Array[];
  layout: SequenceLayout;
}

export interface LoadOptions extends DatasetOptions {
  /** Seconds of background before and after each clip. */
  leadInSec?: number;
  tailSec?: number;
  /** Use at most this many clips per label and split (quick experiments, tests). */
  maxPerLabel?: number;
  /** Called after each decoded clip, for a progress bar. */
  onClip?: (done: number, total: number) => void;
}

const RATE = 16000;

export function loadTrainingData(root: string, opts: LoadOptions = {}): TrainingData {
  const dataset = loadDataset(root, opts);
  const labels = dataset.labels;
  const silence = labels.indexOf(SILENCE_LABEL);
  const clipSamples = Math.round(dataset.clipSec * RATE);
  const chosen: Record<Split, ClipRef[]> = {
    train: limitPerLabel(dataset.splits.train, opts.maxPerLabel),
    validation: limitPerLabel(dataset.splits.validation, opts.maxPerLabel),
    test: limitPerLabel(dataset.splits.test, opts.maxPerLabel),
  };
  const total = chosen.train.length + chosen.validation.length + chosen.test.length;
  let done = 0;
  const clips = {} as Record<Split, LabelledClip[]>;
  for (const split of ['train', 'validation', 'test'] as const) {
    clips[split] = chosen[split].map((ref) => {
      const label = labels.indexOf(ref.label);
      const samples = fitLength(readClipRef(ref, dataset.clipSec), clipSamples);
      opts.onClip?.(++done, total);
      return labelClip(samples, label, label === silence);
    });
  }
  const read = (kind: 'noise' | 'speech') =>
    dataset.background.filter((b) => b.kind === kind).map((b) => readClipRef({ path: b.path, label: '', folder: '' }));
  const noise = read('noise');
  const speech = read('speech');
  if (noise.length === 0) {
    // No _background_noise_: make some, so lead-ins and noise mixing still vary.
    const rng = rngFor(opts.seed ?? 0, 'background');
    noise.push(whiteNoise(60 * RATE, rng), pinkNoise(60 * RATE, rng), brownNoise(60 * RATE, rng));
  }
  const background = [...noise, ...speech];
  const layout: SequenceLayout = {
    leadInSamples: Math.round((opts.leadInSec ?? 0.3) * RATE),
    clipSamples,
    tailSamples: Math.round((opts.tailSec ?? 0.3) * RATE),
  };
  return { dataset, labels, silence, clips, background, noise, speech, layout };
}

function limitPerLabel(refs: ClipRef[], max?: number): ClipRef[] {
  if (!max) return refs;
  const count = new Map<string, number>();
  return refs.filter((r) => {
    const n = count.get(r.label) ?? 0;
    count.set(r.label, n + 1);
    return n < max;
  });
}

/** Crops or zero-pads (centred) to exactly `n` samples. */
function fitLength(x: Float32Array, n: number): Float32Array {
  if (x.length === n) return x;
  const out = new Float32Array(n);
  if (x.length > n) out.set(x.subarray((x.length - n) >> 1, ((x.length - n) >> 1) + n));
  else out.set(x, (n - x.length) >> 1);
  return out;
}

/** A batch in the layout the tfjs model takes: x [B, T, F], one-hot y [B, T, C], weights [B, T]. */
export interface Batch {
  size: number;
  frames: number;
  x: Float32Array;
  y: Float32Array;
  w: Float32Array;
  labels: Int32Array;
}

/** Makes training/eval sequences with one MfccExtractor (the runtime's) and a normalizer. */
export class SequenceBatcher {
  readonly frames: number;
  readonly coefficients: number;
  private readonly extractor: MfccExtractor;

  constructor(private readonly data: TrainingData, features: FeatureConfig, private normalize: Normalizer | null) {
    this.extractor = new MfccExtractor(features);
    const { leadInSamples, clipSamples, tailSamples } = data.layout;
    this.frames = frameCount(leadInSamples + clipSamples + tailSamples, features.windowSize, features.hop);
    this.coefficients = features.coefficients;
  }

  setNormalizer(normalize: Normalizer | null): void {
    this.normalize = normalize;
  }

  /** The sequences of `clips` with augmentation `aug`, each seeded by (seed, its position). */
  batch(clips: readonly LabelledClip[], aug: Augmentation, seed: number, salt: string | number): Batch {
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
      const { audio, word } = composeSequence(clip, this.data.layout, aug, this.data.background, rng);
      featuresInto(audio, this.extractor, this.normalize, x.subarray(b * T * F, (b + 1) * T * F));
      const clipEnd = this.data.layout.leadInSamples + this.data.layout.clipSamples;
      const { target, weight } = frameTargets(clip, word, T, clipEnd, hop, windowSize, this.data.silence);
      for (let t = 0; t < T; t++) {
        if (target[t] >= 0) y[(b * T + t) * C + target[t]] = 1;
        w[b * T + t] = weight[t];
      }
      labels[b] = clip.label;
    });
    return { size: B, frames: T, x, y, w, labels };
  }
}
