/**
 * A model's size and per-frame cost as kws.json records them: parameters and weight bytes, and
 * — from the runtime weights, over every LMU layer of a stack (src/lmu/cost.ts) — the
 * multiply-accumulates of one frame and the floats of state carried from frame to frame.
 */
import { macsPerFrame, stateFloats } from '../lmu/cost';
import { RuntimeWeights } from '../lmu/weights';

export interface ModelCost {
  /** Multiply-accumulates of one frame (src/lmu/cost.ts). */
  macsPerFrame: number;
  /** Floats of state carried from one frame to the next. */
  stateFloats: number;
}

export interface ModelSize extends ModelCost {
  /** Trainable parameter count and float32 weight bytes. */
  params: number;
  bytes: number;
}

/** The per-frame cost of the streaming runtime on these weights. */
export function costOf(w: RuntimeWeights): ModelCost {
  return { macsPerFrame: macsPerFrame(w), stateFloats: stateFloats(w) };
}

/** The size fields of `c` (a kws.json config) alone, for a report. */
export function sizeOf({ params, bytes, macsPerFrame, stateFloats }: ModelSize): ModelSize {
  return { params, bytes, macsPerFrame, stateFloats };
}

/** "15628 parameters, 62512 bytes; per frame 17696 multiply-accumulates; 128 floats of state" */
export function describeSize(s: ModelSize): string {
  return `${s.params} parameters, ${s.bytes} bytes; per frame ${s.macsPerFrame} multiply-accumulates; ${s.stateFloats} floats of state`;
}
