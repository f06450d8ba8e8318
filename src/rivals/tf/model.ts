/**
 * The rivals as per-frame classifiers (tfjs side): the LMU's model (src/lmu/tf/model.ts) with
 * another network in the LMU's place and the same head after it, so posteriors exist at every
 * frame and T is open:
 *
 *     Input [T, inputDim] → GRU | LSTM | DS-CNN → Dropout? → Dense(headUnits, relu)? → Dense(numClasses, softmax)
 *
 * GRU and LSTM are tfjs's own layers (returnSequences, sigmoid gates: ../gru.ts, ../lstm.ts). The
 * DS-CNN (../dscnn.ts) is CausalConv1D (causalConv.ts) for its time convolutions, tfjs Dense for
 * the pointwise ones, each followed by batch normalisation and ReLU as in Zhang et al. 2017.
 * The exporter (export.ts) pulls the same network into runtime weights.
 */
import * as tf from '@tensorflow/tfjs';
import { classifierAfterLmu, checkModelOptions, ClassifierOptions } from '../../lmu/tf/model';
import { DsCnnOptions, RecurrentOptions, RivalOptions, rivalOptions } from '../options';
import { CausalConv1D } from './causalConv';

/**
 * Batch-norm momentum: 0.9 rather than Keras's 0.99, so that the moving statistics — which
 * validation after every epoch runs on — settle within tens of steps, not hundreds, in the
 * short runs the comparison makes.
 */
const BATCH_NORM_MOMENTUM = 0.9;

/** Builds (uncompiled) the classifier above for `rival`. */
export function buildRivalModel(rival: RivalOptions, o: ClassifierOptions): tf.LayersModel {
  checkModelOptions(o);
  const { architecture, ...sizes } = rival;
  const r = rivalOptions(architecture, sizes)!;
  const input = tf.input({ shape: [null, o.inputDim], name: 'features' });
  const h = r.architecture === 'dscnn' ? dsCnn(input, r) : recurrent(input, r);
  return tf.model({ inputs: input, outputs: classifierAfterLmu(h, o), name: `kws_${r.architecture}` });
}

/**
 * The LSTM starts with its forget-gate bias at 1 (Keras's default; tfjs's is 0, which forgets half
 * the cell state every frame): with tfjs's default it stayed at chance for all 20 epochs of
 * `npm run rivals` (docs/model-trials.md).
 */
function recurrent(x: tf.SymbolicTensor, o: RecurrentOptions): tf.SymbolicTensor {
  const args = { units: o.units, returnSequences: true, recurrentActivation: 'sigmoid' as const, name: o.architecture };
  const layer = o.architecture === 'gru' ? tf.layers.gru(args) : tf.layers.lstm({ ...args, unitForgetBias: true });
  return layer.apply(x) as tf.SymbolicTensor;
}

function dsCnn(x: tf.SymbolicTensor, o: DsCnnOptions): tf.SymbolicTensor {
  const normalizedRelu = (y: tf.SymbolicTensor, name: string) => {
    const normalized = tf.layers.batchNormalization({ momentum: BATCH_NORM_MOMENTUM, name: `${name}_bn` }).apply(y);
    return tf.layers.reLU({ name: `${name}_relu` }).apply(normalized) as tf.SymbolicTensor;
  };
  let y = new CausalConv1D({ kernel: o.firstKernel, filters: o.channels, name: 'conv0' }).apply(x) as tf.SymbolicTensor;
  y = normalizedRelu(y, 'conv0');
  for (let b = 1; b <= o.blocks; b++) {
    y = normalizedRelu(
      new CausalConv1D({ kernel: o.kernel, depthwise: true, name: `depthwise${b}` }).apply(y) as tf.SymbolicTensor,
      `depthwise${b}`,
    );
    y = normalizedRelu(tf.layers.dense({ units: o.channels, name: `pointwise${b}` }).apply(y) as tf.SymbolicTensor, `pointwise${b}`);
  }
  return y;
}
