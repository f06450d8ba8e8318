/**
 * int8 runtime weights: every kernel of a model (each LMU layer's kernel, recurrentKernel,
 * hiddenProjection and hiddenKernel, each Dense kernel) quantized symmetrically with one scale per output channel:
 *
 *     scale_k = max_j |W[j][k]| / 127,     q[j][k] = round(W[j][k] / scale_k) ∈ [−127, 127]
 *
 * Symmetric, so zero stays exactly zero and there is no zero point to carry; per output channel,
 * so one large weight coarsens only its own column. The runtime multiplies the int8 values as
 * they are and scales each output's sum once (affineInt8). Kept float32: the biases (one value
 * per output, added once) and the LMU's Ā and B̄, which are not stored at all (recomputed from
 * order and θ, matrices.ts). The tfjs model is not touched: it stays float32 for training.
 */
import { ConfigError } from '../errors';
import { Int8Matrix, isInt8, Kernel, RuntimeDense, RuntimeLmu, RuntimeWeights, WeightMatrix, weightDtype } from './weights';

/** The largest int8 magnitude used: ±127, so the range is symmetric (−128 is never written). */
export const INT8_LEVELS = 127;

/** One [rows, cols] float32 kernel as int8 with a scale per column. */
export function quantizeKernel(m: WeightMatrix): Int8Matrix {
  const [rows, cols] = m.shape;
  const scales = new Float32Array(cols);
  for (let j = 0; j < rows; j++) {
    for (let k = 0; k < cols; k++) scales[k] = Math.max(scales[k], Math.abs(m.data[j * cols + k]));
  }
  for (let k = 0; k < cols; k++) scales[k] /= INT8_LEVELS;
  const data = new Int8Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    const scale = scales[i % cols];
    data[i] = scale > 0 ? Math.round(m.data[i] / scale) : 0; // a column of zeros stays zeros
  }
  return { shape: m.shape.slice(), data, scales };
}

const quantized = (m: Kernel): Int8Matrix => (isInt8(m) ? m : quantizeKernel(m));

function quantizeLmu(o: RuntimeLmu): RuntimeLmu {
  return {
    ...o,
    kernel: quantized(o.kernel),
    ...(o.recurrentKernel && { recurrentKernel: quantized(o.recurrentKernel) }),
    ...(o.hiddenProjection && { hiddenProjection: quantized(o.hiddenProjection) }),
    ...(o.hiddenKernel && { hiddenKernel: quantized(o.hiddenKernel) }),
  };
}

/** The same model with int8 kernels (biases float32); a ConfigError when it is int8 already. */
export function quantizeWeights(w: RuntimeWeights): RuntimeWeights {
  if (weightDtype(w) === 'int8') throw new ConfigError('the weights are int8 already');
  const quantizeDense = (d: RuntimeDense): RuntimeDense => ({ ...d, kernel: quantized(d.kernel) });
  return {
    ...w,
    ...(w.front && { front: w.front.map(quantizeDense) }),
    lmu: quantizeLmu(w.lmu),
    ...(w.lmuStack && { lmuStack: w.lmuStack.map(quantizeLmu) }),
    dense: w.dense.map(quantizeDense),
  };
}
