import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../src/lmu/tf/backend';
import { averageDecay, WeightAverage } from '../src/train/weightAverage';

describe('WeightAverage (a moving average of the weights over training steps)', () => {
  before(async () => {
    await initTf('cpu', { quiet: true });
  });

  /** A one-layer model whose kernel [2, 1] and bias [1] are set by hand. */
  const model = () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    m.setWeights([tf.tensor2d([[1], [1]]), tf.tensor1d([0])]);
    return m;
  };
  const values = (ts: tf.Tensor[]) => ts.map((t) => Array.from(t.dataSync()));

  it('δ = 1 − 1/(epochs · steps per epoch)', () => {
    expect(averageDecay(2, 50)).to.be.closeTo(0.99, 1e-12);
    expect(averageDecay(0.001, 10)).to.equal(0); // under one step: no averaging at all
  });

  it('folds each step in as w̄ ← δ_t·w̄ + (1 − δ_t)·w, δ_t ramping up as (1 + t)/(10 + t) to δ', () => {
    const m = model();
    const average = new WeightAverage(tf, m, 0.15);
    const expected = [1, 0];
    for (const [t, w] of [3, 5, 7].entries()) {
      m.setWeights([tf.tensor2d([[w], [w]]), tf.tensor1d([w])]);
      average.update();
      const d = Math.min(0.15, (1 + t) / (10 + t)); // 0.1, then 0.15 twice
      expected[0] = d * expected[0] + (1 - d) * w;
      expected[1] = d * expected[1] + (1 - d) * w;
    }
    const seen = average.measure(() => values(m.getWeights()));
    expect(seen[0][0]).to.be.closeTo(expected[0], 1e-5);
    expect(seen[0][1]).to.be.closeTo(expected[0], 1e-5);
    expect(seen[1][0]).to.be.closeTo(expected[1], 1e-5);
    average.dispose();
  });

  it('measures with the averaged weights, then gives the model its trained weights back, even when the measurement throws', () => {
    const m = model();
    const average = new WeightAverage(tf, m, 0.5);
    m.setWeights([tf.tensor2d([[4], [4]]), tf.tensor1d([2])]);
    const x = tf.tensor2d([[1, 1]]);
    const predict = () => (m.predict(x) as tf.Tensor).dataSync()[0];
    expect(average.measure(predict)).to.equal(2); // the average is still the initial 1, 1, 0
    expect(predict()).to.equal(10);
    expect(() =>
      average.measure(() => {
        throw new Error('measurement failed');
      }),
    ).to.throw('measurement failed');
    expect(values(m.getWeights())).to.deep.equal([[4, 4], [2]]);
    average.dispose();
  });

  it('holds no tensors beyond its averages', () => {
    const m = model();
    const before = tf.memory().numTensors;
    const average = new WeightAverage(tf, m, 0.9);
    for (let i = 0; i < 5; i++) average.update();
    average.measure(() => values(m.getWeights()));
    expect(tf.memory().numTensors - before).to.equal(m.getWeights().length);
    average.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });
});
