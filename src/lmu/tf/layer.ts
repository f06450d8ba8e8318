/**
 * The LMU as a tfjs layer (training and batch evaluation): the cell of ../cell.ts (its
 * equations are stated there) over whole sequences, batched. Ā, B̄ are fixed constants (not
 * weights; a loaded model recomputes them from its config); K, R, P, W, b are trainable. The hidden
 * cell is feed-forward (like keras-lmu with a Dense hidden cell), which is what makes the
 * parallel mode possible. The output per step is h, or m flattened channel-major (index
 * d·order + i) without a hidden cell.
 *
 * Modes (results agree to float32 rounding):
 * - recurrent: the cell's update, one step at a time.
 * - parallel (automatic without hiddenToMemory/memoryToMemory): m is a causal convolution of u
 *   with H[k] = Ā^k·B̄ (Chilkuri & Eliasmith 2021), done as ONE matmul of u [batch·memoryD, T]
 *   with a precomputed block-Toeplitz kernel W [T, T·order], W[s, t·order + i] = H[t − s][i]
 *   for s ≤ t, else 0. Not an FFT convolution: tfjs 4.22 cannot train one here (the wasm
 *   backend has no Complex kernel, the cpu backend no gradient for Real; bench/lmuTrain.ts).
 *   The kernel grows as T²·order, so beyond PARALLEL_MAX_KERNEL elements the layer falls back
 *   to the recurrent loop for the memory.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../errors';
import { impulseResponse, lmuMatrices } from '../matrices';
import { LmuActivation, LmuOptions, ResolvedLmuOptions, lmuCanRunParallel, lmuOutputSize, resolveLmuOptions } from '../options';

export type LmuMode = 'auto' | 'recurrent' | 'parallel';
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface LmuLayerArgs extends LmuOptions, LayerArgs {
  /** 'auto' (default): parallel when the memory has no feedback, else recurrent. */
  mode?: LmuMode;
}

/** Largest Toeplitz kernel (T²·order float32 elements, 64 MB) the parallel mode builds. */
export const PARALLEL_MAX_KERNEL = 16 * 1024 * 1024;

/** The layer's trainable weights by role, as the runtime exporter reads them. */
export interface LmuWeights {
  kernel: tf.Tensor2D;
  recurrentKernel?: tf.Tensor2D;
  hiddenProjection?: tf.Tensor2D;
  hiddenKernel?: tf.Tensor2D;
  hiddenBias?: tf.Tensor1D;
}

/** The hidden cell's variables (hidden_projection only with hiddenRank > 0). */
export interface HiddenVariables {
  projection?: tf.LayerVariable;
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable;
}

type Initializer = ReturnType<typeof tf.initializers.zeros>;
/** A layer's trainable float32 weight, added in its build() (addWeight is protected). */
export type AddWeight = (name: string, shape: number[], init: Initializer) => tf.LayerVariable;

/** The hidden cell's variables, reading `hidIn` values per step. */
export function addHiddenVariables(add: AddWeight, hidIn: number, o: ResolvedLmuOptions): HiddenVariables {
  const glorot = () => tf.initializers.glorotUniform({});
  const projection = o.hiddenRank > 0 ? add('hidden_projection', [hidIn, o.hiddenRank], glorot()) : undefined;
  const kernel = add('hidden_kernel', [o.hiddenRank || hidIn, o.hiddenUnits], glorot());
  return { projection, kernel, bias: add('hidden_bias', [o.hiddenUnits], tf.initializers.zeros()) };
}

/** h = f(hin·W + b), or f((hin·P)·W + b) with a rank (../cell.ts), on a [rows, ·] batch. */
export function hiddenCell(hin: tf.Tensor2D, v: HiddenVariables, f: LmuActivation): tf.Tensor2D {
  const z = v.projection ? tf.matMul(hin, v.projection.read() as tf.Tensor2D) : hin;
  return activate(tf.matMul(z, v.kernel.read() as tf.Tensor2D).add(v.bias.read()) as tf.Tensor2D, f);
}

export class LMU extends tf.layers.Layer {
  static className = 'LMU';
  readonly options: ResolvedLmuOptions;
  readonly mode: LmuMode;
  private kernel?: tf.LayerVariable;
  private recurrentKernel?: tf.LayerVariable;
  private hiddenVars?: HiddenVariables;
  private inputDim = 0;
  private At?: tf.Tensor2D; // Āᵀ, so that row-vector memory updates as m·Āᵀ
  private Brow?: tf.Tensor2D; // B̄ as [1, order]
  private toeplitz = new Map<string, tf.Tensor2D>();

