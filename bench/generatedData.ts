/**
 * Training data made up here, in the shape of kws train's sequences (1 s clips between 0.3 s of
 * background before and after), so the training benchmarks need no corpus: tone bursts with a
 * known word span in 10 keyword classes, and noise as background.
 */
import { TARGET_SAMPLE_RATE } from '../src/audio/source';
import { LabelledClip } from '../src/data/sequence';
import { Rng } from '../src/data/random';
import { TrainingData } from '../src/data/clips';

/** `n` training and `validation` validation clips; `wordSpanWeight` as TrainingData's. */
export function generatedData(n: number, seed: number, validation = 24, wordSpanWeight = 0): TrainingData {
  const rng = new Rng(seed);
  const rate = TARGET_SAMPLE_RATE;
  const clip = (label: number): LabelledClip => {
    const samples = new Float32Array(rate);
    const start = 3000 + rng.int(4000);
    const f = 200 + 150 * label;
    for (let i = start; i < start + 5000; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * f * i) / rate) + 0.05 * rng.normal();
    return { samples, label, word: { start, end: start + 5000 } };
  };
  const labels = Array.from({ length: 12 }, (_, i) => `c${i}`);
  const noise = [Float32Array.from({ length: 10 * rate }, () => 0.01 * rng.normal())];
  return {
    dataset: {} as TrainingData['dataset'],
    labels,
    silence: 11,
    clips: {
      train: Array.from({ length: n }, (_, i) => clip(i % 10)),
      validation: Array.from({ length: validation }, (_, i) => clip(i % 10)),
      test: [],
    },
    background: noise,
    noise,
    speech: { train: [], validation: [], test: [] },
    files: { noise: [''], speech: { train: [], validation: [], test: [] } },
    layout: { leadInSamples: 0.3 * rate, clipSamples: rate, tailSamples: 0.3 * rate },
    wordSpanWeight,
    warnings: [],
  };
}
