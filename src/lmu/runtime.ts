/**
 * Streaming LMU classifier: one frame in, class posteriors out, plain TypeScript over
 * Float32Arrays (no tfjs). This is the definition of the LMU cell; the tfjs layer (tf/layer.ts)
 * and the readout (tf/readout.ts) compute the same over whole sequences. Per frame, with x the
 * features, memory m (memoryD channels × order) and hidden state h:
 *
 *     u = x·K_x (+ h_prev·K_h if hiddenToMemory) (+ m_prev·R if memoryToMemory)   memoryD values
 *     m_d ← Ā·m_d + B̄·u_d                                each channel d (Ā, B̄: matrices.ts)
 *     h = f(m·W_m (+ x·W_x if inputToHidden) + b)         hidden cell (if hiddenUnits > 0)
 *     y = act_k(y_{k−1}·W_k + b_k)                        Dense layers, last usually softmax
 *
 * Everything is preallocated in the constructor; step() allocates nothing and returns the SAME
 * output buffer every call (copy it if you keep posteriors across steps). Sums run in float64
 * (JS numbers) over float32 weights and state.
 *
 * For discretizer 'euler' the memory update uses the structure of Ā = I + A/θ: O(order) per
 * channel with running sums instead of the O(order²) dense product (updateMemoryEuler).
 */
import { ConfigError } from '../errors';
import { lmuMatrices } from './matrices';
import { DenseActivation, RuntimeWeights } from './weights';

export interface StreamingClassifierOptions {
  /** Use the O(order) structured update for euler models (default true; ignored for zoh). */
  structuredEuler?: boolean;
}

/** Outputs computed together by affine(): one pass over the input feeds eight sums. */
const BLOCK = 8;

/**
 * Packs a row-major [rows, cols] kernel (tfjs Dense layout: input j, output k at j·cols + k) into
 * ⌈cols/8⌉ blocks of [rows][8], zero-padded, so affine() reads the weights strictly in order.
 */
