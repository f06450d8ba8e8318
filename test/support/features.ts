/** Shared by the features tests: meyda as the definition, and deterministic speech-like signals. */
import { execFileSync } from 'child_process';
import Meyda from 'meyda';
import { FeatureConfig } from '../../src/features/config';
import { MfccExtractor } from '../../src/features/mfcc';
import { Rng } from '../../src/data/random';

/** Every frame of `x` (push, then flush), pushed whole or in chunks of the given sizes, cycled. */
export function extractAll(x: Float32Array, config: Partial<FeatureConfig> = {}, chunkSizes?: number[]): Float32Array[] {
  const ex = new MfccExtractor(config);
  const frames: Float32Array[] = [];
  if (!chunkSizes) frames.push(...ex.push(x));
  else
    for (let i = 0, s = 0; s < x.length; s += chunkSizes[i++ % chunkSizes.length]) {
      frames.push(...ex.push(x.subarray(s, s + chunkSizes[i % chunkSizes.length])));
    }
  return frames.concat(ex.flush());
}

/** Meyda's settings are global and its mel bank is cached; this resets them when `c` differs. */
export function meydaMfcc(samples: Float32Array, c: FeatureConfig): number[] {
  const m = Meyda as unknown as Record<string, unknown> & { extract(f: string, s: Float32Array): number[] };
  const wanted = { bufferSize: c.fftSize, sampleRate: c.sampleRate, melBands: c.melBands, numberOfMFCCCoefficients: c.coefficients };
  if (Object.entries(wanted).some(([k, v]) => m[k] !== v)) {
    Object.assign(m, wanted, { melFilterBank: undefined, barkScale: undefined, chromaFilterBank: undefined });
  }
  const buffer = new Float32Array(c.fftSize);
  buffer.set(samples.subarray(0, c.windowSize));
  return m.extract('mfcc', buffer);
}

/** Meyda's MFCC for every complete window of `x` (frame n starts at n·hop). */
export function meydaFrames(x: Float32Array, c: FeatureConfig): number[][] {
  const frames: number[][] = [];
  for (let s = 0; s + c.windowSize <= x.length; s += c.hop) frames.push(meydaMfcc(x.subarray(s, s + c.windowSize), c));
  return frames;
}

/**
 * A speech-like signal: voiced "syllables" (harmonics of a vibrato f0 shaped by three formant
 * peaks, with a syllable envelope), fricative noise bursts, and stretches of near-silence.
 */
export function speechLike(seconds: number, sampleRate: number, seed = 1): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(Math.round(seconds * sampleRate));
  const formants = [700, 1200, 2600];
  let phase = 0;
  for (let n = 0; n < x.length; n++) {
    const t = n / sampleRate;
    const syllable = t % 0.5; // 0.5 s cycle: 0.3 s voiced, 0.1 s fricative, 0.1 s near-silence
    let v = 0;
    if (syllable < 0.3) {
      const f0 = 120 + 25 * Math.sin(2 * Math.PI * 5 * t) + 40 * (t % 1);
      phase += (2 * Math.PI * f0) / sampleRate;
      for (let h = 1; h * f0 < sampleRate / 2; h++) {
        const gain = formants.reduce((g, f) => g + 1 / (1 + ((h * f0 - f) / 150) ** 2), 0.02);
        v += (gain / h) * Math.sin(h * phase);
      }
      v *= 0.3 * Math.sin((Math.PI * syllable) / 0.3);
    } else if (syllable < 0.4) {
      v = 0.2 * rng.uniform(-1, 1);
    } else {
      v = 1e-4 * rng.uniform(-1, 1);
    }
    x[n] = v;
  }
  return x;
}

/** A word spoken by espeak-ng, resampled to `sampleRate` mono float32 by sox. */
export function espeakWord(word: string, sampleRate: number): Float32Array {
  const wav = execFileSync('espeak-ng', ['--stdout', word]);
  const raw = execFileSync(
    'sox',
    ['-t', 'wav', '-', '-r', String(sampleRate), '-c', '1', '-e', 'floating-point', '-b', '32', '-t', 'raw', '-'],
    {
      input: wav,
    },
  );
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

/** |a − b| ≤ tol·max(1, |b|): relative for large values, absolute near zero (MFCCs cross zero). */
export function worstRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  }
  return actual.length === expected.length ? worst : Infinity;
}
