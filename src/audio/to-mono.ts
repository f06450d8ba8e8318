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

/** `read(i)` returns interleaved sample i already scaled to nominal [-1, 1]. */
function mixFrames(frames: number, channels: number, read: (frame: number, channel: number) => number): MonoResult {
  const samples = new Float32Array(frames);
  let nonFinite = 0;
  let clipped = 0;
  for (let t = 0; t < frames; t++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) {
      let v = read(t, c);
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

/** Interleaved samples (raw integer or float values) times `scale`, minus `offset` first. */
export function mixInterleaved(
  raw: ArrayLike<number>,
  channels: number,
  scale = 1,
  offset = 0,
): MonoResult {
  const frames = Math.floor(raw.length / channels);
  return mixFrames(frames, channels, (t, c) => (raw[t * channels + c] - offset) * scale);
}

/** One Float32Array per channel (e.g. a FLAC decoder's output). */
export function mixPlanar(channelData: Float32Array[], frames: number): MonoResult {
  return mixFrames(frames, channelData.length, (t, c) => channelData[c][t]);
}
