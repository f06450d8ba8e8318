/**
 * One LMU layer of the streaming runtime, one step at a time: the definition of the LMU cell.
 * The tfjs layer (tf/layer.ts) and the readout (tf/readout.ts) compute the same over whole
 * sequences. Per step, with x the layer's input (the features for the first layer of a stack,
 * the output of the layer below for the others), memory m (memoryD channels × order) and hidden
 * state h:
 *
 *     u = x·K_x (+ h_prev·K_h if hiddenToMemory) (+ m_prev·R if memoryToMemory)   memoryD values
 *     m_d ← Ā·m_d + B̄·u_d                                each channel d (Ā, B̄: matrices.ts)
 *     h = f(m·W_m (+ x·W_x if inputToHidden) + b)         hidden cell (if hiddenUnits > 0)
 *
 * With hiddenRank r > 0 the hidden cell's kernel is factored, [W_m; W_x] = P·W:
 *
 *     z = m·P_m (+ x·P_x if inputToHidden)                r values
 *     h = f(z·W + b)
 *
 * The output is h, or m (channel-major, index d·order + i) without a hidden cell. Buffers are
 * made in the constructor; step() allocates nothing. Sums run in float64 (JS numbers) over
 * float32 state and the weights as stored: float32, or int8 scaled per output (affineInt8). Ā and
 * B̄ are float32 in either case (computed, not stored).
 *
 * For discretizer 'euler' the memory update uses the structure of Ā = I + A/θ: O(order) per
 * channel with running sums instead of the O(order²) dense product (updateMemoryEuler).
 */
import { activate, applyKernel, packed, PackedKernel } from './affine';
import { lmuMatrices } from './matrices';
import { RuntimeLmu } from './weights';

export class LmuCell {
  readonly inputSize: number;
  readonly outputSize: number;
  private readonly o: RuntimeLmu;
  private readonly A: Float32Array;
  private readonly B: Float32Array;
  private readonly structured: boolean;
  private readonly eulerOff: Float32Array; // fround((2i+1)/θ), the off-diagonal magnitude of euler Ā
  private readonly Kt: PackedKernel; // [encIn → memoryD]
  private readonly Rt?: PackedKernel; // [memoryD·order → memoryD]
  private readonly Pt?: PackedKernel; // [memoryD·order (+ inputSize) → hiddenRank]
  private readonly Wht?: PackedKernel; // [hiddenRank, or memoryD·order (+ inputSize) → hiddenUnits]
  private readonly hb?: Float32Array;
  private m: Float32Array;
  private mNext: Float32Array;
  private readonly u: Float32Array;
  private readonly z: Float32Array;
  private readonly h: Float32Array;

  /** `structuredEuler`: the O(order) memory update for euler layers (ignored for zoh). */
  constructor(o: RuntimeLmu, inputSize: number, structuredEuler: boolean) {
    this.o = o;
    this.inputSize = inputSize;
    const mem = o.memoryD * o.order;
    const sys = lmuMatrices(o.order, o.theta, o.discretizer);
    this.A = Float32Array.from(sys.A);
    this.B = Float32Array.from(sys.B);
    this.structured = o.discretizer === 'euler' && structuredEuler;
    this.eulerOff = Float32Array.from({ length: o.order }, (_, i) => (2 * i + 1) / o.theta);
    this.Kt = packed(o.kernel); // [inputSize (+ hiddenUnits if hiddenToMemory), memoryD]
    if (o.recurrentKernel) this.Rt = packed(o.recurrentKernel);
    if (o.hiddenProjection) this.Pt = packed(o.hiddenProjection);
    if (o.hiddenKernel && o.hiddenBias) {
      this.Wht = packed(o.hiddenKernel);
      this.hb = o.hiddenBias.data;
    }
    this.m = new Float32Array(mem);
    this.mNext = new Float32Array(mem);
    this.u = new Float32Array(o.memoryD);
    this.z = new Float32Array(o.hiddenRank);
    this.h = new Float32Array(o.hiddenUnits);
    this.outputSize = o.hiddenUnits > 0 ? o.hiddenUnits : mem;
  }

  /**
   * Advances one step on x (inputSize finite values) and returns the output, h or m: the cell's
   * own array, overwritten by the next step (m alternates between two buffers).
   */
  step(x: Float32Array): Float32Array {
    const o = this.o;
    applyKernel(this.Kt, 0, x, this.u);
    if (o.hiddenToMemory) applyKernel(this.Kt, this.inputSize, this.h, this.u, undefined, true);
    if (this.Rt) applyKernel(this.Rt, 0, this.m, this.u, undefined, true);
    if (this.structured) this.updateMemoryEuler();
    else this.updateMemoryDense();
    if (o.hiddenUnits === 0) return this.m;
    if (this.Pt) {
      applyKernel(this.Pt, 0, this.m, this.z);
      if (o.inputToHidden) applyKernel(this.Pt, this.m.length, x, this.z, undefined, true);
      applyKernel(this.Wht!, 0, this.z, this.h, this.hb);
    } else {
      applyKernel(this.Wht!, 0, this.m, this.h, this.hb);
      if (o.inputToHidden) applyKernel(this.Wht!, this.m.length, x, this.h, undefined, true);
    }
    activate(this.h, o.hiddenActivation);
    return this.h;
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
  }
}
