/**
 * Audio augmentation as functions over Float32Array (16 kHz mono in [-1, 1] unless stated).
 * Inputs are never modified; each function returns a new array. Randomness comes only from
 * the `Rng` passed in, so the same generator state gives the same output (synth uses this for
 * reproducible corpora, training for on-the-fly augmentation).
 */
import FFT from 'fft.js';
import { resampleAll } from '../audio/resample';
import { Rng } from './random';

// ---------------------------------------------------------------- levels

/** Root mean square: sqrt(Σ x[n]² / N); 0 for an empty array. */
export function rms(x: Float32Array): number {
  if (x.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s / x.length);
}

/** Largest |x[n]|. */
export function peak(x: Float32Array): number {
  let p = 0;
  for (let i = 0; i < x.length; i++) p = Math.max(p, Math.abs(x[i]));
  return p;
}

export function scale(x: Float32Array, g: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = g * x[i];
  return y;
}

/** Scales down (never up) so that peak(y) ≤ maxPeak: avoids clipping when writing 16-bit PCM. */
export function limitPeak(x: Float32Array, maxPeak = 0.99): Float32Array {
  const p = peak(x);
  return p > maxPeak ? scale(x, maxPeak / p) : x.slice();
}

/** Scales to the given RMS (an all-zero input stays zero). */
export function normalizeRms(x: Float32Array, target = 1): Float32Array {
  const r = rms(x);
  return r > 0 ? scale(x, target / r) : x.slice();
}

// ---------------------------------------------------------------- time

/** A clip of `length` samples with x starting at `offset` (parts outside the clip are cut). */
export function placeInClip(x: Float32Array, length: number, offset: number): Float32Array {
  const y = new Float32Array(length);
  const from = Math.max(0, -offset);
  const to = Math.min(x.length, length - offset);
  if (to > from) y.set(x.subarray(from, to), offset + from);
  return y;
}

/**
 * Cuts leading and trailing silence: keeps from the first to the last 10 ms frame whose RMS is
 * within `thresholdDb` of the loudest frame, plus `marginSec` either side.
 */
export function trimSilence(x: Float32Array, sampleRate: number, thresholdDb = -40, marginSec = 0.02): Float32Array {
  const frame = Math.max(1, Math.round(sampleRate / 100));
  const frames = Math.ceil(x.length / frame);
  const levels = new Float64Array(frames);
  let loudest = 0;
  for (let f = 0; f < frames; f++) {
    levels[f] = rms(x.subarray(f * frame, Math.min(x.length, (f + 1) * frame)));
    loudest = Math.max(loudest, levels[f]);
  }
  if (loudest === 0) return new Float32Array(0);
  const floor = loudest * Math.pow(10, thresholdDb / 20);
  let first = 0;
  while (levels[first] < floor) first++;
  let last = frames - 1;
  while (levels[last] < floor) last--;
  const margin = Math.round(marginSec * sampleRate);
  return x.slice(Math.max(0, first * frame - margin), Math.min(x.length, (last + 1) * frame + margin));
}

// ---------------------------------------------------------------- resampling and speed

/**
 * Band-limited resampling between integer rates: the audio layer's polyphase windowed-sinc
 * resampler (src/audio/resample.ts), so training data and live audio are resampled alike.
 */
export function resample(x: Float32Array, fromRate: number, toRate: number): Float32Array {
  return fromRate === toRate ? x.slice() : resampleAll(x, fromRate, toRate);
}

/** Speed factors are rounded to multiples of 1/SPEED_STEPS. */
const SPEED_STEPS = 200;

/**
 * Speed perturbation (as in Kaldi's speed perturbation): plays x `factor` times faster, which
 * also raises the pitch by the same factor; length becomes ≈ N/factor. The factor is rounded to
 * a multiple of 1/SPEED_STEPS so the resampling ratio SPEED_STEPS/round(SPEED_STEPS·factor) stays a small fraction.
 */
export function changeSpeed(x: Float32Array, factor: number): Float32Array {
  const steps = Math.max(1, Math.round(factor * SPEED_STEPS));
  // any rates in the ratio steps : SPEED_STEPS; ×80 keeps them in the resampler's usual range
  return resample(x, 80 * steps, 80 * SPEED_STEPS);
}

