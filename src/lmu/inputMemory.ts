/**
 * The LMU memory of each input feature on its own, computed once per sequence outside the
 * gradient (no tfjs):
 *
 *     M_f[t] = Ā·M_f[t−1] + B̄·x_f[t],   M_f[−1] = 0
 *
 * Without feedback the memory is linear in its input u[t] = x[t]·K (cell.ts), so channel d's
 * memory is Σ_f K[f][d]·M_f[t] (computed in tf/readout.ts). M depends on no weight, so training
 * computes it once per sequence and learns K, W_m, W_x and b on it frame by frame: the same
 * model, without the T²·order Toeplitz product in every forward and backward pass.
 */
import { LmuMatrices } from './matrices';

/**
 * M for `frames` frames of `features` inputs (x row-major [frames, features]) into `out`
 * ([frames, features·order], index f·order + i); returns `out`.
 */
export function inputMemory(
  { A, B }: LmuMatrices,
  x: Float32Array,
  frames: number,
  features: number,
  out: Float32Array = new Float32Array(frames * features * B.length),
): Float32Array {
  const order = B.length;
  // State laid out [f][i], as `out` is: each new value is one dot product of a row of Ā with one
  // feature's state, summed in a register (b·x first, then j ascending, in float64 as before).
  let state = new Float64Array(features * order);
  let next = new Float64Array(features * order);
  for (let t = 0; t < frames; t++) {
    const xt = t * features;
    for (let f = 0; f < features; f++) {
      const s = f * order;
      const xf = x[xt + f];
      for (let i = 0; i < order; i++) {
        const row = i * order;
        let acc = B[i] * xf;
        for (let j = 0; j < order; j++) acc += A[row + j] * state[s + j];
        next[s + i] = acc;
      }
    }
    [state, next] = [next, state];
    out.set(state, t * features * order);
  }
  return out;
}