  constructor(args: LmuLayerArgs) {
    super(args);
    this.options = resolveLmuOptions(args);
    this.mode = args.mode ?? 'auto';
    if (!['auto', 'recurrent', 'parallel'].includes(this.mode)) {
      throw new ConfigError(`LMU mode must be 'auto', 'recurrent' or 'parallel' (got '${this.mode}')`);
    }
    if (this.mode === 'parallel' && !lmuCanRunParallel(this.options)) {
      throw new ConfigError('LMU parallel mode needs hiddenToMemory and memoryToMemory off');
    }
  }

  /** True when call() computes all steps at once. */
  get parallel(): boolean {
    return this.mode !== 'recurrent' && lmuCanRunParallel(this.options);
  }

  build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inputDim = shape[shape.length - 1];
    if (shape.length !== 3 || inputDim == null) {
      throw new ConfigError(`LMU input must be [batch, time, features] with known features (got [${shape}])`);
    }
    this.inputDim = inputDim;
    const o = this.options;
    const memorySize = o.memoryD * o.order;
    const glorot = () => tf.initializers.glorotUniform({});
    const encIn = inputDim + (o.hiddenToMemory ? o.hiddenUnits : 0);
    this.kernel = this.addWeight('kernel', [encIn, o.memoryD], 'float32', glorot(), undefined, true);
    if (o.memoryToMemory) {
      this.recurrentKernel = this.addWeight('recurrent_kernel', [memorySize, o.memoryD], 'float32', glorot(), undefined, true);
    }
    if (o.hiddenUnits > 0) {
      const add: AddWeight = (name, shape, init) => this.addWeight(name, shape, 'float32', init, undefined, true);
      this.hiddenVars = addHiddenVariables(add, memorySize + (o.inputToHidden ? inputDim : 0), o);
    }
    const { A, B } = lmuMatrices(o.order, o.theta, o.discretizer);
    this.At = tf.keep(tf.tidy(() => tf.tensor2d(Float32Array.from(A), [o.order, o.order]).transpose()));
    this.Brow = tf.keep(tf.tensor2d(Float32Array.from(B), [1, o.order]));
    this.built = true;
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const units = lmuOutputSize(this.options);
    return this.options.returnSequences ? [shape[0], shape[1], units] : [shape[0], units];
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [batch, T] = x.shape;
      const useParallel = this.parallel && T * T * this.options.order <= PARALLEL_MAX_KERNEL;
      return useParallel ? this.callParallel(x, batch, T) : this.callRecurrent(x, batch, T);
    });
  }

  /** Step loop: the definition of the cell, valid for every option. */
  private callRecurrent(x: tf.Tensor3D, batch: number, T: number): tf.Tensor {
    const o = this.options;
    const memorySize = o.memoryD * o.order;
    const K = this.kernel!.read() as tf.Tensor2D;
    const Kx = o.hiddenToMemory ? K.slice([0, 0], [this.inputDim, o.memoryD]) : K;
    const Kh = o.hiddenToMemory ? K.slice([this.inputDim, 0], [o.hiddenUnits, o.memoryD]) : undefined;
    const R = this.recurrentKernel?.read() as tf.Tensor2D | undefined;
    let m: tf.Tensor2D = tf.zeros([batch, memorySize]);
    let h: tf.Tensor2D = tf.zeros([batch, Math.max(o.hiddenUnits, 1)]);
    const xs = tf.unstack(x, 1) as tf.Tensor2D[];
    const outputs: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      let u = tf.matMul(xs[t], Kx);
      if (Kh) u = u.add(tf.matMul(h, Kh));
      if (R) u = u.add(tf.matMul(m, R));
      const mPrev = m.reshape([batch * o.memoryD, o.order]);
      const uCol = u.reshape([batch * o.memoryD, 1]);
      m = tf.matMul(mPrev, this.At!).add(tf.mul(uCol, this.Brow!)).reshape([batch, memorySize]);
      if (o.hiddenUnits > 0) h = this.hidden(m, xs[t]);
      if (o.returnSequences || t === T - 1) outputs.push(o.hiddenUnits > 0 ? h : m);
    }
    return o.returnSequences ? tf.stack(outputs, 1) : outputs[0];
  }

  /** All steps at once: m = causal convolution of u with H, as a matmul with a Toeplitz kernel. */
  private callParallel(x: tf.Tensor3D, batch: number, T: number): tf.Tensor {
    const o = this.options;
    const inDim = this.inputDim;
    const u = tf.matMul(x.reshape([batch * T, inDim]), this.kernel!.read() as tf.Tensor2D); // [b·T, d]
    const uRows = u
      .reshape([batch, T, o.memoryD])
      .transpose([0, 2, 1])
      .reshape([batch * o.memoryD, T]);
    const steps = o.returnSequences ? T : 1;
    const W = this.toeplitzKernel(T, o.returnSequences);
    // [b·d, steps·order] → [b, steps, d·order] (channel-major memory layout per step)
    const m = tf
      .matMul(uRows, W)
      .reshape([batch, o.memoryD, steps, o.order])
      .transpose([0, 2, 1, 3])
      .reshape([batch * steps, o.memoryD * o.order]) as tf.Tensor2D;
    const xs = o.returnSequences ? x.reshape([batch * T, inDim]) : x.slice([0, T - 1, 0], [batch, 1, inDim]).reshape([batch, inDim]);
    const out = o.hiddenUnits > 0 ? this.hidden(m, xs as tf.Tensor2D) : m;
    return o.returnSequences ? out.reshape([batch, T, out.shape[1]]) : out;
  }

  /** The hidden cell on m and x, [rows, ·] each. */
  private hidden(m: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor2D {
    const hin = this.options.inputToHidden ? tf.concat([m, x], 1) : m;
    return hiddenCell(hin, this.hiddenVars!, this.options.hiddenActivation);
  }

  /**
   * W [T, T·order] with W[s, t·order + i] = H[t − s][i] (zero for s > t); for the last step
   * only, W [T, order] with W[s, i] = H[T − 1 − s][i]. Cached per T (it is a constant).
   */
  private toeplitzKernel(T: number, allSteps: boolean): tf.Tensor2D {
    const key = `${T}:${allSteps}`;
    const cached = this.toeplitz.get(key);
    if (cached) return cached;
    const o = this.options;
    const H = impulseResponse(lmuMatrices(o.order, o.theta, o.discretizer), T);
    const cols = allSteps ? T * o.order : o.order;
    const W = new Float32Array(T * cols);
    for (let s = 0; s < T; s++) {
      if (allSteps) {
        for (let t = s; t < T; t++) W.set(H.subarray((t - s) * o.order, (t - s + 1) * o.order), s * cols + t * o.order);
      } else {
        W.set(H.subarray((T - 1 - s) * o.order, (T - s) * o.order), s * cols);
      }
    }
    const tensor = tf.keep(tf.tensor2d(W, [T, cols]));
    this.toeplitz.set(key, tensor);
    return tensor;
  }

  /** Trainable weights by role (tensors owned by the layer; do not dispose). */
  lmuWeights(): LmuWeights {
    if (!this.built) throw new ConfigError('LMU layer is not built yet');
    return {
      kernel: this.kernel!.read() as tf.Tensor2D,
      recurrentKernel: this.recurrentKernel?.read() as unknown as tf.Tensor2D | undefined,
      hiddenProjection: this.hiddenVars?.projection?.read() as unknown as tf.Tensor2D | undefined,
      hiddenKernel: this.hiddenVars?.kernel.read() as unknown as tf.Tensor2D | undefined,
      hiddenBias: this.hiddenVars?.bias.read() as unknown as tf.Tensor1D | undefined,
    };
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...this.options, mode: this.mode, ...super.getConfig() };
  }

  dispose(): ReturnType<tf.layers.Layer['dispose']> {
    for (const t of this.toeplitz.values()) t.dispose();
    this.toeplitz.clear();
    this.At?.dispose();
    this.Brow?.dispose();
    return super.dispose();
  }
}
tf.serialization.registerClass(LMU);

/** The hidden cell's f (LMU_ACTIVATIONS). */
export function activate<T extends tf.Tensor>(z: T, f: LmuActivation): T {
  switch (f) {
    case 'tanh':
      return tf.tanh(z);
    case 'relu':
      return tf.relu(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    default:
      return z;
  }
}
