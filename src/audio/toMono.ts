/**
 * Frames of decoded samples → mono float in [-1, 1], averaging the channels:
 *   m[t] = (1/C) Σ_c x[t·C + c]
 * Non-finite samples become 0 and out-of-range ones are clamped; the counts are returned so the
 * caller can warn once.
 */
export interface MonoResult {
  samples: Float32Array;
  nonFinite: number;
  clipped: number;
}

/** Interleaved samples (raw integer or float values) times `scale`, minus `offset` first. */
export function mixInterleaved(raw: ArrayLike<number>, channels: number, scale = 1, offset = 0): MonoResult {
  const frames = Math.floor(raw.length / channels);
  const samples = new Float32Array(frames);
  let nonFinite = 0;
  let clipped = 0;
  for (let t = 0, i = 0; t < frames; t++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, i++) {
      let v = (raw[i] - offset) * scale;
      if (!Number.isFinite(v)) {
        v = 0;
        nonFinite++;
      }
      sum += v;
    }
    let m = sum / channels;
    if (m > 1 || m < -1) {
      m = m > 1 ? 1 : -1;
      clipped++;
    }
    samples[t] = m;
  }
  return { samples, nonFinite, clipped };
}

/**
 * 2^(b−1): a b-bit signed integer sample n means n / 2^(b−1), so the most negative value is
 * exactly −1 and the largest 1 − 2^(1−b) (the usual full-scale convention; WAV and FLAC alike).
 */
export function integerFullScale(bits: number): number {
  return 2 ** (bits - 1);
}
