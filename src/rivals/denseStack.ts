/**
 * The Dense layers after a rival's network, one frame at a time — the LMU runtime's head
 * (../lmu/runtime.ts), on the same packed kernels:
 *
 *     y_k = act_k(y_{k−1}·W_k + b_k),   y_0 = the network's output
 *
 * Buffers are made once; run() allocates nothing and returns the same buffer every call.
 */
import { activate, applyKernel, packed, PackedKernel } from '../lmu/affine';
import { DenseActivation, RuntimeDense } from '../lmu/weights';

interface Stage {
  kernel: PackedKernel;
  bias: Float32Array;
  activation: DenseActivation;
  out: Float32Array;
}

export class DenseStack {
  readonly outputSize: number;
  private readonly stages: Stage[];

  constructor(dense: readonly RuntimeDense[], inputWidth: number) {
    let rows = inputWidth;
    this.stages = dense.map((d) => {
      const units = d.kernel.shape[1];
      const stage = {
        kernel: packed(d.kernel),
        bias: d.bias.data,
        activation: d.activation,
        out: new Float32Array(units),
      };
      rows = units;
      return stage;
    });
    this.outputSize = rows;
  }

  /** The last layer's output for `x` (x itself when there is no layer). */
  run(x: Float32Array): Float32Array {
    for (const s of this.stages) {
      applyKernel(s.kernel, 0, x, s.out, s.bias);
      activate(s.out, s.activation);
      x = s.out;
    }
    return x;
  }

  reset(): void {
    for (const s of this.stages) s.out.fill(0);
  }
}
