/**
 * The two operations every stage of the streaming runtime is made of, over Float32Arrays:
 * out = act(input·W + b) with W packed for in-order reads (packKernel, affine; affineInt8 for
 * int8 kernels, applyKernel for either), and the activations (activate). The LMU cell (cell.ts)
 * and the Dense layers (runtime.ts) share them.
 */
import { DenseActivation, isInt8, Kernel } from './weights';

/** Outputs computed together by affine(): one pass over the input feeds eight sums. */
const BLOCK = 8;

/**
 * Packs a row-major [rows, cols] kernel (tfjs Dense layout: input j, output k at j·cols + k) into
 * ⌈cols/8⌉ blocks of [rows][8], zero-padded, so affine() reads the weights strictly in order.
 */
export function packKernel<T extends Float32Array | Int8Array>(data: T, rows: number, cols: number): T {
  const blocks = Math.ceil(cols / BLOCK);
  const p = new (data.constructor as new (length: number) => T)(blocks * rows * BLOCK);
  for (let j = 0; j < rows; j++) {
    for (let k = 0; k < cols; k++) p[((k / BLOCK) | 0) * rows * BLOCK + j * BLOCK + (k % BLOCK)] = data[j * cols + k];
  }
  return p;
}

/**
 * out[k] = (accumulate ? out[k] : bias?.[k] ?? 0) + Σ_j input[j]·W[offset + j][k], W packed by
 * packKernel with `rows` input rows (offset selects a slice of them, for concatenated inputs).
 * Eight outputs per pass: each input value is loaded once for eight independent products whose
 * sums the CPU can overlap, and the weights stream in order (≈ 1.5× over one output per pass).
 */
export function affine(
  P: Float32Array,
  rows: number,
  offset: number,
  input: Float32Array,
  out: Float32Array,
  bias?: Float32Array,
  accumulate = false,
): void {
  const n = input.length;
  const units = out.length;
  for (let k = 0; k < units; k += BLOCK) {
    // starting sums: out (accumulate), else the bias, else 0; 0 past the last unit
    const from = accumulate ? out : bias;
    let s0 = from ? from[k] : 0;
    let s1 = from && k + 1 < units ? from[k + 1] : 0,
      s2 = from && k + 2 < units ? from[k + 2] : 0;
    let s3 = from && k + 3 < units ? from[k + 3] : 0,
      s4 = from && k + 4 < units ? from[k + 4] : 0;
    let s5 = from && k + 5 < units ? from[k + 5] : 0,
      s6 = from && k + 6 < units ? from[k + 6] : 0;
    let s7 = from && k + 7 < units ? from[k + 7] : 0;
    let p = k * rows + offset * BLOCK; // block k/8 starts at (k/8)·rows·8 = k·rows
    for (let j = 0; j < n; j++, p += BLOCK) {
      const v = input[j];
      s0 += v * P[p];
      s1 += v * P[p + 1];
      s2 += v * P[p + 2];
      s3 += v * P[p + 3];
      s4 += v * P[p + 4];
      s5 += v * P[p + 5];
      s6 += v * P[p + 6];
      s7 += v * P[p + 7];
    }
    out[k] = s0;
    if (k + 1 < units) out[k + 1] = s1;
    if (k + 2 < units) out[k + 2] = s2;
    if (k + 3 < units) out[k + 3] = s3;
    if (k + 4 < units) out[k + 4] = s4;
    if (k + 5 < units) out[k + 5] = s5;
    if (k + 6 < units) out[k + 6] = s6;
    if (k + 7 < units) out[k + 7] = s7;
  }
}

/**
 * affine() over an int8 kernel (packed the same way) and its per-output scales: each output's sum
 * runs over the int8 weights as stored and is scaled once at the end,
 *     out[k] = (accumulate ? out[k] : bias?.[k] ?? 0) + scales[k] · Σ_j input[j]·Q[offset + j][k],
 * so no float copy of the weights is ever made.
 */
export function affineInt8(
  Q: Int8Array,
  scales: Float32Array,
  rows: number,
  offset: number,
  input: Float32Array,
  out: Float32Array,
  bias?: Float32Array,
  accumulate = false,
): void {
  const n = input.length;
  const units = out.length;
  const from = accumulate ? out : bias;
  for (let k = 0; k < units; k += BLOCK) {
    let q0 = 0,
      q1 = 0,
      q2 = 0,
      q3 = 0;
    let q4 = 0,
      q5 = 0,
      q6 = 0,
      q7 = 0;
    for (let j = 0, p = k * rows + offset * BLOCK; j < n; j++, p += BLOCK) {
      const v = input[j];
      q0 += v * Q[p];
      q1 += v * Q[p + 1];
      q2 += v * Q[p + 2];
      q3 += v * Q[p + 3];
      q4 += v * Q[p + 4];
      q5 += v * Q[p + 5];
      q6 += v * Q[p + 6];
      q7 += v * Q[p + 7];
    }
    scaleInto(out, from, scales, k, q0);
    if (k + 1 < units) scaleInto(out, from, scales, k + 1, q1);
    if (k + 2 < units) scaleInto(out, from, scales, k + 2, q2);
    if (k + 3 < units) scaleInto(out, from, scales, k + 3, q3);
    if (k + 4 < units) scaleInto(out, from, scales, k + 4, q4);
    if (k + 5 < units) scaleInto(out, from, scales, k + 5, q5);
    if (k + 6 < units) scaleInto(out, from, scales, k + 6, q6);
    if (k + 7 < units) scaleInto(out, from, scales, k + 7, q7);
  }
}

/** out[i] = start + scales[i]·sum, the start being from[i] (accumulate, bias) or 0. */
function scaleInto(out: Float32Array, from: Float32Array | undefined, scales: Float32Array, i: number, sum: number): void {
  out[i] = (from ? from[i] : 0) + scales[i] * sum;
}

/** A kernel packed for the runtime (packKernel), with its scales when it is int8. */
export type PackedKernel = { rows: number; weights: Float32Array } | { rows: number; weights: Int8Array; scales: Float32Array };

/** Packs a [rows, cols] kernel of either type; an int8 one stays int8. */
export function packed(m: Kernel): PackedKernel {
  const [rows, cols] = m.shape;
  return isInt8(m)
    ? { rows, weights: packKernel(m.data, rows, cols), scales: m.scales }
    : { rows, weights: packKernel(m.data, rows, cols) };
}

/** affine() or affineInt8(), whichever the kernel needs. */
export function applyKernel(
  K: PackedKernel,
  offset: number,
  input: Float32Array,
  out: Float32Array,
  bias?: Float32Array,
  accumulate = false,
): void {
  if ('scales' in K) affineInt8(K.weights, K.scales, K.rows, offset, input, out, bias, accumulate);
  else affine(K.weights, K.rows, offset, input, out, bias, accumulate);
}

/** v ← f(v) in place (softmax over the whole vector). */
export function activate(v: Float32Array, f: DenseActivation): void {
  switch (f) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < v.length; i++) if (v[i] < 0) v[i] = 0;
      return;
    case 'tanh':
      for (let i = 0; i < v.length; i++) v[i] = Math.tanh(v[i]);
      return;
    case 'sigmoid':
      for (let i = 0; i < v.length; i++) v[i] = 1 / (1 + Math.exp(-v[i]));
      return;
    case 'softmax': {
      let max = -Infinity;
      for (let i = 0; i < v.length; i++) if (v[i] > max) max = v[i];
      let sum = 0;
      for (let i = 0; i < v.length; i++) sum += v[i] = Math.exp(v[i] - max);
      for (let i = 0; i < v.length; i++) v[i] /= sum;
    }
  }
}
