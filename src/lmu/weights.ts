/**
 * Runtime weights: what the streaming runtime (runtime.ts) needs from a trained model, in memory,
 * without tfjs. The tfjs exporter (tf/export.ts) produces them; src/model/runtimeFile.ts stores
 * them as runtime.json.
 */
import { LMU_ACTIVATIONS, ResolvedLmuOptions } from './options';

export const RUNTIME_FORMAT = 'lmu-kws-runtime/1';
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
  format: typeof RUNTIME_FORMAT;
  inputSize: number;
  lmu: RuntimeLmu;
  dense: RuntimeDense[];
}
