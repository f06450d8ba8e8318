/**
 * Runtime weights: what the streaming runtime (runtime.ts) needs from a trained model, in memory,
 * without tfjs. The tfjs exporter (tf/export.ts) produces them; src/model/runtimeFile.ts stores
 * them as runtime.json.
 */
import { LMU_ACTIVATIONS, ResolvedLmuOptions } from './options';

/** One LMU layer (`lmu`). */
export const RUNTIME_FORMAT = 'lmu-kws-runtime/1';
/**
 * A stack of LMU layers: `lmu` and, above it, `lmuStack`. A reader of /1 would run `lmu` alone
 * and ignore the rest, so stacks have a format of their own, which such a reader refuses.
 */
export const RUNTIME_STACK_FORMAT = 'lmu-kws-runtime/2';
/**
 * Dense layers before the first LMU layer (`front`), with or without a stack. A reader of /1 or
 * /2 would feed the features to the LMU directly and ignore `front`, so it has a format of its own.
 */
export const RUNTIME_FRONT_FORMAT = 'lmu-kws-runtime/3';
export const RUNTIME_FORMATS = [RUNTIME_FORMAT, RUNTIME_STACK_FORMAT, RUNTIME_FRONT_FORMAT] as const;
export type RuntimeFormat = (typeof RUNTIME_FORMATS)[number];
export const DENSE_ACTIVATIONS = [...LMU_ACTIVATIONS, 'softmax'] as const;
export type DenseActivation = (typeof DENSE_ACTIVATIONS)[number];

export interface WeightMatrix {
  shape: number[];
  data: Float32Array;
}

/**
 * A kernel [rows, cols] quantized to int8 (quantize.ts): w[j][k] ≈ data[j·cols + k] · scales[k],
 * one scale per output column (output channel).
 */
export interface Int8Matrix {
  shape: number[];
  data: Int8Array;
  scales: Float32Array;
}

/** A kernel of an affine map: float32, or int8 in a quantized model. Biases stay float32 either way. */
export type Kernel = WeightMatrix | Int8Matrix;

/** How a model's kernels are stored: every one float32, or every one int8 (quantize.ts). */
export const WEIGHT_DTYPES = ['float32', 'int8'] as const;
export type WeightDtype = (typeof WEIGHT_DTYPES)[number];

export const isInt8 = (m: Kernel): m is Int8Matrix => m.data instanceof Int8Array;

export interface RuntimeLmu extends Omit<ResolvedLmuOptions, 'returnSequences'> {
  kernel: Kernel;
  recurrentKernel?: Kernel;
  /** P, with hiddenRank > 0: the hidden cell's input → its rank. */
  hiddenProjection?: Kernel;
  hiddenKernel?: Kernel;
  hiddenBias?: WeightMatrix;
}

export interface RuntimeDense {
  activation: DenseActivation;
  kernel: Kernel;
  bias: WeightMatrix;
}

export interface RuntimeWeights {
  format: RuntimeFormat;
  inputSize: number;
  /** Dense layers applied to each frame's features before the LMU, in order; absent: none. */
  front?: RuntimeDense[];
  /** The first LMU layer: its input is the features, or the output of the last front layer. */
  lmu: RuntimeLmu;
  /** Layers 2…N of a stack, in order, each reading the per-step output of the one below; absent for one layer. */
  lmuStack?: RuntimeLmu[];
  dense: RuntimeDense[];
}

/** A layer's options without its weights (to build the same shape anew). */
export function lmuOptionsOf(
  o: RuntimeLmu,
): Omit<RuntimeLmu, 'kernel' | 'recurrentKernel' | 'hiddenProjection' | 'hiddenKernel' | 'hiddenBias'> {
  const { kernel: _k, recurrentKernel: _r, hiddenProjection: _p, hiddenKernel: _h, hiddenBias: _b, ...options } = o;
  return options;
}

/** The LMU layers from the features up: lmu, then lmuStack. */
export function lmuLayers(w: Pick<RuntimeWeights, 'lmu' | 'lmuStack'>): RuntimeLmu[] {
  return [w.lmu, ...(w.lmuStack ?? [])];
}

/** The Dense layers before and after the LMU layers. */
export function denseLayers(w: Pick<RuntimeWeights, 'front' | 'dense'>): RuntimeDense[] {
  return [...(w.front ?? []), ...w.dense];
}

/** Every kernel of the front, LMU and Dense layers, in order (the matrices quantize.ts turns to int8). */
export function kernelsOf(w: RuntimeWeights): Kernel[] {
  const lmu = lmuLayers(w).flatMap((o) => [o.kernel, o.recurrentKernel, o.hiddenProjection, o.hiddenKernel]);
  const kernels = [...(w.front ?? []).map((d) => d.kernel), ...lmu, ...w.dense.map((d) => d.kernel)];
  return kernels.filter((m): m is Kernel => m !== undefined);
}

/** int8 when the kernels are quantized (the decoder and quantize.ts never mix the two). */
export function weightDtype(w: RuntimeWeights): WeightDtype {
  return isInt8(w.lmu.kernel) ? 'int8' : 'float32';
}

/**
 * The format weights are stored in: /3 with front layers, /2 with `stack` LMU layers above the
 * first, /1 for one layer alone, so that the readers of each older format keep reading what they can run.
 */
export function runtimeFormatFor(stack: number, front = 0): RuntimeFormat {
  return front > 0 ? RUNTIME_FRONT_FORMAT : stack > 0 ? RUNTIME_STACK_FORMAT : RUNTIME_FORMAT;
}
