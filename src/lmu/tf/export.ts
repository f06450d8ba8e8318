/**
 * tfjs side of the runtime format: pulls the weights of a model built by buildKwsModel (or any
 * Input → Dense… → LMU… → [Dropout] → Dense… model, the LMU layers a stack, the Dense layers
 * before them the front) into RuntimeWeights for the streaming runtime.
 * Format: see ../weights.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { ModelError } from '../../errors';
import { LMU } from './layer';
import { DENSE_ACTIVATIONS, DenseActivation, RuntimeDense, RuntimeLmu, RuntimeWeights, runtimeFormatFor, WeightMatrix } from '../weights';

export function matrix(t: tf.Tensor | undefined): WeightMatrix | undefined {
  return t ? { shape: t.shape.slice(), data: Float32Array.from(t.dataSync()) } : undefined;
}

/** Layers the runtime skips: they do nothing at inference. */
export const INFERENCE_NO_OPS = new Set(['InputLayer', 'Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout']);

/** A Dense layer as the runtime runs it (float32, as trained); a ModelError for what it cannot run. */
export function runtimeDense(model: tf.LayersModel, layer: tf.layers.Layer): RuntimeDense & { kernel: WeightMatrix } {
  const cfg = layer.getConfig();
  const activation = cfg.activation as DenseActivation;
  if (!(DENSE_ACTIVATIONS as readonly string[]).includes(activation)) {
    throw new ModelError(`model ${model.name}: Dense '${layer.name}' activation '${activation}' is not supported by the runtime`);
  }
  if (cfg.useBias === false) throw new ModelError(`model ${model.name}: Dense '${layer.name}' without bias is not supported`);
  const [kernel, bias] = layer.getWeights();
  return { activation, kernel: matrix(kernel)!, bias: matrix(bias)! };
}

/** One LMU layer's options and weights. */
function runtimeLmu(layer: LMU): RuntimeLmu {
  const { returnSequences: _unused, ...options } = layer.options;
  const w = layer.lmuWeights();
  return {
    ...options,
    kernel: matrix(w.kernel)!,
    recurrentKernel: matrix(w.recurrentKernel),
    hiddenProjection: matrix(w.hiddenProjection),
    hiddenKernel: matrix(w.hiddenKernel),
    hiddenBias: matrix(w.hiddenBias),
  };
}

/** Reads an Input → LMU… → Dense… model; any other layer is a ModelError (the runtime could not run it). */
export function exportRuntimeWeights(model: tf.LayersModel): RuntimeWeights {
  const lmus: LMU[] = [];
  const front: RuntimeDense[] = [];
  const dense: RuntimeDense[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (INFERENCE_NO_OPS.has(cls)) continue;
    if (layer instanceof LMU) {
      if (dense.length) throw new ModelError(`model ${model.name}: LMU layer '${layer.name}' after a Dense layer`);
      lmus.push(layer);
    } else if (cls === 'Dense') {
      (lmus.length ? dense : front).push(runtimeDense(model, layer));
    } else {
      throw new ModelError(`model ${model.name}: layer '${layer.name}' (${cls}) has no runtime equivalent`);
    }
  }
  if (!lmus.length) throw new ModelError(`model ${model.name}: no LMU layer`);
  const inputShape = model.inputs[0].shape;
  const [lmu, ...stack] = lmus.map(runtimeLmu);
  return {
    format: runtimeFormatFor(stack.length, front.length),
    inputSize: inputShape[inputShape.length - 1] as number,
    ...(front.length && { front }),
    lmu,
    ...(stack.length && { lmuStack: stack }),
    dense,
  };
}
