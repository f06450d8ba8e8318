/**
 * Runtime weights of the rivals: what their streaming forms (gru.ts, lstm.ts, dscnn.ts) need from
 * a trained model, in memory, without tfjs — beside the LMU's (../lmu/weights.ts). The exporter
 * (tf/export.ts) produces them; src/model/rivalFile.ts stores them in runtime.json.
 */
import { RUNTIME_FORMAT, RuntimeDense, RuntimeWeights, WeightMatrix } from '../lmu/weights';
import { Architecture, RivalArchitecture } from './options';

/** Gates per cell, in tfjs's column order: GRU z, r, h; LSTM i, f, c, o. */
export const GATES = { gru: 3, lstm: 4 } as const;

/** A GRU or LSTM layer in tfjs's layout: kernel [inputSize, g·units], recurrentKernel [units, g·units], bias [g·units]. */
export interface RuntimeCell {
  units: number;
  kernel: WeightMatrix;
  recurrentKernel: WeightMatrix;
  bias: WeightMatrix;
}

/**
 * One causal convolution over time (causalConv.ts), batch normalisation already folded in:
 * full: kernel [taps, in, out] (Keras Conv1D layout); depthwise: kernel [taps, channels]. bias [out].
 */
export interface RuntimeConv {
  depthwise: boolean;
  activation: 'relu' | 'linear';
  kernel: WeightMatrix;
  bias: WeightMatrix;
}

interface RivalBase<A extends RivalArchitecture> {
  format: typeof RUNTIME_FORMAT;
  architecture: A;
  inputSize: number;
  /** The Dense layers after the network, applied in order (the LMU's head, ../lmu/weights.ts). */
  dense: RuntimeDense[];
}

export interface RecurrentWeights extends RivalBase<'gru' | 'lstm'> {
  cell: RuntimeCell;
}

export interface DsCnnWeights extends RivalBase<'dscnn'> {
  convs: RuntimeConv[];
}

export type RivalWeights = RecurrentWeights | DsCnnWeights;

/** Any model's runtime weights: the LMU's (which carry no architecture field, as before rivals existed) or a rival's. */
export type ClassifierWeights = RuntimeWeights | RivalWeights;

export function architectureOf(w: ClassifierWeights): Architecture {
  return 'architecture' in w ? w.architecture : 'lmu';
}