// ---------------------------------------------------------------- noise

/** Gaussian white noise with unit RMS. */
export function whiteNoise(n: number, rng: Rng): Float32Array {
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = rng.normal();
  return normalizeRms(y);
}

/** Pink (1/f power) noise with unit RMS: Paul Kellet's refined filter bank over white noise. */
export function pinkNoise(n: number, rng: Rng): Float32Array {
  const y = new Float32Array(n);
  let b0 = 0,
    b1 = 0,
    b2 = 0,
    b3 = 0,
    b4 = 0,
    b5 = 0,
    b6 = 0;
  for (let i = 0; i < n; i++) {
    const w = rng.normal();
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856;
    b4 = 0.55 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.016898;
    y[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
  }
  return normalizeRms(removeDc(y));
}

/**
 * Brown (1/f² power) noise with unit RMS: leaky integration of white noise,
 * y[n] = 0.998·y[n−1] + w[n] (the leak keeps it from drifting; corner ≈ 5 Hz at 16 kHz).
 */
export function brownNoise(n: number, rng: Rng): Float32Array {
  const y = new Float32Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc = 0.998 * acc + rng.normal();
    y[i] = acc;
  }
  return normalizeRms(removeDc(y));
}

function removeDc(x: Float32Array): Float32Array {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i];
  mean /= x.length || 1;
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i] - mean;
  return y;
}

/**
 * `length` samples of x starting at a random offset, wrapping around when x is shorter
 * (for cutting noise segments out of long background recordings).
 */
export function randomSegment(x: Float32Array, length: number, rng: Rng): Float32Array {
  return x.length === 0 ? new Float32Array(length) : segmentAt(x, rng.int(x.length), length);
}

/** `length` samples of x from `start`, wrapping around (randomSegment at a chosen offset; x not empty). */
export function segmentAt(x: Float32Array, start: number, length: number): Float32Array {
  const y = new Float32Array(length);
  let pos = start;
  for (let i = 0; i < length; i++) {
    y[i] = x[pos];
    pos = pos + 1 === x.length ? 0 : pos + 1;
  }
  return y;
}

/**
 * Babble noise with unit RMS: the sum of `talkers` speech recordings, each cut at a random
 * offset and normalized to equal RMS, so no single voice is intelligible.
 */
export function babble(speech: readonly Float32Array[], length: number, rng: Rng, talkers = 6): Float32Array {
  const y = new Float32Array(length);
  const usable = speech.filter((s) => s.length > 0);
  for (let t = 0; t < talkers && usable.length > 0; t++) {
    const seg = normalizeRms(randomSegment(rng.pick(usable), length, rng));
    for (let i = 0; i < length; i++) y[i] += seg[i];
  }
  return normalizeRms(y);
}

/**
 * signal + g·noise with g chosen so that 10·log10(P_signal / P_noise·g²) = snrDb, where P is
 * the mean power over the whole clip. `noise` must be at least as long as `signal` (its first
 * signal.length samples are used). A silent signal is returned unchanged.
 */
export function mixAtSnr(signal: Float32Array, noise: Float32Array, snrDb: number): Float32Array {
  if (noise.length < signal.length) throw new RangeError(`noise (${noise.length}) shorter than signal (${signal.length})`);
  const ps = rms(signal);
  const pn = rms(noise.subarray(0, signal.length));
  const y = signal.slice();
  if (ps === 0 || pn === 0) return y;
  const g = ps / (pn * Math.pow(10, snrDb / 20));
  for (let i = 0; i < y.length; i++) y[i] += g * noise[i];
  return y;
}

// ---------------------------------------------------------------- reverb

/**
 * Synthetic room impulse response: a unit direct path followed, after `predelaySec`, by
 * Gaussian noise under an exponential envelope that falls 60 dB in rt60 seconds:
 *   h[0] = 1,  h[n] = a·w[n]·10^(−3·t/rt60) for t = n/fs ≥ predelay, up to t = rt60,
 * with a set so that the tail carries `tailToDirectDb` dB of energy relative to the direct path.
 */
