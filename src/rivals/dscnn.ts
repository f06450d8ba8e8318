/**
 * Streaming DS-CNN classifier: the depthwise-separable CNN of Zhang et al. 2017 ("Hello Edge"),
 * made causal over time so that it runs one frame per step, plain TypeScript over Float32Arrays
 * (no tfjs). The tfjs model (tf/model.ts) trains the same layers over whole sequences:
 *
 *     a_0 = relu(conv_0(x))                        full causal convolution over every coefficient
 *     a_i = relu(pw_i(relu(dw_i(a_{i−1}))))        blocks i = 1…B: depthwise causal, then pointwise 1×1
 *     y   = the Dense layers on a_B
 *
 * Each convolution is a CausalConv (causalConv.ts: a ring buffer of its last k inputs), batch
 * normalisation already folded into it (tf/export.ts); a pointwise convolution is one of 1 frame.
 */
import { CausalConv } from './causalConv';
import { StreamingRival } from './streamingRival';
import { DsCnnWeights } from './weights';

export class DsCnnClassifier extends StreamingRival {
  private readonly convs: CausalConv[];

  constructor(w: DsCnnWeights) {
    const convs = w.convs.map((c) => new CausalConv(c));
    super(w, convs.length ? convs[convs.length - 1].out.length : w.inputSize);
    this.convs = convs;
  }

  protected advance(x: Float32Array): Float32Array {
    for (const c of this.convs) x = c.step(x);
    return x;
  }

  protected resetState(): void {
    for (const c of this.convs) c.reset();
  }
}
