import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../src/errors';
import { LMU, LmuLayerArgs, PARALLEL_MAX_KERNEL } from '../src/lmu/tf/layer';
import { lmuMatrices } from '../src/lmu/matrices';
import { initTf } from '../src/lmu/tf/backend';

/** Model Input[T, inputDim] → LMU(args); weights randomised so that zeros cannot hide bugs. */
function lmuModel(args: LmuLayerArgs, T: number, inputDim: number): tf.LayersModel {
  const input = tf.input({ shape: [T, inputDim] });
  const out = new LMU(args).apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  model.setWeights(model.getWeights().map((w) => tf.randomUniform(w.shape, -0.5, 0.5, 'float32', 7)));
  return model;
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).to.deep.equal(b.shape);
  return tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);
}

const OPTION_SETS: Array<Omit<LmuLayerArgs, 'mode'>> = [
  { order: 8, theta: 20, memoryD: 2, hiddenUnits: 5, returnSequences: true },
  { order: 6, theta: 12, memoryD: 1, hiddenUnits: 0, returnSequences: true },
  { order: 16, theta: 40, memoryD: 3, hiddenUnits: 4, inputToHidden: true, hiddenActivation: 'relu', returnSequences: false },
  { order: 12, theta: 60, memoryD: 2, hiddenUnits: 3, discretizer: 'euler', hiddenActivation: 'sigmoid', returnSequences: true },
];

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`lmu/layer on ${backend}`, function () {
    this.timeout(30000);
    before(async () => {
      const r = await initTf(backend, { quiet: true });
      expect(r.backend).to.equal(backend);
    });

    it('parallel mode equals the recurrent step loop (< 1e-4) on random weights and inputs', () => {
      const T = 30;
      const inputDim = 3;
      const x = tf.randomNormal([2, T, inputDim], 0, 1, 'float32', 3);
      for (const opts of OPTION_SETS) {
        const rec = lmuModel({ ...opts, mode: 'recurrent' }, T, inputDim);
        const par = lmuModel({ ...opts, mode: 'auto' }, T, inputDim);
        par.setWeights(rec.getWeights());
        expect((par.layers[1] as LMU).parallel).to.equal(true);
        const a = rec.predict(x) as tf.Tensor;
        const b = par.predict(x) as tf.Tensor;
        expect(
          tf.tidy(() => a.abs().max().dataSync()[0]),
          'non-trivial output',
        ).to.be.greaterThan(0.05);
        expect(maxAbsDiff(a, b), JSON.stringify(opts)).to.be.lessThan(1e-4);
      }
    });

    it('recurrent mode implements m[t] = Ā m[t−1] + B̄ u[t] (one-channel memory, no hidden cell)', () => {
      const order = 4;
      const model = lmuModel({ order, theta: 10, returnSequences: true, mode: 'recurrent' }, 5, 1);
      model.setWeights([tf.tensor2d([[2]])]);
      const u = [1, 0, -1, 0.5, 2];
      const out = (model.predict(tf.tensor3d(u, [1, 5, 1])) as tf.Tensor).arraySync() as number[][][];
      const { A, B } = lmuMatrices(order, 10);
      let m = [0, 0, 0, 0];
      for (let t = 0; t < 5; t++) {
        m = m.map((_, i) => B[i] * 2 * u[t] + m.reduce((s, mj, j) => s + A[i * order + j] * mj, 0));
        for (let i = 0; i < order; i++) expect(out[0][t][i]).to.be.closeTo(m[i], 1e-5);
      }
    });

    it('feedback options (hiddenToMemory, memoryToMemory) run recurrently and matter', () => {
      const x = tf.randomNormal([2, 12, 3], 0, 1, 'float32', 5);
      const base = { order: 6, theta: 10, memoryD: 2, hiddenUnits: 4, returnSequences: true };
      const plain = lmuModel(base, 12, 3);
      for (const extra of [{ hiddenToMemory: true }, { memoryToMemory: true }]) {
        const fb = lmuModel({ ...base, ...extra }, 12, 3);
        expect((fb.layers[1] as LMU).parallel).to.equal(false);
        // same shared weights as the plain model, plus the feedback weights
        const out = fb.predict(x) as tf.Tensor;
        expect(out.shape).to.deep.equal([2, 12, 4]);
        expect(maxAbsDiff(out, plain.predict(x) as tf.Tensor)).to.be.greaterThan(1e-3);
      }
    });

    it('gradients flow: a tiny model learns to recall the input from 5 steps ago (loss falls)', async () => {
      const T = 20;
      const input = tf.input({ shape: [T, 1] });
      const h = new LMU({ order: 8, theta: 10, memoryD: 1, hiddenUnits: 8, returnSequences: true }).apply(input);
      const out = tf.layers.dense({ units: 1 }).apply(h) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: out });
      model.setWeights(model.getWeights().map((w, k) => tf.randomUniform(w.shape, -0.3, 0.3, 'float32', 100 + k)));
      model.compile({ optimizer: tf.train.adam(0.03), loss: 'meanSquaredError' });
      const xs = tf.randomNormal([16, T, 1], 0, 1, 'float32', 11);
      const ys = tf.concat([tf.zeros([16, 5, 1]), xs.slice([0, 0, 0], [16, T - 5, 1])], 1);
      const before = model.getWeights()[0].dataSync().slice();
      const hist = await model.fit(xs, ys, { epochs: 60, batchSize: 16, verbose: 0, shuffle: false });
      const loss = hist.history.loss as number[];
      expect(loss[loss.length - 1], `loss ${loss[0]} → ${loss[loss.length - 1]}`).to.be.lessThan(0.5 * loss[0]);
      // the LMU's own encoder moved, not just the Dense head
      expect(Array.from(model.getWeights()[0].dataSync())).to.not.deep.equal(Array.from(before));
    });
  });
}

