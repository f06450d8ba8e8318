/**
 * tfjs side of the rivals' runtime weights: pulls a model built by buildRivalModel (model.ts) into
 * RivalWeights (../weights.ts) for the streaming forms. The network is every layer before the
 * LMU's head (KWS_LAYER_NAMES: dropout, head, posteriors); the head goes through the LMU
 * exporter's runtimeDense, so both read Dense layers one way.
 *
 * Batch normalisation is folded into the convolution before it: at inference it is the
 * per-channel affine map y = γ·(x − μ)/√(σ² + ε) + β, so with s = γ/√(σ² + ε) a convolution
 * W, b becomes W·s (each output channel's weights scaled) and (b − μ)·s + β.
 */
import * as tf from '@tensorflow/tfjs';
import { ModelError } from '../../errors';
import { INFERENCE_NO_OPS, matrix, runtimeDense } from '../../lmu/tf/export';
import { KWS_LAYER_NAMES } from '../../lmu/tf/model';
import { RUNTIME_FORMAT, RuntimeDense } from '../../lmu/weights';
import { RecurrentWeights, RivalWeights, RuntimeCell, RuntimeConv } from '../weights';

const HEAD_LAYERS = new Set<string>([KWS_LAYER_NAMES.dropout, KWS_LAYER_NAMES.head, KWS_LAYER_NAMES.output]);

/** Reads an Input → (GRU | LSTM | DS-CNN layers) → Dense… model; any other layer is a ModelError. */
export function exportRivalWeights(model: tf.LayersModel): RivalWeights {
  const bad = (what: string) => new ModelError(`model ${model.name}: ${what}`);
  let recurrent: { architecture: RecurrentWeights['architecture']; cell: RuntimeCell } | undefined;
  const convs: RuntimeConv[] = [];
  const dense: RuntimeDense[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (INFERENCE_NO_OPS.has(cls)) continue;
    const last = convs[convs.length - 1];
    if (HEAD_LAYERS.has(layer.name)) dense.push(runtimeDense(model, layer));
    else if (dense.length) throw bad(`layer '${layer.name}' after the head`);
    else if (cls === 'GRU' || cls === 'LSTM') {
      if (recurrent || convs.length) throw bad('the recurrent layer must be the only network layer');
      recurrent = { architecture: cls === 'GRU' ? 'gru' : 'lstm', cell: recurrentCell(layer, bad) };
    } else if (cls === 'CausalConv1D') {
      const [kernel, bias] = layer.getWeights();
      convs.push({ depthwise: layer.getConfig().depthwise === true, activation: 'linear', kernel: matrix(kernel)!, bias: matrix(bias)! });
    } else if (cls === 'Dense' && convs.length) {
      // a pointwise convolution: one frame, every channel
      const { activation, kernel, bias } = runtimeDense(model, layer);
      if (activation !== 'linear') throw bad(`pointwise Dense '${layer.name}' must be linear (its ReLU is a layer of its own)`);
      convs.push({ depthwise: false, activation, kernel: { shape: [1, ...kernel.shape], data: kernel.data }, bias });
    } else if (cls === 'BatchNormalization' && last) foldBatchNorm(last, layer, bad);
    else if (cls === 'ReLU' && last && last.activation === 'linear' && layer.getConfig().maxValue == null) last.activation = 'relu';
    else throw bad(`layer '${layer.name}' (${cls}) has no runtime equivalent here`);
  }
  const inputShape = model.inputs[0].shape;
  const base = { format: RUNTIME_FORMAT as typeof RUNTIME_FORMAT, inputSize: inputShape[inputShape.length - 1] as number, dense };
  if (recurrent) return { ...base, ...recurrent };
  if (convs.length) return { ...base, architecture: 'dscnn', convs };
  throw bad('no GRU, LSTM or causal convolution');
}

function recurrentCell(layer: tf.layers.Layer, bad: (what: string) => ModelError): RuntimeCell {
  const cfg = layer.getConfig();
  // the streaming cells (../gru.ts, ../lstm.ts) implement exactly these
  if (cfg.activation !== 'tanh' || cfg.recurrentActivation !== 'sigmoid' || cfg.useBias === false) {
    throw bad(`${layer.name} must have tanh activation, sigmoid gates and a bias (has ${cfg.activation}, ${cfg.recurrentActivation})`);
  }
  const [kernel, recurrentKernel, bias] = layer.getWeights().map((t) => matrix(t)!);
  return { units: cfg.units as number, kernel, recurrentKernel, bias };
}

function foldBatchNorm(conv: RuntimeConv, layer: tf.layers.Layer, bad: (what: string) => ModelError): void {
  const cfg = layer.getConfig();
  if (cfg.center === false || cfg.scale === false || ![-1, 2].includes(cfg.axis as number)) {
    throw bad(`${layer.name}: only batch normalisation over channels with centre and scale folds into a convolution`);
  }
  const [gamma, beta, mean, variance] = layer.getWeights().map((t) => t.dataSync());
  const epsilon = cfg.epsilon as number;
  const channels = conv.bias.data.length;
  const kernel = conv.kernel.data;
  const bias = conv.bias.data;
  for (let c = 0; c < channels; c++) {
    const s = gamma[c] / Math.sqrt(variance[c] + epsilon);
    for (let i = c; i < kernel.length; i += channels) kernel[i] *= s; // output channel is the last axis
    bias[c] = (bias[c] - mean[c]) * s + beta[c];
  }
}
