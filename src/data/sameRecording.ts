/**
 * Copies of one recording among a folder's clips: the same take saved under several names,
 * shifted (by up to a third of a second in the wake-word set) and re-encoded, so not sample for
 * sample equal. Crowd-sourced sets hold
 * such copies (the real wake-word recordings: up to 17 of one take); a copy in training and
 * another in test would make the test figure a memory test.
 *
 * Two clips a, b are copies when the peak of their normalised cross-correlation
 *
 *   ρ(a, b) = max_k Σ_t a[t] b[t − k] / √(Σ a² · Σ b²)      (each centred; k any lag)
 *
 * reaches `minCorrelation`. It is computed on the waveforms averaged down to 4 kHz (speech's
 * strongest part), by FFT. Two takes of a word by one speaker have unrelated waveforms, so ρ
 * separates copies from takes as no spectral feature does (the wake-word recordings, against an
 * independent check at 16 kHz: copies 0.75–1.0, nearly all above 0.9 and the rest joined to their
 * group through another copy; other takes below 0.75 but for one pair at 0.80; MFCC frames
 * correlate 0.8–0.95 for either). Comparing every pair
 * costs n² transforms; each clip is compared only with its `neighbours` nearest clips by a
 * signature (the mean and spread of each MFCC over the clip's louder half, where padding and
 * silence do not count): copies are each other's nearest.
 */
import FFT from 'fft.js';
import { connectedGroups } from '../arrays';
import { FeatureConfig } from '../features/config';
import { MfccExtractor } from '../features/mfcc';

export interface SameRecordingOptions {
  /** ρ at or above which two clips are one recording. */
  minCorrelation: number;
  /** Candidates per clip (nearest by signature). */
  neighbours: number;
  /** Features the signature is made of (the spotter's MFCCs by default). */
  features?: Partial<FeatureConfig>;
}

export const SAME_RECORDING_DEFAULTS: Readonly<SameRecordingOptions> = Object.freeze({
  minCorrelation: 0.9,
  neighbours: 12,
});

/** Samples averaged into one for the correlation (16 kHz → 4 kHz). */
const DECIMATION = 4;

interface Print {
  signature: Float64Array;
  /** The centred, decimated waveform's spectrum (interleaved complex, fft.size bins), and its energy. */
  spectrum: Float32Array;
  energy: number;
}

/** Mean and spread of each MFCC over the frames whose energy coefficient is at or above its median. */
function signatureOf(samples: Float32Array, extractor: MfccExtractor): Float64Array {
  extractor.reset();
  const frames = [...extractor.push(samples), ...extractor.flush()];
  const C = extractor.config.coefficients;
  const signature = new Float64Array(2 * C);
  if (frames.length === 0) return signature;
  const energy = frames.map((f) => f[0]).sort((x, y) => x - y);
  const loud = frames.filter((f) => f[0] >= energy[Math.floor(energy.length / 2)]);
  for (let c = 0; c < C; c++) {
    const m = loud.reduce((s, f) => s + f[c], 0) / loud.length;
    signature[c] = m;
    signature[C + c] = Math.sqrt(loud.reduce((s, f) => s + (f[c] - m) ** 2, 0) / loud.length);
  }
  return signature;
}

function printOf(samples: Float32Array, extractor: MfccExtractor, fft: FFT): Print {
  const n = Math.min(Math.floor(samples.length / DECIMATION), fft.size / 2);
  const x = new Float64Array(fft.size);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < DECIMATION; j++) s += samples[i * DECIMATION + j];
    x[i] = s / DECIMATION;
  }
  const mean = n > 0 ? x.reduce((s, v) => s + v, 0) / n : 0;
  let energy = 0;
  for (let i = 0; i < n; i++) {
    x[i] -= mean;
    energy += x[i] * x[i];
  }
  const out = fft.createComplexArray();
  fft.realTransform(out, x);
  fft.completeSpectrum(out);
  return { signature: signatureOf(samples, extractor), spectrum: Float32Array.from(out), energy };
}

/** ρ(a, b): the cross-correlation's peak over every lag (the spectra are zero-padded to twice the longest clip, so it is linear, not circular). */
function similarity(a: Print, b: Print, fft: FFT, work: { product: number[]; time: number[] }): number {
  if (a.energy === 0 || b.energy === 0) return 0;
  const { product, time } = work;
  for (let i = 0; i < a.spectrum.length; i += 2) {
    // a · conj(b)
    product[i] = a.spectrum[i] * b.spectrum[i] + a.spectrum[i + 1] * b.spectrum[i + 1];
    product[i + 1] = a.spectrum[i + 1] * b.spectrum[i] - a.spectrum[i] * b.spectrum[i + 1];
  }
  fft.inverseTransform(time, product);
  let peak = -Infinity;
  for (let i = 0; i < time.length; i += 2) if (time[i] > peak) peak = time[i];
  return peak / Math.sqrt(a.energy * b.energy);
}

/** Each clip's `k` nearest others by signature distance, every coefficient scaled by its spread over the folder. */
function nearestPairs(prints: readonly Print[], k: number): Array<[number, number]> {
  const D = prints[0]?.signature.length ?? 0;
  const spread = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    const m = prints.reduce((s, p) => s + p.signature[d], 0) / prints.length;
    spread[d] = Math.sqrt(prints.reduce((s, p) => s + (p.signature[d] - m) ** 2, 0) / prints.length) || 1;
  }
  const pairs = new Set<string>();
  prints.forEach((p, i) => {
    const dist = prints.flatMap((q, j) => {
      if (j === i) return [];
      let s = 0;
      for (let d = 0; d < D; d++) s += ((p.signature[d] - q.signature[d]) / spread[d]) ** 2;
      return [[s, j] as const];
    });
    for (const [, j] of dist.sort((x, y) => x[0] - y[0]).slice(0, k)) pairs.add(i < j ? `${i},${j}` : `${j},${i}`);
  });
  return [...pairs].map((s) => s.split(',').map(Number) as [number, number]);
}

/** One pair the comparison found to be one recording. */
export interface CopyPair {
  a: number;
  b: number;
  correlation: number;
}

/** The pairs of `clips` (decoded, 16 kHz) that are copies of one recording, by index. */
export function findCopies(clips: readonly Float32Array[], o: Partial<SameRecordingOptions> = {}): CopyPair[] {
  const opts = { ...SAME_RECORDING_DEFAULTS, ...o };
  const longest = Math.max(1, ...clips.map((c) => Math.ceil(c.length / DECIMATION)));
  const fft = new FFT(2 ** Math.ceil(Math.log2(2 * longest)));
  const extractor = new MfccExtractor(opts.features);
  const prints = clips.map((c) => printOf(c, extractor, fft));
  const work = { product: fft.createComplexArray(), time: fft.createComplexArray() };
  const copies: CopyPair[] = [];
  for (const [a, b] of nearestPairs(prints, opts.neighbours)) {
    const correlation = similarity(prints[a], prints[b], fft, work);
    if (correlation >= opts.minCorrelation) copies.push({ a, b, correlation });
  }
  return copies;
}

/** Groups of indices joined by `pairs` (connected components of size ≥ 2), each sorted, in order of their first member. */
export function groupsOf(pairs: ReadonlyArray<{ a: number; b: number }>): number[][] {
  return connectedGroups(
    pairs.map(({ a, b }) => [a, b]),
    (x, y) => x - y,
  );
}
