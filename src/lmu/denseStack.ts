/**
 * Dense layers one frame at a time, on packed kernels: the head after any streaming network (the
 * LMU's, runtime.ts, and each rival's, ../rivals/streamingRival.ts) and the LMU's front layers:
 *
 *     y_k = act_k(y_{k−1}·W_k + b_k),   y_0 = the input
 *
 * Buffers are made once; run() allocates nothing and returns the same buffer every call.
 */
import { activate, applyKernel, packed, PackedKernel } from './affine';
import { DenseActivation, RuntimeDense } from './weights';

interface Stage {
  kernel: PackedKernel;
  bias: Float32Array;
  activation: DenseActivation;
  out: Float32Array;
}

export class DenseStack {
  readonly outputSize: number;
  /** The buffer run() returns, when there is a layer (without one it returns its input). */
  readonly output?: Float32Array;
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
    this.output = this.stages[this.stages.length - 1]?.out;
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
