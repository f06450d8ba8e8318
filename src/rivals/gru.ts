/**
 * Streaming GRU classifier, one frame per step, plain TypeScript over Float32Arrays (no tfjs).
 * The cell is tfjs's GRU (tf.layers.gru with recurrentActivation 'sigmoid': Cho et al. 2014,
 * the reset gate applied before the recurrent product), which the tfjs model (tf/model.ts) trains:
 *
 *     z = σ(x·W_z + h·U_z + b_z)             update gate
 *     r = σ(x·W_r + h·U_r + b_r)             reset gate
 *     ĥ = tanh(x·W_h + (r ⊙ h)·U_h + b_h)    candidate
 *     h ← z ⊙ h + (1 − z) ⊙ ĥ
 *
 * then the Dense layers on h. W = [W_z W_r W_h] is tfjs's kernel, U = [U_z U_r U_h] its
 * recurrent kernel and b its bias (weights.ts). z and r are one product over [x, h]; ĥ needs r
 * first, so its two products run apart. Everything is made in the constructor; step() allocates
 * nothing.
 */
import { activate, affine, packKernel } from '../lmu/affine';
import { columns, stackRows } from './kernels';
import { StreamingRival } from './streamingRival';
import { RecurrentWeights } from './weights';

export class GruClassifier extends StreamingRival {
  private readonly units: number;
  private readonly zrKernel: Float32Array; // [W_z W_r; U_z U_r], rows inputSize + units, packed
  private readonly zrBias: Float32Array;
  private readonly candidateInput: Float32Array; // W_h, packed
  private readonly candidateRecurrent: Float32Array; // U_h, packed
  private readonly candidateBias: Float32Array;
  private readonly zr: Float32Array; // z then r
  private readonly z: Float32Array;
  private readonly r: Float32Array;
  private readonly rh: Float32Array; // r ⊙ h
  private readonly candidate: Float32Array;
  private readonly h: Float32Array;

  constructor(w: RecurrentWeights) {
    const H = w.cell.units;
    super(w, H);
    const F = w.inputSize;
    const { kernel, recurrentKernel, bias } = w.cell;
    this.units = H;
    this.zrKernel = packKernel(stackRows(columns(kernel, 0, 2 * H), columns(recurrentKernel, 0, 2 * H)), F + H, 2 * H);
    this.zrBias = bias.data.subarray(0, 2 * H);
    this.candidateInput = packKernel(columns(kernel, 2 * H, H), F, H);
    this.candidateRecurrent = packKernel(columns(recurrentKernel, 2 * H, H), H, H);
    this.candidateBias = bias.data.subarray(2 * H, 3 * H);
    this.zr = new Float32Array(2 * H);
    this.z = this.zr.subarray(0, H);
    this.r = this.zr.subarray(H);
    this.rh = new Float32Array(H);
    this.candidate = new Float32Array(H);
    this.h = new Float32Array(H);
  }

  protected advance(x: Float32Array): Float32Array {
    const { units: H, h, z, r, rh, candidate } = this;
    const rows = x.length + H;
    affine(this.zrKernel, rows, 0, x, this.zr, this.zrBias);
    affine(this.zrKernel, rows, x.length, h, this.zr, undefined, true);
    activate(this.zr, 'sigmoid');
    for (let i = 0; i < H; i++) rh[i] = r[i] * h[i];
    affine(this.candidateInput, x.length, 0, x, candidate, this.candidateBias);
    affine(this.candidateRecurrent, H, 0, rh, candidate, undefined, true);
    activate(candidate, 'tanh');
    for (let i = 0; i < H; i++) h[i] = z[i] * h[i] + (1 - z[i]) * candidate[i];
    return h;
  }

  protected resetState(): void {
    this.h.fill(0);
  }
}
