import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ModelError } from '../src/errors';
import { exportRuntimeWeights } from '../src/lmu/tf/export';
import { saveRuntimeWeights } from '../src/model/runtimeFile';
import { buildKwsModel, buildKwsTrainingModel, KwsModelOptions } from '../src/lmu/tf/model';
import { StreamingClassifier } from '../src/lmu/runtime';
import { encodeRuntimeWeights, loadRuntimeWeights } from '../src/model/runtimeFile';
import { initTf } from '../src/lmu/tf/backend';
import { LMU } from '../src/lmu/tf/layer';
import { lmuLayerName } from '../src/lmu/tf/model';
import { RUNTIME_FORMAT, RUNTIME_FRONT_FORMAT, RUNTIME_STACK_FORMAT } from '../src/lmu/weights';
import { macsPerFrame, paramCount, stateFloats } from '../src/lmu/cost';
import { allocatedBy } from './support/gc';

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
    [
      'low-rank hidden kernel, inputToHidden, relu',
      {
        lmu: { order: 8, theta: 20, memoryD: 3, hiddenUnits: 12, hiddenRank: 5, inputToHidden: true, hiddenActivation: 'relu' },
        headUnits: 6,
      },
    ],
    [
      'low-rank hidden kernel, recurrent',
      { lmu: { order: 6, theta: 25, memoryD: 2, hiddenUnits: 9, hiddenRank: 3, hiddenToMemory: true, memoryToMemory: true }, headUnits: 0 },
    ],
  ];

  /** The tfjs model's posteriors against the runtime's, frame by frame, after a round trip through runtime.json. */
  function expectSameAsTfjs(name: string, opts: Omit<KwsModelOptions, 'inputDim' | 'numClasses'>): void {
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
  }

  for (const [name, opts] of variants) {
    it(`per-step outputs equal the tfjs model within 1e-4 (${name}), via runtime.json`, () => expectSameAsTfjs(name, opts));
  }

  describe('a front layer before the LMU', () => {
    const front: Array<[string, Omit<KwsModelOptions, 'inputDim' | 'numClasses'>]> = [
      [
        'one layer, low-rank, inputToHidden (the front output feeds the hidden cell)',
        {
          lmu: { order: 8, theta: 20, memoryD: 3, hiddenUnits: 12, hiddenRank: 5, inputToHidden: true, hiddenActivation: 'relu' },
          headUnits: 6,
        },
      ],
      ['one layer, no hidden cell, wider than the features', { lmu: { order: 6, theta: 15, memoryD: 2 }, headUnits: 4 }],
      ['two stacked layers', { lmu: { order: 6, theta: 15, memoryD: 2, hiddenUnits: 8, inputToHidden: true }, headUnits: 4, layers: 2 }],
    ];
    for (const [name, opts] of front) {
      it(`front 7 ReLU, ${name}: per-step outputs equal the tfjs model within 1e-4, via runtime.json`, () =>
        expectSameAsTfjs(`front ${name}`, { ...opts, frontUnits: 7 }));
    }

    it('runtime.json stores it as front, in format /3 (with or without a stack), and the runtime counts its cost', () => {
      const lmu = { order: 4, theta: 10, memoryD: 2, hiddenUnits: 3, inputToHidden: true };
      const saved = (layers: number) => {
        const model = buildKwsModel({ inputDim: 5, numClasses: 2, lmu, headUnits: 0, layers, frontUnits: 6 });
        expect(model.getLayer('front').getConfig().activation).to.equal('relu');
        const w = exportRuntimeWeights(model);
        const j = JSON.parse(fs.readFileSync(saveRuntimeWeights(tmp, w, `front${layers}.json`), 'utf8'));
        expect([j.format, j.front.length, j.lmuStack?.length], `${layers} layer(s)`).to.deep.equal([
          RUNTIME_FRONT_FORMAT,
          1,
          layers > 1 ? layers - 1 : undefined,
        ]);
        return w;
      };
      saved(2);
      const w = saved(1);
      expect(w.front![0].kernel.shape).to.deep.equal([5, 6]);
      expect(w.lmu.kernel.shape).to.deep.equal([6, 2]);
      // front 5·6 + 6, K 6·2, W (2·4 + 6)·3 + 3, softmax 3·2 + 2
      expect(paramCount(w)).to.equal(36 + 12 + 45 + 8);
      expect(macsPerFrame(w)).to.equal(30 + 12 + 42 + 6 + 2 * 4 * 5);
    });

    it('step() allocates nothing with a front layer', () => {
      const model = buildKwsModel({ inputDim: 5, numClasses: 4, ...front[0][1], frontUnits: 7 });
      randomize(model, 13);
      const c = new StreamingClassifier(exportRuntimeWeights(model));
      const frames = Array.from({ length: 64 }, (_, t) => Float32Array.from({ length: 5 }, (_, k) => Math.cos(0.2 * t * (k + 1))));
      expect(allocatedBy((i) => c.step(frames[i & 63]))).to.be.below(16 * 1024);
    });

    it('the training model on precomputed memory refuses a front layer (its memory depends on the weights)', () => {
      const lmu = { order: 4, theta: 10, memoryD: 2, hiddenUnits: 3 };
      expect(() => buildKwsTrainingModel({ inputDim: 5, numClasses: 2, lmu, headUnits: 0, frontUnits: 4 })).to.throw(
        ConfigError,
        /front layer .* cannot be precomputed/,
      );
      expect(() => buildKwsModel({ inputDim: 5, numClasses: 2, lmu, headUnits: 0, frontUnits: -1 })).to.throw(
        ConfigError,
        /frontUnits must be an integer ≥ 0/,
      );
    });
  });

  describe('stacked LMU layers', () => {
    const shapes: Array<[string, Omit<KwsModelOptions, 'inputDim' | 'numClasses' | 'layers'>]> = [
      ['hidden cell, head', { lmu: { order: 8, theta: 20, memoryD: 2, hiddenUnits: 6, inputToHidden: true }, headUnits: 5 }],
      ['hidden cell, no head', { lmu: { order: 8, theta: 20, memoryD: 3, hiddenUnits: 9, hiddenActivation: 'relu' }, headUnits: 0 }],
      ['no hidden cell, head', { lmu: { order: 6, theta: 15, memoryD: 2 }, headUnits: 4, dropout: 0.2 }],
      ['no hidden cell, no head', { lmu: { order: 6, theta: 15, memoryD: 1 }, headUnits: 0 }],
      [
        'low-rank hidden kernel',
        { lmu: { order: 6, theta: 15, memoryD: 2, hiddenUnits: 8, hiddenRank: 3, inputToHidden: true }, headUnits: 4 },
      ],
      [
        'hiddenToMemory + memoryToMemory (recurrent)',
        { lmu: { order: 6, theta: 25, memoryD: 2, hiddenUnits: 5, hiddenToMemory: true, memoryToMemory: true }, headUnits: 4 },
      ],
    ];
    for (const layers of [1, 2, 3]) {
      for (const [name, opts] of shapes) {
        it(`${layers} layer(s), ${name}: per-step outputs equal the tfjs model within 1e-4, via runtime.json`, () =>
          expectSameAsTfjs(`stack ${layers} ${name}`, { ...opts, layers }));
      }
    }

    it('runtime.json names each layer: lmu, then lmuStack in order, in format /2 (one layer stays /1)', () => {
      const lmu = { order: 4, theta: 10, memoryD: 1, hiddenUnits: 3 };
      const formatOf = (layers: number) => {
        const model = buildKwsModel({ inputDim: 2, numClasses: 2, lmu, headUnits: 0, layers });
        expect(model.layers.filter((l) => l instanceof LMU).map((l) => l.name)).to.deep.equal(
          Array.from({ length: layers }, (_, k) => lmuLayerName(k + 1)),
        );
        const j = JSON.parse(fs.readFileSync(saveRuntimeWeights(tmp, exportRuntimeWeights(model), `format${layers}.json`), 'utf8'));
        return [j.format, j.lmuStack?.length];
      };
      expect(formatOf(1)).to.deep.equal([RUNTIME_FORMAT, undefined]);
      expect(formatOf(3)).to.deep.equal([RUNTIME_STACK_FORMAT, 2]);
      expect(lmuLayerName(2)).to.equal('lmu_2');
    });

    it('the exporter refuses an LMU layer above a Dense layer that follows an LMU (the runtime runs the LMU layers together)', () => {
      const input = tf.input({ shape: [null, 3] });
      const lmu = () => new LMU({ order: 4, theta: 8, returnSequences: true });
      const below = tf.layers.dense({ units: 4, name: 'between' }).apply(lmu().apply(input)) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: lmu().apply(below) as tf.SymbolicTensor, name: 'interleaved' });
      expect(() => exportRuntimeWeights(model)).to.throw(ModelError, /interleaved: LMU layer '.*' after a Dense layer/);
    });

    it('step() allocates nothing, for one layer and for stacks', () => {
      for (const [layers, [, opts]] of [1, 2, 3].flatMap((n) => shapes.map((s) => [n, s] as const))) {
        const model = buildKwsModel({ inputDim: 5, numClasses: 4, ...opts, layers });
        randomize(model, 11);
        const c = new StreamingClassifier(exportRuntimeWeights(model));
        const frames = Array.from({ length: 64 }, (_, t) => Float32Array.from({ length: 5 }, (_, k) => Math.sin(0.3 * t * (k + 1))));
        const young = allocatedBy((i) => c.step(frames[i & 63]));
        // one Float32Array (or even one boxed number) per step would be ≥ 80 KB
        expect(young, `${layers} layer(s), ${opts.lmu.hiddenUnits ?? 0} hidden`).to.be.below(16 * 1024);
      }
    });

    it('the cost functions count every layer: parameters, MACs per frame, state floats (= stateBytes / 4)', () => {
      const [F, order, memoryD, hidden, head, classes] = [5, 8, 2, 6, 5, 4];
      const lmu = { order, theta: 20, memoryD, hiddenUnits: hidden, inputToHidden: true };
      const mem = memoryD * order;
      for (const layers of [1, 2, 3]) {
        const model = buildKwsModel({ inputDim: F, numClasses: classes, lmu, headUnits: head, layers });
        const w = exportRuntimeWeights(model);
        // layer 1 reads F features, the others the hidden units of the one below
        const inputs = [F, ...new Array(layers - 1).fill(hidden)];
        const lmuWeights = inputs.map((n) => n * memoryD + (mem + n) * hidden);
        const denseWeights = hidden * head + head * classes;
        expect(paramCount(w)).to.equal(model.countParams());
        expect(paramCount(w)).to.equal(lmuWeights.reduce((a, b) => a + b, 0) + layers * hidden + denseWeights + head + classes);
        expect(macsPerFrame(w)).to.equal(lmuWeights.reduce((a, b) => a + b, 0) + layers * mem * (order + 1) + denseWeights);
        expect(stateFloats(w)).to.equal(layers * mem);
        expect(new StreamingClassifier(w).stateBytes).to.equal(4 * stateFloats(w));
      }
      const euler = exportRuntimeWeights(
        buildKwsModel({
          inputDim: F,
          numClasses: 2,
          lmu: { order, theta: 100, discretizer: 'euler', hiddenToMemory: true, hiddenUnits: 3 },
          headUnits: 0,
          layers: 2,
        }),
      );
      // structured euler update: 3 multiplies per memory value; h is carried where it feeds the memory
      expect(macsPerFrame(euler) - macsPerFrame(euler, { structuredEuler: false })).to.equal(2 * order * (3 - (order + 1)));
      expect(stateFloats(euler)).to.equal(2 * (order + 3));
    });

    it('a low-rank hidden kernel costs (rows + hiddenUnits)·rank instead of rows·hiddenUnits, in parameters and MACs', () => {
      const [F, order, memoryD, hidden, rank] = [5, 8, 2, 12, 3];
      const lmu = { order, theta: 20, memoryD, hiddenUnits: hidden, inputToHidden: true };
      const rows = memoryD * order + F;
      const full = exportRuntimeWeights(buildKwsModel({ inputDim: F, numClasses: 4, lmu, headUnits: 0 }));
      const model = buildKwsModel({ inputDim: F, numClasses: 4, lmu: { ...lmu, hiddenRank: rank }, headUnits: 0 });
      const low = exportRuntimeWeights(model);
      expect(paramCount(low)).to.equal(model.countParams());
      expect(paramCount(full) - paramCount(low)).to.equal(rows * hidden - (rows + hidden) * rank);
      expect(macsPerFrame(full) - macsPerFrame(low)).to.equal(rows * hidden - (rows + hidden) * rank);
    });

    it('runtime.json of a low-rank layer is refused in one line without its projection, or read as full rank', () => {
      const lmu = { order: 4, theta: 10, memoryD: 2, hiddenUnits: 6, hiddenRank: 2 };
      const j = encodeRuntimeWeights(exportRuntimeWeights(buildKwsModel({ inputDim: 3, numClasses: 2, lmu, headUnits: 0 }))) as {
        lmu: Record<string, unknown>;
      };
      const refusal = (edit: (l: Record<string, unknown>) => void) => {
        const copy = JSON.parse(JSON.stringify(j));
        edit(copy.lmu);
        const file = path.join(tmp, 'lowrank.json');
        fs.writeFileSync(file, JSON.stringify(copy));
        return () => loadRuntimeWeights(file);
      };
      expect(j.lmu.hiddenRank).to.equal(2);
      expect(refusal((l) => delete l.hiddenProjection)).to.throw(/lowrank\.json.*lmu\.hiddenProjection is not a \{shape, data\} weight/);
      // a reader that ignores the rank expects a full kernel and finds the factor W
      expect(refusal((l) => delete l.hiddenRank)).to.throw(/lowrank\.json.*lmu\.hiddenKernel has shape \[2,6\], expected \[8,6\]/);
    });
  });

  it('step returns the same buffer each time, reset() restarts the sequence (every layer of a stack), stateBytes counts the carried state', () => {
    for (const layers of [1, 3]) {
      for (const headUnits of [4, 0]) {
        const lmu = { order: 8, theta: 10, memoryD: 2, hiddenUnits: headUnits ? 4 : 0 };
        const model = buildKwsModel({ inputDim: 3, numClasses: 2, lmu, headUnits, layers });
        randomize(model, 3);
        const c = new StreamingClassifier(exportRuntimeWeights(model));
        const frames = Array.from({ length: 12 }, (_, t) => [Math.sin(t), Math.cos(t), t / 12]);
        const first = runStreaming(c, frames);
        const buf = c.step(new Float32Array(3));
        expect(c.step(new Float32Array(3))).to.equal(buf);
        c.reset();
        expect(runStreaming(c, frames)).to.deep.equal(first);
        expect(c.stateBytes).to.equal(4 * layers * 2 * 8);
        expect(() => c.step(new Float32Array(4))).to.throw(ConfigError, /4 values.*expects 3/);
      }
    }
    const fb = buildKwsModel({
      inputDim: 3,
      numClasses: 2,
      lmu: { order: 8, theta: 10, memoryD: 2, hiddenUnits: 4, hiddenToMemory: true },
      headUnits: 4,
    });
    expect(new StreamingClassifier(exportRuntimeWeights(fb)).stateBytes).to.equal(4 * (16 + 4));
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
    const good = (layers = 1) => {
      const lmu = { order: 4, theta: 10, memoryD: 1, hiddenUnits: 2 };
      const model = buildKwsModel({ inputDim: 3, numClasses: 2, lmu, headUnits: 3, layers });
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
      expect(() => loadRuntimeWeights(f)).to.throw(ModelError, /order\.json: lmu: LMU order must be/);
    });
    it('a stack in format /1, or format /2 without its stack', () => {
      const one = write('one.json', JSON.stringify({ ...good(3), format: RUNTIME_FORMAT }));
      expect(() => loadRuntimeWeights(one)).to.throw(ModelError, /one\.json: lmuStack needs format 'lmu-kws-runtime\/2'/);
      const two = write('two.json', JSON.stringify({ ...good(), format: RUNTIME_STACK_FORMAT }));
      expect(() => loadRuntimeWeights(two)).to.throw(ModelError, /two\.json: format 'lmu-kws-runtime\/2' needs lmuStack/);
    });
    it('front layers outside format /3, format /3 without them, or a front that does not fit the features or the LMU', () => {
      const lmu = { order: 4, theta: 10, memoryD: 1, hiddenUnits: 2 };
      const model = buildKwsModel({ inputDim: 3, numClasses: 2, lmu, headUnits: 3, frontUnits: 4 });
      const fronted = () => JSON.parse(fs.readFileSync(saveRuntimeWeights(tmp, exportRuntimeWeights(model), 'fronted.json'), 'utf8'));
      for (const format of [RUNTIME_FORMAT, RUNTIME_STACK_FORMAT]) {
        const f = write('front-old.json', JSON.stringify({ ...fronted(), format }));
        expect(() => loadRuntimeWeights(f)).to.throw(ModelError, /front-old\.json: front needs format 'lmu-kws-runtime\/3'/);
      }
      const none = write('front-none.json', JSON.stringify({ ...good(), format: RUNTIME_FRONT_FORMAT }));
      expect(() => loadRuntimeWeights(none)).to.throw(ModelError, /front-none\.json: format 'lmu-kws-runtime\/3' needs front/);
      const j = fronted();
      j.front[0].kernel = j.dense[0].kernel; // [2, 3] where the features are 3
      const f = write('front-shape.json', JSON.stringify(j));
      expect(() => loadRuntimeWeights(f)).to.throw(ModelError, /front-shape\.json: front\[0\]\.kernel has shape \[2,3\], expected \[3,3\]/);
      const k = fronted();
      k.lmu.kernel = good().lmu.kernel; // [3, 1] where the front gives 4 values
      const g = write('front-lmu.json', JSON.stringify(k));
      expect(() => loadRuntimeWeights(g)).to.throw(ModelError, /front-lmu\.json: lmu\.kernel has shape \[3,1\], expected \[4,1\]/);
    });
    it('a layer of the stack that does not fit the one below, or has a bad option, is named', () => {
      const j = good(3);
      j.lmuStack[1].kernel = j.lmu.kernel; // [3 features, 1] where the layer below gives 2 hidden values
      const f = write('stack-shape.json', JSON.stringify(j));
      expect(() => loadRuntimeWeights(f)).to.throw(
        ModelError,
        /stack-shape\.json: lmuStack\[1\]\.kernel has shape \[3,1\], expected \[2,1\]/,
      );
      const k = good(3);
      k.lmuStack[0].theta = -1;
      const g = write('stack-theta.json', JSON.stringify(k));
      expect(() => loadRuntimeWeights(g)).to.throw(ModelError, /stack-theta\.json: lmuStack\[0\]: LMU theta/);
      const n = good(2);
      n.lmuStack = [42];
      const h = write('stack-item.json', JSON.stringify(n));
      expect(() => loadRuntimeWeights(h)).to.throw(ModelError, /stack-item\.json: lmuStack\[0\] section is missing/);
    });
  });

  it('the shipped models (default /1, wakewords /3 with its front layer) load unchanged and write back byte for byte', () => {
    for (const [name, format, front] of [
      ['default', RUNTIME_FORMAT, undefined],
      ['wakewords', RUNTIME_FRONT_FORMAT, 1],
    ] as const) {
      const file = path.join(__dirname, '..', 'models', name, 'runtime.json');
      const w = loadRuntimeWeights(file);
      expect([w.format, w.front?.length, w.lmuStack], name).to.deep.equal([format, front, undefined]);
      expect(JSON.stringify(encodeRuntimeWeights(w)), name).to.equal(fs.readFileSync(file, 'utf8'));
    }
  });
});
