/**
 * A causal convolution over time, streamed: each step takes the newest frame x[t] and returns
 *
 *     y[t] = act(b + Σ_{j<k} W[j] · x[t − (k−1−j)]),   x before the stream = 0
 *
 * full:      W[j] is [in, out] (kernel [k, in, out], the layout of tf/causalConv.ts);
 * depthwise: W[j] scales each channel alone (kernel [k, channels], out = in).
 * The last k inputs live in a ring buffer stored twice over (2k frames, each frame written at slot
 * s and s + k), so that they always lie in one contiguous window, oldest first, and a full
 * convolution is one affine() pass over it. Windows are views made in the constructor; step()
 * allocates nothing.
 */
import { activate, affine, packKernel } from '../lmu/affine';
import { RuntimeConv } from './weights';

export class CausalConv {
  readonly out: Float32Array;
  private readonly taps: number;
  private readonly inputs: number;
  private readonly ring: Float32Array;
  private readonly windows: Float32Array[]; // windows[s]: the k frames ending at slot s + k
  private readonly packed?: Float32Array; // full: [k·in, out], packed
  private next = 0; // the slot the next frame goes to

  constructor(private readonly conv: RuntimeConv) {
    const shape = conv.kernel.shape;
    this.taps = shape[0];
    this.inputs = shape[1];
    const outputs = conv.depthwise ? this.inputs : shape[2];
    const width = this.taps * this.inputs;
    if (!conv.depthwise) this.packed = packKernel(conv.kernel.data, width, outputs);
    this.out = new Float32Array(outputs);
    this.ring = new Float32Array(2 * width);
    this.windows = Array.from({ length: this.taps }, (_, s) => this.ring.subarray((s + 1) * this.inputs, (s + 1) * this.inputs + width));
  }

  step(x: Float32Array): Float32Array {
    const { taps: k, inputs: n, conv, out } = this;
    const s = this.next;
    this.ring.set(x, s * n);
    this.ring.set(x, (s + k) * n);
    this.next = (s + 1) % k;
    const window = this.windows[s];
    if (this.packed) {
      affine(this.packed, k * n, 0, window, out, conv.bias.data);
    } else {
      const W = conv.kernel.data;
      const b = conv.bias.data;
      for (let c = 0; c < n; c++) {
        let sum = b[c];
        for (let j = 0; j < k; j++) sum += W[j * n + c] * window[j * n + c];
        out[c] = sum;
      }
    }
    activate(out, conv.activation);
    return out;
  }

  reset(): void {
    this.ring.fill(0);
    this.out.fill(0);
    this.next = 0;
  }
}
