/**
 * An exponential moving average of a model's weights over training steps (Polyak averaging), the
 * model that is measured and kept when training averages:
 *
 *     w̄ ← δ_t·w̄ + (1 − δ_t)·w,   δ_t = min(δ, (1 + t) / (10 + t)),   δ = 1 − 1 / (E · stepsPerEpoch)
 *
 * with w the weights after step t and E the horizon in epochs. The ramp (1 + t)/(10 + t) keeps the
 * first steps from being dragged towards the initial weights. Averaging smooths the step-to-step
 * wander of the last epochs, so the kept weights depend less on which epoch (and seed) validation
 * happened to favour.
 */
import type * as tfTypes from '@tensorflow/tfjs';

/** δ for a horizon of `epochs` epochs of `stepsPerEpoch` steps. */
export function averageDecay(epochs: number, stepsPerEpoch: number): number {
  return 1 - 1 / Math.max(1, epochs * stepsPerEpoch);
}

export class WeightAverage {
  private readonly averages: tfTypes.Variable[];
  private steps = 0;

  constructor(
    private readonly tf: typeof tfTypes,
    private readonly model: tfTypes.LayersModel,
    private readonly decay: number,
  ) {
    this.averages = model.getWeights().map((w) => tf.variable(w, false));
  }

  /** Folds the model's current weights into the average (after every optimizer step). */
  update(): void {
    const t = this.steps++;
    const d = Math.min(this.decay, (1 + t) / (10 + t));
    const { tf } = this;
    tf.tidy(() => {
      const weights = this.model.getWeights();
      this.averages.forEach((a, i) => a.assign(tf.add(tf.mul(a, d), tf.mul(weights[i], 1 - d))));
    });
  }

  /** Runs `f` with the averaged weights in the model, then puts the trained ones back. */
  measure<T>(f: () => T): T {
    const trained = this.model.getWeights().map((w) => w.clone());
    this.model.setWeights(this.averages);
    try {
      return f();
    } finally {
      this.model.setWeights(trained);
      trained.forEach((w) => w.dispose());
    }
  }

  dispose(): void {
    this.averages.forEach((a) => a.dispose());
  }
}
