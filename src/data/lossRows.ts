/**
 * What one training step of the readout (src/lmu/tf/readout.ts) needs from a batch: with the LMU
 * memory precomputed per input (src/lmu/inputMemory.ts) every frame is independent of the
 * others, so only the frames that carry loss (w > 0) are kept, as one sequence of rows —
 * the others would be computed and multiplied by zero. Above a readout that is the first layer
 * of a stack the frames are not independent (the LMU layers over it run along the sequence), so
 * such a model gets every frame, each with its input memory (withInputMemory).
 */
import { inputMemory } from '../lmu/inputMemory';
import { LmuMatrices } from '../lmu/matrices';
import { Batch } from './clips';

/** How a model trained on precomputed input memory takes its batches (trainer.ts, batchWorker.ts). */
export interface MemoryInputs {
  matrices: LmuMatrices;
  /** True when the readout is the whole LMU (one layer): the loss rows alone will do. */
  lossRowsOnly: boolean;
}

/** `batch` as such a model takes it: its loss rows, or every frame with its input memory. */
export function withInputMemory(batch: Batch, { matrices, lossRowsOnly }: MemoryInputs): Batch {
  return lossRowsOnly ? lossRows(batch, matrices) : { ...batch, memory: batchMemory(batch, matrices, 0, batch.size) };
}

/** The rows of `batch` with w > 0 as a batch of one sequence, with their input memory. */
export function lossRows(batch: Batch, matrices: LmuMatrices): Batch {
  const T = batch.frames;
  const F = batch.x.length / (batch.size * T);
  const C = batch.y.length / (batch.size * T);
  const order = matrices.B.length;
  let R = 0;
  for (let i = 0; i < batch.w.length; i++) if (batch.w[i] > 0) R++;
  const memory = new Float32Array(R * F * order);
  const x = new Float32Array(R * F);
  const y = new Float32Array(R * C);
  const w = new Float32Array(R);
  const sequence = new Float32Array(T * F * order);
  let r = 0;
  for (let b = 0; b < batch.size; b++) {
    const first = r;
    for (let t = 0; t < T; t++) {
      const i = b * T + t;
      if (!(batch.w[i] > 0)) continue;
      if (r === first) inputMemory(matrices, batch.x.subarray(b * T * F, (b + 1) * T * F), T, F, sequence);
      memory.set(sequence.subarray(t * F * order, (t + 1) * F * order), r * F * order);
      x.set(batch.x.subarray(i * F, (i + 1) * F), r * F);
      y.set(batch.y.subarray(i * C, (i + 1) * C), r * C);
      w[r++] = batch.w[i];
    }
  }
  return { size: 1, frames: R, x, y, w, labels: new Int32Array(0), memory };
}

/** Input memory of every frame of clips [from, from + n) of a batch ([n·T, F·order]). */
export function batchMemory(batch: Batch, matrices: LmuMatrices, from: number, n: number): Float32Array {
  const T = batch.frames;
  const F = batch.x.length / (batch.size * T);
  const step = T * F * matrices.B.length;
  const out = new Float32Array(n * step);
  for (let b = 0; b < n; b++) {
    inputMemory(matrices, batch.x.subarray((from + b) * T * F, (from + b + 1) * T * F), T, F, out.subarray(b * step, (b + 1) * step));
  }
  return out;
}