function packKernel(data: Float32Array, rows: number, cols: number): Float32Array {
  const blocks = Math.ceil(cols / BLOCK);
  const p = new Float32Array(blocks * rows * BLOCK);
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
function affine(
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

function activate(v: Float32Array, f: DenseActivation): void {
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

interface DenseStage {
  Wt: Float32Array;
  bias: Float32Array;
  activation: DenseActivation;
  out: Float32Array;
  rowLen: number;
}

export class StreamingClassifier {
  readonly inputSize: number;
  readonly outputSize: number;
  /** Bytes of state carried from one step to the next (memory, plus h when hiddenToMemory). */
  readonly stateBytes: number;
  private readonly o: RuntimeWeights['lmu'];
  private readonly A: Float32Array;
  private readonly B: Float32Array;
  private readonly structured: boolean;
  private readonly eulerOff: Float32Array; // fround((2i+1)/θ), the off-diagonal magnitude of euler Ā
  private readonly Kt: Float32Array; // [encIn → memoryD], packed (packKernel)
  private readonly Rt?: Float32Array; // [memoryD·order → memoryD], packed
  private readonly Wht?: Float32Array; // [memoryD·order (+ inputSize) → hiddenUnits], packed
  private readonly hb?: Float32Array;
  private m: Float32Array;
  private mNext: Float32Array;
  private readonly u: Float32Array;
  private readonly x: Float32Array; // the frame with non-finite values replaced by 0
  private readonly h: Float32Array;
  private readonly dense: DenseStage[];
  private readonly output: Float32Array;

  constructor(w: RuntimeWeights, options: StreamingClassifierOptions = {}) {
    const o = (this.o = w.lmu);
    this.inputSize = w.inputSize;
    const mem = o.memoryD * o.order;
    const sys = lmuMatrices(o.order, o.theta, o.discretizer);
    this.A = Float32Array.from(sys.A);
    this.B = Float32Array.from(sys.B);
    this.structured = o.discretizer === 'euler' && (options.structuredEuler ?? true);
    this.eulerOff = Float32Array.from({ length: o.order }, (_, i) => (2 * i + 1) / o.theta);
    const encIn = w.inputSize + (o.hiddenToMemory ? o.hiddenUnits : 0);
    this.Kt = packKernel(o.kernel.data, encIn, o.memoryD);
    if (o.recurrentKernel) this.Rt = packKernel(o.recurrentKernel.data, mem, o.memoryD);
    if (o.hiddenKernel && o.hiddenBias) {
      this.Wht = packKernel(o.hiddenKernel.data, o.hiddenKernel.shape[0], o.hiddenUnits);
      this.hb = o.hiddenBias.data;
    }
    this.m = new Float32Array(mem);
    this.mNext = new Float32Array(mem);
    this.u = new Float32Array(o.memoryD);
    this.x = new Float32Array(w.inputSize);
    this.h = new Float32Array(o.hiddenUnits);
    let width = o.hiddenUnits > 0 ? o.hiddenUnits : mem;
    this.dense = w.dense.map((d) => {
      const units = d.kernel.shape[1];
      const stage = {
        Wt: packKernel(d.kernel.data, width, units),
        bias: d.bias.data,
        activation: d.activation,
        out: new Float32Array(units),
        rowLen: width,
      };
      width = units;
      return stage;
    });
    this.outputSize = width;
    // the memory buffers swap every step, so a bare-memory model copies m into its own output
    this.output = this.dense.length ? this.dense[this.dense.length - 1].out : o.hiddenUnits > 0 ? this.h : new Float32Array(mem);
    this.stateBytes = 4 * (mem + (o.hiddenToMemory ? o.hiddenUnits : 0));
  }

  /**
   * Advances one frame and returns the model output (posteriors) for it. The returned array
   * is owned by the classifier and overwritten by the next step() or reset().
   * NaN/±Infinity feature values count as 0, so one bad frame cannot poison the memory forever.
   */
  step(features: Float32Array): Float32Array {
    if (features.length !== this.inputSize) {
      throw new ConfigError(`frame has ${features.length} values, the model expects ${this.inputSize}`);
    }
    const frame = this.x;
    for (let i = 0; i < frame.length; i++) frame[i] = Number.isFinite(features[i]) ? features[i] : 0;
    const o = this.o;
    const encIn = this.inputSize + (o.hiddenToMemory ? o.hiddenUnits : 0);
    affine(this.Kt, encIn, 0, frame, this.u);
    if (o.hiddenToMemory) affine(this.Kt, encIn, this.inputSize, this.h, this.u, undefined, true);
    if (this.Rt) affine(this.Rt, this.m.length, 0, this.m, this.u, undefined, true);
    if (this.structured) this.updateMemoryEuler();
    else this.updateMemoryDense();
    if (o.hiddenUnits > 0) {
      const rowLen = this.m.length + (o.inputToHidden ? this.inputSize : 0);
      affine(this.Wht!, rowLen, 0, this.m, this.h, this.hb);
      if (o.inputToHidden) affine(this.Wht!, rowLen, this.m.length, frame, this.h, undefined, true);
      activate(this.h, o.hiddenActivation);
    }
    let x = o.hiddenUnits > 0 ? this.h : this.m;
    for (const d of this.dense) {
      affine(d.Wt, d.rowLen, 0, x, d.out, d.bias);
      activate(d.out, d.activation);
      x = d.out;
    }
    if (x === this.m) this.output.set(x);
    return this.output;
  }

  /**
   * m_d ← Ā·m_d + B̄·u_d with the dense Ā (any discretizer). Four channels per pass share each
   * Ā load; leftover channels go one at a time.
   */
  private updateMemoryDense(): void {
    const { order, memoryD } = this.o;
    const { A, B, m, mNext, u } = this;
    let d = 0;
    for (; d + 3 < memoryD; d += 4) {
      const c0 = d * order,
        c1 = c0 + order,
        c2 = c1 + order,
        c3 = c2 + order;
      for (let i = 0; i < order; i++) {
        const b = B[i];
        let s0 = b * u[d],
          s1 = b * u[d + 1],
          s2 = b * u[d + 2],
          s3 = b * u[d + 3];
        const row = i * order;
        for (let j = 0; j < order; j++) {
          const a = A[row + j];
          s0 += a * m[c0 + j];
          s1 += a * m[c1 + j];
          s2 += a * m[c2 + j];
          s3 += a * m[c3 + j];
        }
        mNext[c0 + i] = s0;
        mNext[c1 + i] = s1;
        mNext[c2 + i] = s2;
        mNext[c3 + i] = s3;
      }
    }
    for (; d < memoryD; d++) {
      const c = d * order;
      for (let i = 0; i < order; i++) {
        let s = B[i] * u[d];
        const row = i * order;
        for (let j = 0; j < order; j++) s += A[row + j] * m[c + j];
        mNext[c + i] = s;
      }
    }
    this.m = mNext;
    this.mNext = m;
  }

  /**
   * Euler update in O(order) per channel, in place. Uses the float32 entries of the dense Ā
   * (diagonal d_i = Ā[i][i], off-diagonal magnitude c_i = |Ā[i][j≠i]| = fround((2i+1)/θ)), so it
   * reproduces the dense product up to summation order:
   *     m_i ← d_i·m_i + c_i·( −Σ_{j>i} m_j + (−1)^(i+1)·Σ_{j<i} (−1)^j m_j ) + B̄_i·u
   */
  private updateMemoryEuler(): void {
    const { order, memoryD } = this.o;
    const { m, A, B, eulerOff } = this;
    for (let d = 0; d < memoryD; d++) {
      const base = d * order;
      let total = 0;
      for (let j = 0; j < order; j++) total += m[base + j];
      const ud = this.u[d];
      let prefix = 0; // Σ_{j<i} m_j
      let alt = 0; // Σ_{j<i} (−1)^j m_j
      for (let i = 0; i < order; i++) {
        const mi = m[base + i];
        const odd = i & 1;
        const off = -(total - prefix - mi) + (odd ? alt : -alt);
        m[base + i] = A[i * order + i] * mi + eulerOff[i] * off + B[i] * ud;
        prefix += mi;
        alt += odd ? -mi : mi;
      }
    }
  }

  /** Forgets all history (memory and hidden state to zero). */
  reset(): void {
    this.m.fill(0);
    this.mNext.fill(0);
    this.h.fill(0);
    this.output.fill(0);
    for (const d of this.dense) d.out.fill(0);
  }
}
