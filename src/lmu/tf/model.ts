/**
 * The keyword-spotting classifier (tfjs side):
 *
 *     Input [T, inputDim] → Dense(frontUnits, relu)? → LMU(returnSequences) × layers → Dropout?
 *                         → Dense(headUnits, relu)? → Dense(numClasses, softmax)
 *
 * Stacked LMU layers (layers > 1) share the options; each one's input is the per-step output of
 * the one below (hidden state, or memory without a hidden cell), and each keeps its own memory.
 *
 * The front layer (frontUnits > 0) maps each frame on its own to nonlinear features, so the memory
 * holds the recent past of learned features rather than of linear mixes of the MFCCs; without
 * it the memory is linear in the input and every nonlinearity comes after it.
 *
 * headUnits 0 leaves the ReLU layer out: the LMU's hidden state feeds the softmax directly (the
 * cheapest per-frame cost, for small devices).
 *
 * applied per time step, so class posteriors exist at every frame — exactly what the
 * streaming runtime (../runtime.ts) reproduces one frame at a time. T is left open (null), so the
 * same model trains on fixed-length clips and evaluates sequences of any length.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../errors';
import { LMU, LmuMode } from './layer';
import { LmuOptions } from '../options';
import { LmuReadout } from './readout';

export interface KwsModelOptions {
  /** Features per frame (e.g. 13 or 20 MFCCs). */
  inputDim: number;
  /** Output classes (keywords + filler classes). */
  numClasses: number;
  /** LMU options; returnSequences is forced to true. */
  lmu: Omit<LmuOptions, 'returnSequences'>;
  /** Units of the ReLU layer between LMU and softmax; 0 = no such layer. */
  headUnits: number;
  /** Dropout rate on the (last) LMU layer's output during training (0 = none). */
  dropout?: number;
  /** LMU execution mode; 'auto' trains in parallel mode whenever the options allow. */
  mode?: LmuMode;
  /** LMU layers stacked, all with the options `lmu` (default 1). */
  layers?: number;
  /** Units of the per-frame ReLU layer between the features and the LMU; 0 = none (default). */
  frontUnits?: number;
}

/** Layer names, fixed so the exporter and training code can find them. */
export const KWS_LAYER_NAMES = { front: 'front', lmu: 'lmu', dropout: 'lmu_dropout', head: 'head', output: 'posteriors' } as const;

/** The name of LMU layer k of the stack (from 1): 'lmu', then 'lmu_2', 'lmu_3', … */
export function lmuLayerName(k: number): string {
  return k === 1 ? KWS_LAYER_NAMES.lmu : `${KWS_LAYER_NAMES.lmu}_${k}`;
}

/** Builds (uncompiled) the per-frame classifier described above. */
export function buildKwsModel(o: KwsModelOptions): tf.LayersModel {
  checkModelOptions(o);
  const input = tf.input({ shape: [null, o.inputDim], name: 'features' });
  const front = o.frontUnits
    ? (tf.layers.dense({ units: o.frontUnits, activation: 'relu', name: KWS_LAYER_NAMES.front }).apply(input) as tf.SymbolicTensor)
    : input;
  const h = lmuLayer(o, 1).apply(front) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: classifierAfterLmu(stackAbove(h, o), o), name: 'kws_lmu' });
}

/**
 * The same classifier for training on precomputed memory (inputMemory.ts): inputs
 * [memory [b, T, inputDim·order], features [b, T, inputDim]], the first LMU layer replaced by its
 * readout (the layers above it stay LMU layers, over the readout's whole output sequence).
 * Its weights are buildKwsModel's, in the same order: `full.setWeights(training.getWeights())`.
 * Not for a front layer: the memory of learned features depends on the weights.
 */
export function buildKwsTrainingModel(o: KwsModelOptions): tf.LayersModel {
  checkModelOptions(o);
  if (o.frontUnits) throw new ConfigError('a front layer makes the memory depend on the weights: it cannot be precomputed');
  const memory = tf.input({ shape: [null, o.inputDim * o.lmu.order], name: 'memory' });
  const input = tf.input({ shape: [null, o.inputDim], name: 'features' });
  const h = new LmuReadout({ ...o.lmu, name: lmuLayerName(1) }).apply([memory, input]) as tf.SymbolicTensor;
  return tf.model({ inputs: [memory, input], outputs: classifierAfterLmu(stackAbove(h, o), o), name: 'kws_lmu_readout' });
}

/** LMU layer k of the stack. */
function lmuLayer(o: KwsModelOptions, k: number): LMU {
  return new LMU({ ...o.lmu, returnSequences: true, mode: o.mode, name: lmuLayerName(k) });
}

/** Layers 2…layers of the stack on the output h of the first. */
function stackAbove(h: tf.SymbolicTensor, o: KwsModelOptions): tf.SymbolicTensor {
  for (let k = 2; k <= (o.layers ?? 1); k++) h = lmuLayer(o, k).apply(h) as tf.SymbolicTensor;
  return h;
}

/** The options besides the LMU's, which the rivals' models (src/rivals/tf/model.ts) share. */
export type ClassifierOptions = Omit<KwsModelOptions, 'lmu' | 'mode' | 'layers' | 'frontUnits'>;

export function checkModelOptions(o: ClassifierOptions & Pick<KwsModelOptions, 'layers' | 'frontUnits'>): void {
  for (const [key, v] of Object.entries({ inputDim: o.inputDim, numClasses: o.numClasses, layers: o.layers ?? 1 })) {
    if (!Number.isInteger(v) || v < 1) throw new ConfigError(`${key} must be an integer ≥ 1 (got ${v})`);
  }
  for (const [key, v] of Object.entries({ headUnits: o.headUnits, frontUnits: o.frontUnits ?? 0 })) {
    if (!Number.isInteger(v) || v < 0) throw new ConfigError(`${key} must be an integer ≥ 0 (got ${v})`);
  }
  const dropout = o.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw new ConfigError(`dropout must be in [0, 1) (got ${dropout})`);
}

/** Dropout? → Dense(headUnits, relu)? → Dense(numClasses, softmax) on the LMU's output. */
export function classifierAfterLmu(h: tf.SymbolicTensor, o: ClassifierOptions): tf.SymbolicTensor {
  let x = h;
  if ((o.dropout ?? 0) > 0) x = tf.layers.dropout({ rate: o.dropout!, name: KWS_LAYER_NAMES.dropout }).apply(x) as tf.SymbolicTensor;
  if (o.headUnits > 0)
    x = tf.layers.dense({ units: o.headUnits, activation: 'relu', name: KWS_LAYER_NAMES.head }).apply(x) as tf.SymbolicTensor;
  return tf.layers.dense({ units: o.numClasses, activation: 'softmax', name: KWS_LAYER_NAMES.output }).apply(x) as tf.SymbolicTensor;
}
