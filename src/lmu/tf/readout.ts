/**
 * The trainable part of a feed-forward LMU layer, applied to memory precomputed per input
 * feature (../inputMemory.ts): with M[t] = [M_0[t] … M_{F−1}[t]] and x[t] as its two inputs,
 *
 *     m_d[t] = Σ_f K[f][d] · M_f[t]
 *
 * (the memory of channel d, by linearity; ../inputMemory.ts says why), then the hidden cell of
 * ../cell.ts on m[t] and x[t]: layer.ts's LMU, term for term, with the memory done beforehand. Its
 * weights have the LMU layer's names, shapes and order (kernel, [hidden_projection,] hidden_kernel,
 * hidden_bias), so a model trained with it hands its weights unchanged to the model of buildKwsModel.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../errors';
import { AddWeight, addHiddenVariables, HiddenVariables, hiddenCell } from './layer';
import { LmuOptions, ResolvedLmuOptions, lmuCanRunParallel, lmuOutputSize, resolveLmuOptions } from '../options';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export class LmuReadout extends tf.layers.Layer {
  static className = 'LmuReadout';
  readonly options: ResolvedLmuOptions;
  private kernel?: tf.LayerVariable;
  private hiddenVars?: HiddenVariables;
  private inputDim = 0;

  constructor(args: LmuOptions & LayerArgs) {
    super(args);
    this.options = resolveLmuOptions(args);
    if (!lmuCanRunParallel(this.options)) throw new ConfigError('precomputed LMU memory needs hiddenToMemory and memoryToMemory off');
  }

  build(inputShape: tf.Shape | tf.Shape[]): void {
    const shapes = inputShape as tf.Shape[];
    const inputDim = shapes[1]?.[2];
    if (shapes.length !== 2 || inputDim == null || shapes[0][2] !== inputDim * this.options.order) {
      throw new ConfigError(`LmuReadout takes [memory [b, T, F·order], features [b, T, F]] (got ${JSON.stringify(shapes)})`);
    }
    this.inputDim = inputDim;
    const o = this.options;
    const glorot = () => tf.initializers.glorotUniform({});
    this.kernel = this.addWeight('kernel', [inputDim, o.memoryD], 'float32', glorot(), undefined, true);
    if (o.hiddenUnits > 0) {
      const add: AddWeight = (name, shape, init) => this.addWeight(name, shape, 'float32', init, undefined, true);
      this.hiddenVars = addHiddenVariables(add, o.memoryD * o.order + (o.inputToHidden ? inputDim : 0), o);
    }
    this.built = true;
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (inputShape as tf.Shape[])[1];
    return [shape[0], shape[1], lmuOutputSize(this.options)];
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [memory, x] = inputs as tf.Tensor3D[];
      const [batch, T] = x.shape;
      const o = this.options;
      const F = this.inputDim;
      const rows = batch * T;
      // [rows, F, order] → [rows·order, F]·K → [rows, order, D] → channel-major [rows, D·order]
      const perOrder = memory
        .reshape([rows, F, o.order])
        .transpose([0, 2, 1])
        .reshape([rows * o.order, F]);
      const m = tf
        .matMul(perOrder, this.kernel!.read() as tf.Tensor2D)
        .reshape([rows, o.order, o.memoryD])
        .transpose([0, 2, 1])
        .reshape([rows, o.memoryD * o.order]) as tf.Tensor2D;
      if (o.hiddenUnits === 0) return m.reshape([batch, T, o.memoryD * o.order]);
      const hin = o.inputToHidden ? tf.concat([m, x.reshape([rows, F]) as tf.Tensor2D], 1) : m;
      return hiddenCell(hin, this.hiddenVars!, o.hiddenActivation).reshape([batch, T, o.hiddenUnits]);
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...this.options, ...super.getConfig() };
  }
}
tf.serialization.registerClass(LmuReadout);
