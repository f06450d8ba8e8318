/**
 * Streaming LSTM classifier, one frame per step, plain TypeScript over Float32Arrays (no tfjs).
 * The cell is tfjs's LSTM (tf.layers.lstm with recurrentActivation 'sigmoid'; Hochreiter &
 * Schmidhuber 1997 with a forget gate), which the tfjs model (tf/model.ts) trains:
 *
 *     [a_i a_f a_g a_o] = x·W + h·U + b      tfjs's gate order
 *     c ← σ(a_f) ⊙ c + σ(a_i) ⊙ tanh(a_g)
 *     h = σ(a_o) ⊙ tanh(c)
 *
 * then the Dense layers on h. W is tfjs's kernel, U its recurrent kernel, b its bias (weights.ts);
 * all four gates are one product over [x, h]. Everything is made in the constructor; step()
 * allocates nothing.
 */
import { activate, affine, packKernel } from '../lmu/affine';
import { stackRows } from './kernels';
import { StreamingRival } from './streamingRival';
import { RecurrentWeights } from './weights';

export class LstmClassifier extends StreamingRival {
  private readonly units: number;
  private readonly kernel: Float32Array; // [W; U], rows inputSize + units, packed
  private readonly bias: Float32Array;
  private readonly a: Float32Array; // the four gates: i, f, g, o
  private readonly inputForget: Float32Array; // views of a
  private readonly g: Float32Array;
  private readonly o: Float32Array;
  private readonly c: Float32Array;
  private readonly h: Float32Array;

  constructor(w: RecurrentWeights) {
    const H = w.cell.units;
    super(w, H);
    this.units = H;
    this.kernel = packKernel(stackRows(w.cell.kernel.data, w.cell.recurrentKernel.data), w.inputSize + H, 4 * H);
    this.bias = w.cell.bias.data;
    this.a = new Float32Array(4 * H);
    this.inputForget = this.a.subarray(0, 2 * H);
    this.g = this.a.subarray(2 * H, 3 * H);
    this.o = this.a.subarray(3 * H);
    this.c = new Float32Array(H);
    this.h = new Float32Array(H);
  }

  protected advance(x: Float32Array): Float32Array {
    const { units: H, a, g, o, c, h } = this;
    const rows = x.length + H;
    affine(this.kernel, rows, 0, x, a, this.bias);
    affine(this.kernel, rows, x.length, h, a, undefined, true);
    activate(this.inputForget, 'sigmoid');
    activate(g, 'tanh');
    activate(o, 'sigmoid');
    for (let i = 0; i < H; i++) {
      c[i] = a[H + i] * c[i] + a[i] * g[i];
      h[i] = o[i] * Math.tanh(c[i]);
    }
    return h;
  }

  protected resetState(): void {
    this.c.fill(0);
    this.h.fill(0);
  }
}
