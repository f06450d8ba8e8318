import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../src/errors';
import { inputMemory } from '../src/lmu/inputMemory';
import { lmuMatrices } from '../src/lmu/matrices';
import { buildKwsModel, buildKwsTrainingModel, KwsModelOptions, lmuLayerName } from '../src/lmu/tf/model';
import { LMU } from '../src/lmu/tf/layer';
import { LmuReadout } from '../src/lmu/tf/readout';
import { initTf } from '../src/lmu/tf/backend';

/** A full model and a training model on precomputed memory, sharing one set of weights. */
function pair(o: KwsModelOptions) {
  const training = buildKwsTrainingModel(o);
  const full = buildKwsModel(o);
  full.setWeights(training.getWeights());
  return { training, full };
}

function posteriors(o: KwsModelOptions, batch: number, T: number) {
  const { training, full } = pair(o);
  const x = tf.randomNormal([batch, T, o.inputDim]);
  const xs = x.dataSync() as Float32Array;
  const F = o.inputDim;
  const M = new Float32Array(batch * T * F * o.lmu.order);
  const mats = lmuMatrices(o.lmu.order, o.lmu.theta);
  for (let b = 0; b < batch; b++) {
    inputMemory(mats, xs.subarray(b * T * F, (b + 1) * T * F), T, F, M.subarray(b * T * F * o.lmu.order, (b + 1) * T * F * o.lmu.order));
  }
  const viaMemory = (training.predict([tf.tensor3d(M, [batch, T, F * o.lmu.order]), x]) as tf.Tensor).dataSync();
  const direct = (full.predict(x) as tf.Tensor).dataSync();
  return { viaMemory, direct };
}

describe('lmu/readout: training on precomputed memory', function () {
  this.timeout(30000);
  before(async () => {
    await initTf('cpu', { quiet: true });
  });

  for (const [name, o] of [
    [
      'hidden cell, x to hidden, head',
      { inputDim: 6, numClasses: 5, lmu: { order: 8, theta: 20, memoryD: 3, hiddenUnits: 10, inputToHidden: true }, headUnits: 7 },
    ],
    [
      'relu hidden, no head',
      { inputDim: 4, numClasses: 3, lmu: { order: 16, theta: 40, memoryD: 2, hiddenUnits: 9, hiddenActivation: 'relu' }, headUnits: 0 },
    ],
    ['no hidden cell', { inputDim: 3, numClasses: 4, lmu: { order: 5, theta: 12, memoryD: 2 }, headUnits: 0 }],
    [
      'low-rank hidden kernel, x to hidden, head',
      {
        inputDim: 6,
        numClasses: 5,
        lmu: { order: 8, theta: 20, memoryD: 3, hiddenUnits: 10, hiddenRank: 4, inputToHidden: true },
        headUnits: 7,
      },
    ],
    // stacks: the readout is layer 1, LMU layers 2… run over its whole output sequence
    [
      '2 layers, hidden cell, x to hidden, head',
      {
        inputDim: 6,
        numClasses: 5,
        lmu: { order: 8, theta: 20, memoryD: 3, hiddenUnits: 10, inputToHidden: true },
        headUnits: 7,
        layers: 2,
      },
    ],
    [
      '3 layers, relu hidden, no head',
      {
        inputDim: 4,
        numClasses: 3,
        lmu: { order: 6, theta: 15, memoryD: 2, hiddenUnits: 5, hiddenActivation: 'relu' },
        headUnits: 0,
        layers: 3,
      },
    ],
    ['2 layers, no hidden cell', { inputDim: 3, numClasses: 4, lmu: { order: 5, theta: 12, memoryD: 2 }, headUnits: 3, layers: 2 }],
  ] as [string, KwsModelOptions][]) {
    it(`gives the full model's posteriors within 1e-5 (${name})`, () => {
      const { viaMemory, direct } = posteriors(o, 3, 30);
      expect(viaMemory.length).to.equal(direct.length);
      let worst = 0;
      for (let i = 0; i < direct.length; i++) worst = Math.max(worst, Math.abs(viaMemory[i] - direct[i]));
      expect(worst).to.be.below(1e-5);
    });
  }

  it('inputMemory is the memory recursion M[t] = Ā·M[t−1] + B̄·x[t] of each feature', () => {
    const mats = lmuMatrices(3, 5);
    const x = Float32Array.from([1, -2, 0.5, 3, 0, 0]); // 3 frames × 2 features
    const M = inputMemory(mats, x, 3, 2);
    const ref = [new Float64Array(3), new Float64Array(3)];
    for (let t = 0; t < 3; t++) {
      for (let f = 0; f < 2; f++) {
        const prev = ref[f].slice();
        for (let i = 0; i < 3; i++) {
          let s = mats.B[i] * x[t * 2 + f];
          for (let j = 0; j < 3; j++) s += mats.A[i * 3 + j] * prev[j];
          ref[f][i] = s;
          expect(M[t * 6 + f * 3 + i]).to.be.closeTo(s, 1e-6);
        }
      }
    }
  });

  it("has the LMU layers' weights in the same order, names and shapes (1 to 3 layers) and refuses memory feedback", () => {
    for (const layers of [1, 2, 3]) {
      const o: KwsModelOptions = {
        inputDim: 4,
        numClasses: 3,
        lmu: { order: 8, theta: 20, memoryD: 2, hiddenUnits: 6 },
        headUnits: 5,
        layers,
      };
      const { training, full } = pair(o);
      const described = (m: tf.LayersModel) => m.weights.map((w) => `${w.originalName} [${w.shape}]`);
      expect(described(training)).to.deep.equal(described(full));
      expect(training.countParams()).to.equal(full.countParams());
      expect(full.layers.filter((l) => l instanceof LMU).map((l) => l.name)).to.deep.equal(
        Array.from({ length: layers }, (_, k) => lmuLayerName(k + 1)),
      );
    }
    expect(() => new LmuReadout({ order: 4, theta: 8, hiddenUnits: 2, hiddenToMemory: true })).to.throw(
      ConfigError,
      /feedback|hiddenToMemory/,
    );
  });
});
