/**
 * A causal convolution over time as a tfjs layer, [batch, T, in] → [batch, T, out], T open: the
 * convolution of ../causalConv.ts (its equation is stated there) over whole sequences, the input
 * left-padded with k − 1 zero frames so that frame t sees only frames ≤ t.
 *
 * Written out as k shifted slices of the padded input (concatenated and multiplied once for a
 * full convolution, scaled and summed for a depthwise one) because tfjs 4.22 cannot train its own
 * here: Conv1D has no causal padding ("not implemented"), there is no depthwise Conv1D, and the
 * wasm backend has no Conv2DBackpropFilter kernel, so every Conv1D/Conv2D fails its first
 * gradient. Slices, concat, pad and matMul all have gradients on every backend.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../errors';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface CausalConvArgs extends LayerArgs {
  /** Frames the kernel spans (k). */
  kernel: number;
  /** Output channels of a full convolution; a depthwise one keeps its input's. */
  filters?: number;
  depthwise?: boolean;
}

export class CausalConv1D extends tf.layers.Layer {
  static className = 'CausalConv1D';
  readonly kernelFrames: number;
  readonly depthwise: boolean;
  readonly filters?: number;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: CausalConvArgs) {
    super(args);
    this.kernelFrames = args.kernel;
    this.depthwise = args.depthwise ?? false;
    this.filters = args.filters ?? undefined; // a saved depthwise layer's config says null
    if (!Number.isInteger(this.kernelFrames) || this.kernelFrames < 1)
      throw new ConfigError(`causal conv kernel must be an integer ≥ 1 (got ${args.kernel})`);
    if (!this.depthwise && !(Number.isInteger(this.filters) && this.filters! >= 1)) {
      throw new ConfigError(`a full causal conv needs filters ≥ 1 (got ${args.filters})`);
    }
  }

  build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape as tf.Shape;
    const inputs = shape[shape.length - 1];
    if (shape.length !== 3 || inputs == null) throw new ConfigError(`causal conv input must be [batch, time, channels] (got [${shape}])`);
    const k = this.kernelFrames;
    const kernelShape = this.depthwise ? [k, inputs] : [k, inputs, this.filters!];
    this.kernel = this.addWeight('kernel', kernelShape, 'float32', tf.initializers.glorotUniform({}), undefined, true);
    this.bias = this.addWeight('bias', [this.outputChannels(inputs)], 'float32', tf.initializers.zeros(), undefined, true);
    this.built = true;
  }

  private outputChannels(inputs: number): number {
    return this.depthwise ? inputs : this.filters!;
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = inputShape as tf.Shape;
    return [shape[0], shape[1], this.outputChannels(shape[2] as number)];
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [batch, T, n] = x.shape;
      const k = this.kernelFrames;
      const padded = tf.pad(x, [
        [0, 0],
        [k - 1, 0],
        [0, 0],
      ]);
      // tap j sees x[t − (k−1−j)]: the padded input from frame j on
      const taps = Array.from({ length: k }, (_, j) => padded.slice([0, j, 0], [batch, T, n]));
      const W = this.kernel!.read();
      const b = this.bias!.read();
      if (this.depthwise) {
        const scaled = taps.map((tap, j) => tap.mul(W.slice([j, 0], [1, n]).reshape([n])));
        return tf.addN(scaled).add(b);
      }
      const window = (k === 1 ? taps[0] : tf.concat(taps, 2)).reshape([batch * T, k * n]);
      return tf
        .matMul(window, W.reshape([k * n, this.filters!]))
        .add(b)
        .reshape([batch, T, this.filters!]);
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return { kernel: this.kernelFrames, filters: this.filters ?? null, depthwise: this.depthwise, ...super.getConfig() };
  }
}
tf.serialization.registerClass(CausalConv1D);
