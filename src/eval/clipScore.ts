/**
 * How a streaming classifier's frame posteriors become one decision for a whole clip — the
 * same rule for validation during training and for `kws eval`, so both report the same accuracy.
 *
 *   p′_c[t] = mean of p_c over the last SMOOTH frames (Chen et al. 2014's smoothing)
 *   score_c = max over t ≥ warm-up of p′_c[t]
 *   decision = argmax_c score_c over every class but `_silence_`, if that score ≥ 0.5,
 *              else `_silence_`
 * i.e. "the strongest thing heard in the clip; silence when nothing was heard clearly".
 */
export const CLIP_SMOOTH_FRAMES = 5;
export const CLIP_WARMUP_FRAMES = 10;
export const CLIP_MIN_SCORE = 0.5;

/** posteriors: frames × classes, row-major. Returns the chosen class index. */
export function clipDecision(posteriors: Float32Array, frames: number, classes: number, silence: number): number {
  const scores = clipScores(posteriors, frames, classes);
  let best = -1;
  for (let c = 0; c < classes; c++) {
    if (c !== silence && (best < 0 || scores[c] > scores[best])) best = c;
  }
  return best >= 0 && scores[best] >= CLIP_MIN_SCORE ? best : silence;
}

/** score_c for every class (see file comment). */
export function clipScores(posteriors: Float32Array, frames: number, classes: number): Float64Array {
  const scores = new Float64Array(classes);
  const sum = new Float64Array(classes);
  for (let t = 0; t < frames; t++) {
    for (let c = 0; c < classes; c++) {
      sum[c] += posteriors[t * classes + c];
      if (t >= CLIP_SMOOTH_FRAMES) sum[c] -= posteriors[(t - CLIP_SMOOTH_FRAMES) * classes + c];
      const n = Math.min(t + 1, CLIP_SMOOTH_FRAMES);
      if (t >= CLIP_WARMUP_FRAMES) scores[c] = Math.max(scores[c], sum[c] / n);
    }
  }
  return scores;
}
