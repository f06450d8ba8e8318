/**
 * A model's size and per-frame cost as kws.json records them: parameters and weight bytes, and
 * — from the runtime weights, over every LMU layer of a stack (src/lmu/cost.ts), or a rival's
 * network (src/rivals/cost.ts) — the multiply-accumulates of one frame and the floats of state
 * carried from frame to frame.
 */
import { macsPerFrame, paramCount, stateFloats, weightBytes } from '../lmu/cost';
import { rivalMacsPerFrame, rivalParamCount, rivalStateFloats } from '../rivals/cost';
import { ClassifierWeights } from '../rivals/weights';

export interface ModelCost {
  /** Multiply-accumulates of one frame (src/lmu/cost.ts). */
  macsPerFrame: number;
  /** Floats of state carried from one frame to the next. */
  stateFloats: number;
}

export interface ModelSize extends ModelCost {
  /** Trainable parameter count and weight bytes (float32, or int8 kernels with their scales: bytesOf). */
  params: number;
  bytes: number;
}

/** The per-frame cost of the streaming runtime on these weights (any architecture). */
export function costOf(w: ClassifierWeights): ModelCost {
  if ('architecture' in w) return { macsPerFrame: rivalMacsPerFrame(w), stateFloats: rivalStateFloats(w) };
  return { macsPerFrame: macsPerFrame(w), stateFloats: stateFloats(w) };
}

/** The parameters the streaming runtime holds (for a DS-CNN, without the batch-norm statistics folded into it). */
export function paramsOf(w: ClassifierWeights): number {
  return 'architecture' in w ? rivalParamCount(w) : paramCount(w);
}

/** Bytes of the runtime weights: 4 per parameter, less for an LMU's int8 kernels (src/lmu/cost.ts weightBytes). */
export function bytesOf(w: ClassifierWeights): number {
  return 'architecture' in w ? 4 * rivalParamCount(w) : weightBytes(w);
}

/** The size fields of `c` (a kws.json config) alone, for a report. */
export function sizeOf({ params, bytes, macsPerFrame, stateFloats }: ModelSize): ModelSize {
  return { params, bytes, macsPerFrame, stateFloats };
}

/** "15628 parameters, 62512 bytes; per frame 17696 multiply-accumulates; 128 floats of state" */
export function describeSize(s: ModelSize): string {
  return `${s.params} parameters, ${s.bytes} bytes; per frame ${s.macsPerFrame} multiply-accumulates; ${s.stateFloats} floats of state`;
}
