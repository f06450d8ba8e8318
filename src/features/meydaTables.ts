/**
 * The constant tables behind meyda 5.6.3's `Meyda.extract('mfcc', buffer)`, built once so the
 * per-frame path only multiplies and adds. Pure functions; each reproduces one step of meyda's
 * definition (dist/node/main.js), including its float32 rounding where that changes results.
 *
 * Meyda's MFCC of an N-sample buffer x (N = fftSize, a power of two):
 *   w[n]   = fround(0.5 − 0.5·cos(2πn / (N − 1)))        symmetric Hann over the WHOLE buffer
 *   X[k]   = Σ_n x[n]·w[n]·e^{−2πikn/N}                   unnormalised complex FFT
 *   P[k]   = |X[k]|²,  k = 0 … N/2 − 1                    power spectrum; the Nyquist bin is dropped
 *   E[m]   = ln(1 + Σ_k H[m][k]·P[k]),  m = 0 … M − 1     unnormalised triangles, log(x + 1)
 *   c[j]   = 2·Σ_m E[m]·cos(π/M·(m + ½)·j),  j < C         unnormalised DCT-II ("dct" package), first C kept
 */

/** meyda's mel scale: mel(f) = 1125·ln(1 + f/700). */
export function hzToMel(hz: number): number {
  return 1125 * Math.log(1 + hz / 700);
}

/** Inverse of hzToMel: f(mel) = 700·(e^{mel/1125} − 1). */
export function melToHz(mel: number): number {
  return 700 * (Math.exp(mel / 1125) - 1);
}

/**
 * meyda's `hanning(size)`: w[n] = 0.5 − 0.5·cos(2πn/(size − 1)), stored as float32.
 * meyda applies it to the whole (zero-padded) buffer, so a 400-sample window inside a 512 buffer
 * sees w[0 … 399] of a 512-point Hann: tapered at the start, cut off at w[399] ≈ 0.40 at the end.
 */
export function meydaHann(size: number): Float64Array {
  const w = new Float64Array(size);
  for (let n = 0; n < size; n++) w[n] = Math.fround(0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (size - 1)));
  return w;
}

/** A mel filter bank stored sparsely: filter m has weights[offset[m] … offset[m+1]) on bins start[m] …. */
export interface SparseFilterBank {
  start: Int32Array;
  offset: Int32Array;
  weights: Float64Array;
}

/**
 * meyda's `createMelFilterBank(M, sampleRate, N)`, restricted to the bins its mel stage reads
 * (k < N/2). Edges: M + 2 points equally spaced in mel from 0 to sampleRate/2, held in float32
 * arrays (meyda's Float32Array), mapped to bins b[i] = ⌊(N + 1)·f[i] / sampleRate⌋. Filter m rises
 * (k − b[m]) / (b[m+1] − b[m]) on [b[m], b[m+1]) and falls (b[m+2] − k) / (b[m+2] − b[m+1]) on
 * [b[m+1], b[m+2]); peak 1, no area normalisation. Coinciding edges give empty slopes (no 0/0).
 */
export function meydaMelFilterBank(bands: number, sampleRate: number, fftSize: number): SparseFilterBank {
  const step = (hzToMel(sampleRate / 2) - hzToMel(0)) / (bands + 1);
  const bin: number[] = [];
  for (let i = 0; i < bands + 2; i++) {
    const mel = Math.fround(i * step);
    bin.push(Math.floor(((fftSize + 1) * Math.fround(melToHz(mel))) / sampleRate));
  }
  const lastBin = fftSize / 2; // exclusive: meyda's mel stage sums k < N/2
  const start = new Int32Array(bands);
  const offset = new Int32Array(bands + 1);
  const weights: number[] = [];
  for (let m = 0; m < bands; m++) {
    const [lo, mid, hi] = [bin[m], bin[m + 1], bin[m + 2]];
    start[m] = Math.min(lo, lastBin);
    for (let k = lo; k < Math.min(hi, lastBin); k++) {
      weights.push(k < mid ? (k - lo) / (mid - lo) : (hi - k) / (hi - mid));
    }
    offset[m + 1] = weights.length;
  }
  return { start, offset, weights: Float64Array.from(weights) };
}

/** The `dct` package's DCT-II rows j < coefficients: T[j·M + m] = 2·cos(π/M·(m + ½)·j). */
export function meydaDctTable(bands: number, coefficients: number): Float64Array {
  const t = new Float64Array(coefficients * bands);
  for (let j = 0; j < coefficients; j++) {
    for (let m = 0; m < bands; m++) t[j * bands + m] = 2 * Math.cos((Math.PI / bands) * (m + 0.5) * j);
  }
  return t;
}
