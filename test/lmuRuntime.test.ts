import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ModelError } from '../src/errors';
import { exportRuntimeWeights } from '../src/lmu/tf/export';
import { saveRuntimeWeights } from '../src/model/runtimeFile';
import { buildKwsModel, KwsModelOptions } from '../src/lmu/tf/model';
import { StreamingClassifier } from '../src/lmu/runtime';
import { loadRuntimeWeights } from '../src/model/runtimeFile';
import { initTf } from '../src/lmu/tf/backend';

function randomize(model: tf.LayersModel, seed: number): void {
  model.setWeights(model.getWeights().map((w, k) => tf.randomUniform(w.shape, -0.6, 0.6, 'float32', seed + k)));
}

/** Runs every frame of x [T, inputDim] through the runtime; returns [T][outputSize]. */
function runStreaming(c: StreamingClassifier, x: number[][]): number[][] {
  return x.map((frame) => Array.from(c.step(Float32Array.from(frame))));
}

describe('lmu/runtime', function () {
  this.timeout(30000);
  let tmp: string;
  before(async () => {
    await initTf('cpu', { quiet: true });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lmu-runtime-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const variants: Array<[string, Omit<KwsModelOptions, 'inputDim' | 'numClasses'>]> = [
    ['zoh, hidden cell, dropout', { lmu: { order: 16, theta: 30, memoryD: 3, hiddenUnits: 10 }, headUnits: 8, dropout: 0.3 }],
    ['no hidden cell', { lmu: { order: 12, theta: 20, memoryD: 2, hiddenUnits: 0 }, headUnits: 6 }],
    [
      'inputToHidden, relu',
      { lmu: { order: 8, theta: 15, memoryD: 2, hiddenUnits: 7, inputToHidden: true, hiddenActivation: 'relu' }, headUnits: 5 },
    ],
    [
      'hiddenToMemory + memoryToMemory (recurrent)',
      { lmu: { order: 10, theta: 25, memoryD: 2, hiddenUnits: 6, hiddenToMemory: true, memoryToMemory: true }, headUnits: 5 },
    ],
    [
      'euler, sigmoid',
      { lmu: { order: 12, theta: 60, memoryD: 2, hiddenUnits: 6, discretizer: 'euler', hiddenActivation: 'sigmoid' }, headUnits: 5 },
    ],
    // widths past the runtime's blocks: 9 channels = 4 + 4 + 1, 19 hidden = 8 + 8 + 3, head 16 = 8 + 8
    [
      'no head: hidden state → softmax, relu cell',
      { lmu: { order: 16, theta: 40, memoryD: 8, hiddenUnits: 12, inputToHidden: true, hiddenActivation: 'relu' }, headUnits: 0 },
    ],
    ['wide (full and partial blocks)', { lmu: { order: 6, theta: 12, memoryD: 9, hiddenUnits: 19, inputToHidden: true }, headUnits: 16 }],
  ];

  for (const [name, opts] of variants) {
    it(`per-step outputs equal the tfjs model within 1e-4 (${name}), via runtime.json`, () => {
      const T = 40;
      const inputDim = 5;
      const model = buildKwsModel({ inputDim, numClasses: 4, ...opts });
      randomize(model, 17);
      const x = tf.randomNormal([1, T, inputDim], 0, 1, 'float32', 23);
      const expected = (model.predict(x) as tf.Tensor).arraySync() as number[][][];
      const file = saveRuntimeWeights(tmp, exportRuntimeWeights(model), `${name.replace(/\W+/g, '_')}.json`);
      const c = new StreamingClassifier(loadRuntimeWeights(file));
      expect(c.inputSize).to.equal(inputDim);
      expect(c.outputSize).to.equal(4);
      const got = runStreaming(c, (x.arraySync() as number[][][])[0]);
      let maxDiff = 0;
      let spread = 0;
      for (let t = 0; t < T; t++) {
        for (let k = 0; k < 4; k++) {
          maxDiff = Math.max(maxDiff, Math.abs(got[t][k] - expected[0][t][k]));
          spread = Math.max(spread, Math.abs(expected[0][t][k] - expected[0][0][k]));
        }
        expect(got[t].reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-5);
      }
      expect(spread, 'posteriors should change over time').to.be.greaterThan(0.01);
      expect(maxDiff).to.be.lessThan(1e-4);
    });
  }

  it('step returns the same buffer each time, reset() restarts the sequence, stateBytes counts the carried state', () => {
    const model = buildKwsModel({ inputDim: 3, numClasses: 2, lmu: { order: 8, theta: 10, memoryD: 2, hiddenUnits: 4 }, headUnits: 4 });
    randomize(model, 3);
    const c = new StreamingClassifier(exportRuntimeWeights(model));
    const frames = Array.from({ length: 12 }, (_, t) => [Math.sin(t), Math.cos(t), t / 12]);
    const first = runStreaming(c, frames);
    const buf = c.step(new Float32Array(3));
    expect(c.step(new Float32Array(3))).to.equal(buf);
    c.reset();
    expect(runStreaming(c, frames)).to.deep.equal(first);
    expect(c.stateBytes).to.equal(4 * 2 * 8);
    const fb = buildKwsModel({
      inputDim: 3,
      numClasses: 2,
      lmu: { order: 8, theta: 10, memoryD: 2, hiddenUnits: 4, hiddenToMemory: true },
      headUnits: 4,
    });
    expect(new StreamingClassifier(exportRuntimeWeights(fb)).stateBytes).to.equal(4 * (16 + 4));
    expect(() => c.step(new Float32Array(4))).to.throw(ConfigError, /4 values.*expects 3/);
  });

  it('non-finite features count as 0 and do not poison the state', () => {
    const model = buildKwsModel({ inputDim: 3, numClasses: 2, lmu: { order: 8, theta: 10, memoryD: 2, hiddenUnits: 4 }, headUnits: 4 });
    randomize(model, 5);
    const a = new StreamingClassifier(exportRuntimeWeights(model));
    const b = new StreamingClassifier(exportRuntimeWeights(model));
    const bad = a.step(Float32Array.from([NaN, Infinity, 0.5]));
    expect(Array.from(bad)).to.deep.equal(Array.from(b.step(Float32Array.from([0, 0, 0.5]))));
    const later = Array.from(a.step(Float32Array.from([0.1, 0.2, 0.3])));
    expect(later.every(Number.isFinite)).to.equal(true);
    expect(later).to.deep.equal(Array.from(b.step(Float32Array.from([0.1, 0.2, 0.3]))));
  });

  it('structured O(order) euler update equals the dense product within 1e-5', () => {
    const model = buildKwsModel({
      inputDim: 4,
      numClasses: 3,
      lmu: { order: 64, theta: 1000, memoryD: 2, hiddenUnits: 0, discretizer: 'euler' },
      headUnits: 5,
    });
    randomize(model, 9);
    const w = exportRuntimeWeights(model);
    const fast = new StreamingClassifier(w);
    const dense = new StreamingClassifier(w, { structuredEuler: false });
    // compare the memory itself (the layer output before the head) through a head-less copy
    const memOnly = { ...w, dense: [] };
    const fastMem = new StreamingClassifier(memOnly);
    const denseMem = new StreamingClassifier(memOnly, { structuredEuler: false });
    let maxDiff = 0;
    let maxMem = 0;
    for (let t = 0; t < 400; t++) {
      const frame = Float32Array.from({ length: 4 }, (_, k) => Math.sin(0.05 * t * (k + 1)) + 0.3 * Math.cos(1.7 * t));
      const a = fastMem.step(frame);
      const b = denseMem.step(frame);
      for (let i = 0; i < a.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
        maxMem = Math.max(maxMem, Math.abs(b[i]));
      }
      const pa = fast.step(frame);
      const pb = dense.step(frame);
      for (let i = 0; i < pa.length; i++) maxDiff = Math.max(maxDiff, Math.abs(pa[i] - pb[i]));
    }
    expect(maxMem, 'memory must be exercised').to.be.greaterThan(0.1);
    expect(maxDiff).to.be.lessThan(1e-5);
  });

  describe('load errors are ModelError naming the file', () => {
    const write = (name: string, text: string) => {
      const f = path.join(tmp, name);
      fs.writeFileSync(f, text);
      return f;
    };
    const good = () => {
      const model = buildKwsModel({ inputDim: 3, numClasses: 2, lmu: { order: 4, theta: 10, memoryD: 1, hiddenUnits: 2 }, headUnits: 3 });
      return JSON.parse(fs.readFileSync(saveRuntimeWeights(tmp, exportRuntimeWeights(model), 'good.json'), 'utf8'));
    };
    it('missing file', () => {
      const f = path.join(tmp, 'nope.json');
      expect(() => loadRuntimeWeights(f)).to.throw(ModelError, new RegExp(`${f}.*ENOENT`));
    });
    it('not JSON', () => {
      const f = write('bad.json', '{oops');
      expect(() => loadRuntimeWeights(f)).to.throw(ModelError, /bad\.json: not valid JSON/);
    });
    it('wrong format tag', () => {
      const f = write('fmt.json', JSON.stringify({ ...good(), format: 'tfjs' }));
      expect(() => loadRuntimeWeights(f)).to.throw(ModelError, /fmt\.json: not a runtime weights file/);
    });
    it('shape mismatch between layers', () => {
      const j = good();
      j.dense[0].kernel = j.dense[1].kernel;
      const f = write('shape.json', JSON.stringify(j));
      expect(() => loadRuntimeWeights(f)).to.throw(ModelError, /shape\.json: dense\[0\]\.kernel has shape/);
    });
    it('truncated weight data', () => {
      const j = good();
      j.lmu.kernel.data = j.lmu.kernel.data.slice(0, 4);
      const f = write('trunc.json', JSON.stringify(j));
      expect(() => loadRuntimeWeights(f)).to.throw(ModelError, /trunc\.json: lmu\.kernel holds/);
    });
    it('bad LMU option', () => {
      const j = good();
      j.lmu.order = 0;
      const f = write('order.json', JSON.stringify(j));
      expect(() => loadRuntimeWeights(f)).to.throw(ModelError, /order\.json: LMU order must be/);
    });
  });
});
