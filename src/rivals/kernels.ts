/** Slices of tfjs's row-major kernels, for packing the parts a streaming step multiplies separately. */
import { WeightMatrix } from '../lmu/weights';

/** Columns [from, from + count) of a [rows, cols] matrix, row-major. */
export function columns(m: WeightMatrix, from: number, count: number): Float32Array {
  const [rows, cols] = m.shape;
  const out = new Float32Array(rows * count);
  for (let r = 0; r < rows; r++) out.set(m.data.subarray(r * cols + from, r * cols + from + count), r * count);
  return out;
}

/** The rows of `a` then the rows of `b` (same width): the kernel of the concatenated input [x, h]. */
export function stackRows(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
