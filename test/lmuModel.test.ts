import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../src/errors';
import { LMU } from '../src/lmu/tf/layer';
import { buildKwsModel, KWS_LAYER_NAMES } from '../src/lmu/tf/model';
import { initTf } from '../src/lmu/tf/backend';

describe('lmu/model buildKwsModel', function () {
  this.timeout(30000);
  before(async () => {
    await initTf('cpu', { quiet: true });
  });

  it('gives per-frame posteriors [batch, T, classes] for any T, in parallel mode', () => {
    const model = buildKwsModel({
      inputDim: 13,
      numClasses: 12,
      lmu: { order: 32, theta: 100, memoryD: 4, hiddenUnits: 64 },
      headUnits: 64,
      dropout: 0.1,
    });
    expect(model.getLayer(KWS_LAYER_NAMES.lmu)).to.be.instanceOf(LMU);
    expect((model.getLayer(KWS_LAYER_NAMES.lmu) as LMU).parallel).to.equal(true);
    for (const T of [7, 100]) {
      const y = model.predict(tf.randomNormal([2, T, 13])) as tf.Tensor;
      expect(y.shape).to.deep.equal([2, T, 12]);
      const sums = y.sum(-1).dataSync();
      for (const s of sums) expect(s).to.be.closeTo(1, 1e-5);
    }
  });

  it('parameter count = LMU encoders + hidden + head + output', () => {
    const [inputDim, order, memoryD, hidden, head, classes] = [20, 64, 4, 128, 64, 12];
    const model = buildKwsModel({
      inputDim,
      numClasses: classes,
      lmu: { order, theta: 100, memoryD, hiddenUnits: hidden },
      headUnits: head,
    });
    const expected = inputDim * memoryD + (memoryD * order * hidden + hidden) + (hidden * head + head) + (head * classes + classes);
    expect(model.countParams()).to.equal(expected);
    expect(expected).to.equal(42012);
  });

  it('stacks LMU layers: layer k + 1 reads the hidden state of layer k; each adds its encoder and hidden cell', () => {
    const [inputDim, order, memoryD, hidden, classes] = [20, 16, 2, 24, 12];
    const lmu = { order, theta: 50, memoryD, hiddenUnits: hidden, inputToHidden: true };
    const model = buildKwsModel({ inputDim, numClasses: classes, lmu, headUnits: 0, layers: 3 });
    const lmus = model.layers.filter((l) => l instanceof LMU) as LMU[];
    expect(lmus.map((l) => l.name)).to.deep.equal(['lmu', 'lmu_2', 'lmu_3']);
    expect(lmus.every((l) => l.parallel)).to.equal(true);
    const layer = (n: number) => n * memoryD + (memoryD * order + n) * hidden + hidden; // K, W_m and W_x, b
    expect(model.countParams()).to.equal(layer(inputDim) + 2 * layer(hidden) + hidden * classes + classes);
    expect((model.predict(tf.randomNormal([2, 9, inputDim])) as tf.Tensor).shape).to.deep.equal([2, 9, classes]);
  });

  it('rejects bad options with ConfigError', () => {
    const lmu = { order: 8, theta: 10 };
    expect(() => buildKwsModel({ inputDim: 0, numClasses: 2, lmu, headUnits: 4 })).to.throw(ConfigError, /inputDim/);
    expect(() => buildKwsModel({ inputDim: 3, numClasses: 2, lmu, headUnits: -1 })).to.throw(ConfigError, /headUnits/);
    expect(() => buildKwsModel({ inputDim: 3, numClasses: 2, lmu, headUnits: 4, layers: 0 })).to.throw(ConfigError, /layers must be/);
    expect(buildKwsModel({ inputDim: 3, numClasses: 2, lmu, headUnits: 0 }).layers.map((l) => l.name)).to.not.include('head');
    expect(() => buildKwsModel({ inputDim: 3, numClasses: 2, lmu, headUnits: 4, dropout: 1 })).to.throw(ConfigError, /dropout/);
    expect(() => buildKwsModel({ inputDim: 3, numClasses: 2, lmu: { order: 8, theta: 0 }, headUnits: 4 })).to.throw(ConfigError, /theta/);
  });
});