export function roomImpulseResponse(rt60: number, sampleRate: number, rng: Rng, tailToDirectDb = -3, predelaySec = 0.005): Float32Array {
  const n = Math.max(2, Math.round(rt60 * sampleRate));
  const h = new Float32Array(n);
  const start = Math.max(1, Math.round(predelaySec * sampleRate));
  let energy = 0;
  for (let i = start; i < n; i++) {
    h[i] = rng.normal() * Math.pow(10, (-3 * i) / (rt60 * sampleRate));
    energy += h[i] * h[i];
  }
  const a = energy > 0 ? Math.sqrt(Math.pow(10, tailToDirectDb / 10) / energy) : 0;
  for (let i = start; i < n; i++) h[i] *= a;
  h[0] = 1;
  return h;
}

/** Linear convolution (x * h)[n] = Σ_k x[k]·h[n−k], truncated to x.length, computed by FFT. */
export function convolve(x: Float32Array, h: Float32Array): Float32Array {
  let size = 2;
  while (size < x.length + h.length) size *= 2;
  const fft = new FFT(size);
  const spectrum = (v: Float32Array) => {
    const input = new Array<number>(size).fill(0);
    for (let i = 0; i < v.length; i++) input[i] = v[i];
    const out = fft.createComplexArray() as number[];
    fft.realTransform(out, input);
    fft.completeSpectrum(out);
    return out;
  };
  const X = spectrum(x);
  const H = spectrum(h);
  const prod = fft.createComplexArray() as number[];
  for (let i = 0; i < size; i++) {
    const re = X[2 * i] * H[2 * i] - X[2 * i + 1] * H[2 * i + 1];
    const im = X[2 * i] * H[2 * i + 1] + X[2 * i + 1] * H[2 * i];
    prod[2 * i] = re;
    prod[2 * i + 1] = im;
  }
  const time = fft.createComplexArray() as number[];
  fft.inverseTransform(time, prod);
  const y = new Float32Array(x.length);
  for (let i = 0; i < y.length; i++) y[i] = time[2 * i];
  return y;
}

/** Room reverb: x convolved with roomImpulseResponse(rt60), rescaled to the input's RMS. */
export function reverb(x: Float32Array, rt60: number, sampleRate: number, rng: Rng): Float32Array {
  const wet = convolve(x, roomImpulseResponse(rt60, sampleRate, rng));
  const r = rms(wet);
  return r > 0 ? scale(wet, rms(x) / r) : wet;
}

// ---------------------------------------------------------------- filters

/**
 * Biquad (RBJ audio-EQ cookbook, Q = 1/√2 Butterworth section), direct form I:
 *   y[n] = (b0·x[n] + b1·x[n−1] + b2·x[n−2] − a1·y[n−1] − a2·y[n−2]) / a0
 */
export function biquad(x: Float32Array, type: 'lowpass' | 'highpass', cutoffHz: number, sampleRate: number): Float32Array {
  const w0 = (2 * Math.PI * cutoffHz) / sampleRate;
  const alpha = Math.sin(w0) / (2 * Math.SQRT1_2);
  const cos = Math.cos(w0);
  const b1 = type === 'lowpass' ? 1 - cos : -(1 + cos);
  const b0 = Math.abs(b1) / 2;
  const b2 = b0;
  const a0 = 1 + alpha,
    a1 = -2 * cos,
    a2 = 1 - alpha;
  const y = new Float32Array(x.length);
  let x1 = 0,
    x2 = 0,
    y1 = 0,
    y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = (b0 * x[i] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2) / a0;
    x2 = x1;
    x1 = x[i];
    y2 = y1;
    y1 = v;
    y[i] = v;
  }
  return y;
}

/**
 * Band-limiting to a device's bandwidth: two cascaded Butterworth high-pass sections at lowHz and
 * two low-pass sections at highHz (4th order, −24 dB/octave each side). Telephone: 300–3400 Hz;
 * small wearable microphones: roughly 150–6000 Hz.
 */
export function bandLimit(x: Float32Array, lowHz: number, highHz: number, sampleRate: number): Float32Array {
  let y = x;
  if (lowHz > 0) y = biquad(biquad(y, 'highpass', lowHz, sampleRate), 'highpass', lowHz, sampleRate);
  if (highHz < sampleRate / 2) y = biquad(biquad(y, 'lowpass', highHz, sampleRate), 'lowpass', highHz, sampleRate);
  return y === x ? x.slice() : y;
}