describe('lmu/layer serialization and options', function () {
  this.timeout(30000);
  before(async () => {
    await initTf('cpu', { quiet: true });
  });

  it('save/load round trip restores the LMU layer, its config and outputs', async () => {
    const args: LmuLayerArgs = {
      order: 10,
      theta: 25,
      memoryD: 2,
      hiddenUnits: 6,
      inputToHidden: true,
      discretizer: 'euler',
      returnSequences: true,
      name: 'lmu_x',
    };
    const model = lmuModel(args, 9, 4);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    expect(JSON.stringify(artifacts!.modelTopology)).to.contain('"class_name":"LMU"');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const layer = loaded.getLayer('lmu_x') as LMU;
    expect(layer).to.be.instanceOf(LMU);
    expect(layer.options).to.deep.equal((model.getLayer('lmu_x') as LMU).options);
    const x = tf.randomNormal([1, 9, 4], 0, 1, 'float32', 2);
    expect(maxAbsDiff(loaded.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor)).to.equal(0);
  });

  it('long sequences (Toeplitz kernel over PARALLEL_MAX_KERNEL) fall back to the step loop, same causal result', () => {
    const order = 16;
    const T = Math.ceil(Math.sqrt(PARALLEL_MAX_KERNEL / order)) + 1; // just over the limit
    const x = tf.randomNormal([1, T, 2], 0, 1, 'float32', 4);
    const model = lmuModel({ order, theta: 30, memoryD: 1, hiddenUnits: 3, returnSequences: true }, T, 2);
    const bytesBefore = tf.memory().numBytes;
    const long = model.predict(x) as tf.Tensor;
    // no T²·order kernel was built (it would be ≥ 64 MB and stay cached)
    expect(tf.memory().numBytes - bytesBefore).to.be.lessThan(PARALLEL_MAX_KERNEL);
    const head = 50;
    const shortModel = lmuModel({ order, theta: 30, memoryD: 1, hiddenUnits: 3, returnSequences: true }, head, 2);
    shortModel.setWeights(model.getWeights());
    const short = shortModel.predict(x.slice([0, 0, 0], [1, head, 2])) as tf.Tensor;
    expect(maxAbsDiff(long.slice([0, 0, 0], [1, head, 3]), short)).to.be.lessThan(1e-5);
    expect(long.shape).to.deep.equal([1, T, 3]);
  });

  it('A and B are fixed: only encoders and hidden kernels are trainable weights', () => {
    const model = lmuModel({ order: 8, theta: 10, memoryD: 2, hiddenUnits: 3, memoryToMemory: true }, 5, 4);
    const names = model.trainableWeights.map((w) => w.name.split('/').pop());
    expect(names).to.deep.equal(['kernel', 'recurrent_kernel', 'hidden_kernel', 'hidden_bias']);
    expect(model.countParams()).to.equal(4 * 2 + 16 * 2 + 16 * 3 + 3);
  });

  it('a low-rank hidden kernel is two weights, hidden_projection then hidden_kernel, with fewer parameters', () => {
    const model = lmuModel({ order: 8, theta: 10, memoryD: 2, hiddenUnits: 6, hiddenRank: 2, inputToHidden: true }, 5, 4);
    const weights = model.trainableWeights.map((w) => [w.name.split('/').pop(), w.shape.join('×')].join(' '));
    expect(weights).to.deep.equal(['kernel 4×2', 'hidden_projection 20×2', 'hidden_kernel 2×6', 'hidden_bias 6']);
    expect(model.countParams()).to.equal(4 * 2 + 20 * 2 + 2 * 6 + 6);
  });

  it('bad options give ConfigError with a clear message', () => {
    const bad: Array<[Partial<LmuLayerArgs>, RegExp]> = [
      [{ order: 0, theta: 10 }, /order must be an integer/],
      [{ order: 4, theta: -1 }, /theta must be/],
      [{ order: 4, theta: NaN }, /theta/],
      [{ order: 4, theta: 10, memoryD: 0 }, /memoryD must be an integer ≥ 1/],
      [{ order: 4, theta: 10, hiddenUnits: 1.5 }, /hiddenUnits/],
      [{ order: 4, theta: 10, hiddenActivation: 'gelu' as 'tanh', hiddenUnits: 2 }, /hiddenActivation must be one of/],
      [{ order: 4, theta: 10, hiddenToMemory: true }, /hiddenToMemory needs a hidden cell/],
      [{ order: 4, theta: 10, hiddenUnits: 8, hiddenRank: 8 }, /hiddenRank must be below hiddenUnits \(8\), or 0/],
      [{ order: 4, theta: 10, hiddenRank: 2 }, /hiddenRank must be below hiddenUnits \(0\)/],
      [{ order: 4, theta: 10, hiddenUnits: 8, hiddenRank: -1 }, /hiddenRank must be an integer ≥ 0/],
      [{ order: 4, theta: 10, discretizer: 'bilinear' as 'zoh' }, /discretizer/],
      [{ order: 4, theta: 10, hiddenUnits: 2, memoryToMemory: true, mode: 'parallel' }, /parallel mode needs/],
    ];
    for (const [args, msg] of bad) expect(() => new LMU(args as LmuLayerArgs), JSON.stringify(args)).to.throw(ConfigError, msg);
  });
});
