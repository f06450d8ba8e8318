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
export type RuntimeFormat = typeof RUNTIME_FORMAT | typeof RUNTIME_STACK_FORMAT;
export const DENSE_ACTIVATIONS = [...LMU_ACTIVATIONS, 'softmax'] as const;
export type DenseActivation = (typeof DENSE_ACTIVATIONS)[number];

export interface WeightMatrix {
  shape: number[];
  data: Float32Array;
}

export interface RuntimeLmu extends Omit<ResolvedLmuOptions, 'returnSequences'> {
  kernel: WeightMatrix;
  recurrentKernel?: WeightMatrix;
  hiddenKernel?: WeightMatrix;
  hiddenBias?: WeightMatrix;
}

export interface RuntimeDense {
  activation: DenseActivation;
  kernel: WeightMatrix;
  bias: WeightMatrix;
}

export interface RuntimeWeights {
  format: RuntimeFormat;
  inputSize: number;
  /** The first LMU layer: its input is the features. */
  lmu: RuntimeLmu;
  /** Layers 2…N of a stack, in order, each reading the per-step output of the one below; absent for one layer. */
  lmuStack?: RuntimeLmu[];
  dense: RuntimeDense[];
}

/** The LMU layers from the features up: lmu, then lmuStack. */
export function lmuLayers(w: Pick<RuntimeWeights, 'lmu' | 'lmuStack'>): RuntimeLmu[] {
  return [w.lmu, ...(w.lmuStack ?? [])];
}

/** The format weights with `stack` layers above the first are stored in: /1 for one layer, so that its readers keep reading them. */
export function runtimeFormatFor(stack: number): RuntimeFormat {
  return stack > 0 ? RUNTIME_STACK_FORMAT : RUNTIME_FORMAT;
}
