/**
 * Streaming LMU classifier: one frame in, class posteriors out, plain TypeScript over
 * Float32Arrays (no tfjs), on float32 or int8 weights (affine.ts). Per frame, with x the features:
 *
 *     f⁰ = x,  fʲ = actⱼ(fʲ⁻¹·Fⱼ + cⱼ)      front Dense layers, if any (each frame on its own)
 *     h⁰ = fᴹ
 *     hᵏ = cellₖ(hᵏ⁻¹)                k = 1 … N: the stack of LMU layers (cell.ts), each with its own state
 *     y⁰ = hᴺ,  yʲ = actⱼ(yʲ⁻¹·Wⱼ + bⱼ)   Dense layers, the last usually softmax
 *
 * Everything is preallocated in the constructor; step() allocates nothing and returns the SAME
 * output buffer every call (copy it if you keep posteriors across steps).
 */
import { ConfigError } from '../errors';
import { LmuCell } from './cell';
import { stateFloats } from './cost';
import { DenseStack } from './denseStack';
import { lmuLayers, RuntimeWeights } from './weights';

export interface StreamingClassifierOptions {
  /** Use the O(order) structured update for euler layers (default true; ignored for zoh). */
  structuredEuler?: boolean;
}

export class StreamingClassifier {
  readonly inputSize: number;
  readonly outputSize: number;
  /** Bytes of state carried from one step to the next (cost.ts stateFloats, float32). */
  readonly stateBytes: number;
  private readonly cells: LmuCell[];
  private readonly x: Float32Array; // the frame with non-finite values replaced by 0
  private readonly front: DenseStack;
  private readonly dense: DenseStack;
  private readonly output: Float32Array;

  constructor(w: RuntimeWeights, options: StreamingClassifierOptions = {}) {
    this.inputSize = w.inputSize;
    this.front = new DenseStack(w.front ?? [], w.inputSize);
    let width = this.front.outputSize;
    this.cells = lmuLayers(w).map((o) => {
      const cell = new LmuCell(o, width, options.structuredEuler ?? true);
      width = cell.outputSize;
      return cell;
    });
    this.x = new Float32Array(w.inputSize);
    this.dense = new DenseStack(w.dense, width);
    this.outputSize = this.dense.outputSize;
    // without Dense layers the last cell's output is copied out: a memory output alternates between buffers
    this.output = this.dense.output ?? new Float32Array(width);
    this.stateBytes = 4 * stateFloats(w);
  }

  /**
   * Advances one frame and returns the model output (posteriors) for it. The returned array
   * is owned by the classifier and overwritten by the next step() or reset().
   * NaN/±Infinity feature values count as 0, so one bad frame cannot poison the memory forever.
   */
  step(features: Float32Array): Float32Array {
    if (features.length !== this.inputSize) {
      throw new ConfigError(`frame has ${features.length} values, the model expects ${this.inputSize}`);
    }
    const frame = this.x;
    for (let i = 0; i < frame.length; i++) frame[i] = Number.isFinite(features[i]) ? features[i] : 0;
    let x = this.front.run(frame);
    for (const cell of this.cells) x = cell.step(x);
    x = this.dense.run(x);
    if (x !== this.output) this.output.set(x);
    return this.output;
  }

  /** Forgets all history (every layer's memory and hidden state to zero). */
  reset(): void {
    for (const cell of this.cells) cell.reset();
    this.output.fill(0);
    this.front.reset();
    this.dense.reset();
  }
}
