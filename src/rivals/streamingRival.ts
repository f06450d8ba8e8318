/**
 * What the rivals' streaming forms share: one frame in, posteriors out, through the network's
 * step and then the Dense layers (denseStack.ts). The shape is the LMU's StreamingClassifier
 * (../lmu/runtime.ts), which is what the pipeline (src/pipeline/spotter.ts's FrameClassifier),
 * evaluation and the benchmarks run.
 */
import { ConfigError } from '../errors';
import { rivalStateFloats } from './cost';
import { DenseStack } from '../lmu/denseStack';
import { RivalWeights } from './weights';

/** A streaming classifier of any architecture (../lmu/runtime.ts's StreamingClassifier is one). */
export interface StreamingModel {
  readonly inputSize: number;
  readonly outputSize: number;
  /** Bytes of state carried from one step to the next. */
  readonly stateBytes: number;
  /** Posteriors for this frame, in a buffer the model reuses on the next step. */
  step(frame: Float32Array): Float32Array;
  /** Forgets all history, as at the start of a stream. */
  reset(): void;
}

export abstract class StreamingRival implements StreamingModel {
  readonly inputSize: number;
  readonly outputSize: number;
  /** Bytes of state carried from one step to the next (cost.ts rivalStateFloats, float32). */
  readonly stateBytes: number;
  private readonly head: DenseStack;
  private readonly x: Float32Array; // the frame with non-finite values replaced by 0

  /** `networkWidth`: the values the network gives the Dense layers per frame. */
  constructor(w: RivalWeights, networkWidth: number) {
    this.inputSize = w.inputSize;
    this.x = new Float32Array(w.inputSize);
    this.head = new DenseStack(w.dense, networkWidth);
    this.outputSize = this.head.outputSize;
    this.stateBytes = 4 * rivalStateFloats(w);
  }

  /**
   * Advances one frame; the returned array is owned by the model and overwritten by the next
   * step() or reset(). NaN/±Infinity count as 0, as in the LMU runtime, so one bad frame cannot
   * poison the state.
   */
  step(features: Float32Array): Float32Array {
    if (features.length !== this.inputSize) {
      throw new ConfigError(`frame has ${features.length} values, the model expects ${this.inputSize}`);
    }
    for (let i = 0; i < this.x.length; i++) this.x[i] = Number.isFinite(features[i]) ? features[i] : 0;
    return this.head.run(this.advance(this.x));
  }

  reset(): void {
    this.resetState();
    this.head.reset();
  }

  /** The network's output for the newest frame (finite values), its state advanced. */
  protected abstract advance(x: Float32Array): Float32Array;
  protected abstract resetState(): void;
}
