/**
 * What a runtime model (weights.ts) costs, from its weights alone, over every LMU layer of the
 * stack and every Dense layer (the front's and those after the LMU):
 *   - parameters: the weights and biases stored (an int8 kernel's scales are not parameters);
 *   - weight bytes: 4 per float32 value (biases, float kernels), 1 per int8 value plus 4 per
 *     scale (one per output column) for an int8 kernel;
 *   - multiply-accumulates per frame, as the streaming runtime does them: one per weight of each
 *     affine map (K, R, P, W_h, the Dense kernels), plus each layer's memory update (cell.ts) —
 *     order + 1 per memory value with the dense Ā, 3 with the structured euler update;
 *     bias additions and activations are not counted;
 *   - state: the floats carried from one frame to the next (each layer's memory, and its h
 *     where hiddenToMemory feeds it back); the runtime's other buffers are scratch.
 */
import { denseLayers, isInt8, Kernel, kernelsOf, lmuLayers, RuntimeLmu, RuntimeWeights } from './weights';

const size = (m?: Kernel) => (m ? m.data.length : 0);
const affineMaps = (o: RuntimeLmu) => [o.kernel, o.recurrentKernel, o.hiddenProjection, o.hiddenKernel];

/** Trainable parameters: every weight matrix and bias. */
export function paramCount(w: RuntimeWeights): number {
  const lmu = lmuLayers(w).flatMap((o) => [...affineMaps(o), o.hiddenBias]);
  return [...lmu, ...denseLayers(w).flatMap((d) => [d.kernel, d.bias])].reduce((n, m) => n + size(m), 0);
}

/** Bytes of the weights as the runtime holds them: int8 kernels with their scales, float32 everything else. */
export function weightBytes(w: RuntimeWeights): number {
  const kernels = kernelsOf(w);
  const kernelBytes = kernels.reduce((n, m) => n + (isInt8(m) ? m.data.length + 4 * m.scales.length : 4 * m.data.length), 0);
  return kernelBytes + 4 * (paramCount(w) - kernels.reduce((n, m) => n + size(m), 0));
}

/** Multiply-accumulates of one step (one frame); `structuredEuler` as StreamingClassifierOptions (default true). */
export function macsPerFrame(w: RuntimeWeights, { structuredEuler = true }: { structuredEuler?: boolean } = {}): number {
  let macs = denseLayers(w).reduce((n, d) => n + size(d.kernel), 0);
  for (const o of lmuLayers(w)) {
    const perMemoryValue = o.discretizer === 'euler' && structuredEuler ? 3 : o.order + 1;
    macs += affineMaps(o).reduce((n, m) => n + size(m), 0) + o.memoryD * o.order * perMemoryValue;
  }
  return macs;
}

/** Floats of state carried between steps. */
export function stateFloats(w: RuntimeWeights): number {
  return lmuLayers(w).reduce((n, o) => n + o.memoryD * o.order + (o.hiddenToMemory ? o.hiddenUnits : 0), 0);
}
