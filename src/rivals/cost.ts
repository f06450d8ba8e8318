/**
 * What a rival's runtime weights (weights.ts) cost, counted as src/lmu/cost.ts counts the LMU's
 * so that the figures compare:
 *   - parameters: the weights and biases stored (batch normalisation folded away);
 *   - multiply-accumulates per frame, as the streaming forms do them: one per weight of each
 *     affine map and convolution tap, the Dense layers included, plus the cell's elementwise
 *     products (GRU: r ⊙ h and the two of the update; LSTM: f ⊙ c, i ⊙ g, o ⊙ tanh c) — 3 per
 *     unit; bias additions and activations are not counted;
 *   - state: the floats carried from one frame to the next (GRU: h; LSTM: h and c; DS-CNN: the
 *     k − 1 frames before the newest at each convolution's input).
 */
import { Kernel } from '../lmu/weights';
import { RivalWeights } from './weights';

const size = (m: Kernel) => m.data.length;
/** Elementwise products per unit and frame of a GRU or LSTM cell (see above). */
const CELL_PRODUCTS = 3;

export function rivalParamCount(w: RivalWeights): number {
  const network =
    w.architecture === 'dscnn' ? w.convs.flatMap((c) => [c.kernel, c.bias]) : [w.cell.kernel, w.cell.recurrentKernel, w.cell.bias];
  return [...network, ...w.dense.flatMap((d) => [d.kernel, d.bias])].reduce((n, m) => n + size(m), 0);
}

export function rivalMacsPerFrame(w: RivalWeights): number {
  const network =
    w.architecture === 'dscnn'
      ? w.convs.reduce((n, c) => n + size(c.kernel), 0)
      : size(w.cell.kernel) + size(w.cell.recurrentKernel) + CELL_PRODUCTS * w.cell.units;
  return network + w.dense.reduce((n, d) => n + size(d.kernel), 0);
}

export function rivalStateFloats(w: RivalWeights): number {
  if (w.architecture === 'dscnn') return w.convs.reduce((n, c) => n + (c.kernel.shape[0] - 1) * c.kernel.shape[1], 0);
  return (w.architecture === 'lstm' ? 2 : 1) * w.cell.units;
}
