/**
 * tfjs-backend-wasm 4.22 multiplies matrices on two paths: the plain product on XNNPACK, and
 * anything with transposeA or transposeB on a generic loop about ten times slower (measured on
 * [4736, 128]·[340, 128]ᵀ: 359 ms against 38 ms for the same product on a transposed copy).
 * Every matMul's gradient is such a product (dA = dC·Bᵀ, dB = Aᵀ·dC), so at kws train's
 * shapes the backward matMuls were 80–90 % of a training step (bench/trainProfile.ts).
 *
 * useFastTransposedMatMul re-registers wasm's BatchMatMul so that a flagged operand is first
 * transposed into a copy (the Transpose kernel: one pass over memory) and the product then takes
 * the fast path. Same products, so the same results up to float rounding (the two paths sum in
 * different orders); runs stay reproducible, since each path is deterministic.
 */
import * as tf from '@tensorflow/tfjs';

type KernelArgs = Parameters<tf.KernelFunc>[0];

let installed = false;

/** Swaps the last two axes of `x` with the backend's own Transpose kernel. */
function transposed(x: tf.TensorInfo, args: KernelArgs): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  return tf.getKernel(tf.Transpose, 'wasm')!.kernelFunc({ inputs: { x }, backend: args.backend, attrs: { perm } }) as tf.TensorInfo;
}

/** Installs the faster BatchMatMul on the wasm backend (once; a no-op without that backend). */
export function useFastTransposedMatMul(): void {
  const original = tf.getKernel(tf.BatchMatMul, 'wasm');
  if (installed || !original) return;
  installed = true;
  tf.unregisterKernel(tf.BatchMatMul, 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: (args: KernelArgs) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
      if (!transposeA && !transposeB) return original.kernelFunc(args);
      const a2 = transposeA ? transposed(a, args) : a;
      const b2 = transposeB ? transposed(b, args) : b;
      const out = original.kernelFunc({
        ...args,
        inputs: { a: a2, b: b2 },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
      const backend = args.backend as tf.KernelBackend;
      for (const copy of [a2, b2]) if (copy !== a && copy !== b) backend.disposeData(copy.dataId);
      return out;
    },
  });
}
