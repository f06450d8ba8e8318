/**
 * The rivals' streaming forms (src/rivals) against their tfjs models (src/rivals/tf): the same
 * posteriors frame by frame, through runtime.json; state, reset, bad frames, no allocation per
 * step; default sizes that match the shipped LMU's; and runtime.json's reader, which keeps
 * loading the LMU files written before rivals existed and refuses a bad rival file in one line.
 */
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ModelError } from '../src/errors';
import { StreamingClassifier } from '../src/lmu/runtime';
import { loadRuntimeWeights } from '../src/model/runtimeFile';
import { initTf } from '../src/lmu/tf/backend';
import { buildKwsModel } from '../src/lmu/tf/model';
import { exportRuntimeWeights } from '../src/lmu/tf/export';
import { loadClassifierWeights, saveClassifierWeights } from '../src/model/classifierFile';
import { loadModelConfig } from '../src/model/kwsJson';
import { DEFAULT_MODEL_DIR } from '../src/pipeline/spotter';
import { streamingClassifier } from '../src/rivals/classifier';
import { costOf, paramsOf } from '../src/model/size';
import { allocatedBy } from './support/gc';
import { RIVAL_DEFAULTS, RivalArchitecture, RivalOptions, rivalOptions, rivalParams, rivalSizedLike } from '../src/rivals/options';
import { StreamingModel } from '../src/rivals/streamingRival';
import { buildRivalModel } from '../src/rivals/tf/model';
import { exportRivalWeights } from '../src/rivals/tf/export';
import { ClassifierWeights } from '../src/rivals/weights';

/**
 * Random weights. Batch-norm variances positive, as training leaves them, and its scales and
 * shifts positive so that the ReLUs after it pass something (random signs silence most of them).
 */
const RANGES: Array<[RegExp, number, number]> = [
  [/moving_variance/, 0.3, 2],
  [/gamma/, 0.5, 1.5],
  [/beta/, 0, 0.5],
  [/./, -0.6, 0.6],
];
function randomize(model: tf.LayersModel, seed: number): void {
  model.setWeights(
    model.weights.map((v, k) => {
      const [, lo, hi] = RANGES.find(([name]) => name.test(v.name))!;
      return tf.randomUniform(v.shape as number[], lo, hi, 'float32', seed + k);
    }),
  );
}

function run(c: StreamingModel, sequence: number[][]): number[][] {
  c.reset();
  return sequence.map((frame) => Array.from(c.step(Float32Array.from(frame))));
}

const F = 5;
const CLASSES = 4;

describe('rivals: streaming forms', function () {
  this.timeout(60000);
  let tmp: string;
  before(async () => {
    await initTf('cpu', { quiet: true });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-rivals-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  // widths past the runtime's blocks of 8 (9, 11 units), a DS-CNN without blocks, 1-frame kernels
  const variants: Array<[string, RivalOptions, number, number]> = [
    ['GRU, head', { architecture: 'gru', units: 9 }, 6, 0],
    ['GRU, no head, dropout', { architecture: 'gru', units: 11 }, 0, 0.3],
    ['LSTM, head', { architecture: 'lstm', units: 9 }, 6, 0],
    ['LSTM, no head', { architecture: 'lstm', units: 4 }, 0, 0.2],
    ['DS-CNN, head', { architecture: 'dscnn', channels: 9, blocks: 2, kernel: 4, firstKernel: 3 }, 5, 0.1],
    ['DS-CNN, no block, no head', { architecture: 'dscnn', channels: 6, blocks: 0, kernel: 3, firstKernel: 5 }, 0, 0],
    ['DS-CNN, 1-frame kernels', { architecture: 'dscnn', channels: 5, blocks: 1, kernel: 1, firstKernel: 1 }, 0, 0],
  ];

  for (const [name, rival, headUnits, dropout] of variants) {
    it(`per-frame posteriors equal the tfjs model within 1e-4 over random sequences (${name}), via runtime.json`, () => {
      const model = buildRivalModel(rival, { inputDim: F, numClasses: CLASSES, headUnits, dropout });
      randomize(model, 11);
      const file = saveClassifierWeights(tmp, exportRivalWeights(model), `${name.replace(/\W+/g, '_')}.json`);
      const c = streamingClassifier(loadClassifierWeights(file));
      expect([c.inputSize, c.outputSize]).to.deep.equal([F, CLASSES]);
      for (const [batch, T, seed] of [
        [3, 40, 5],
        [1, 17, 6],
      ]) {
        const x = tf.randomNormal([batch, T, F], 0, 1.5, 'float32', seed);
        const expected = (model.predict(x) as tf.Tensor).arraySync() as number[][][];
        const sequences = x.arraySync() as number[][][];
        let maxDiff = 0;
        let spread = 0;
        for (let b = 0; b < batch; b++) {
          const got = run(c, sequences[b]);
          for (let t = 0; t < T; t++) {
            for (let k = 0; k < CLASSES; k++) {
              maxDiff = Math.max(maxDiff, Math.abs(got[t][k] - expected[b][t][k]));
              spread = Math.max(spread, Math.abs(expected[b][t][k] - expected[b][0][k]));
            }
          }
        }
        expect(spread, 'posteriors should change over time').to.be.greaterThan(0.01);
        expect(maxDiff).to.be.lessThan(1e-4);
      }
    });
  }

  it("a new LSTM's forget gate starts with bias 1 and its other gates with 0 (tfjs's default is 0 for all)", () => {
    const units = 6;
    const model = buildRivalModel({ architecture: 'lstm', units }, { inputDim: F, numClasses: CLASSES, headUnits: 3 });
    const bias = model.getLayer('lstm').getWeights()[2].dataSync();
    // tfjs orders the gates input, forget, cell, output
    const gate = (g: number) => Array.from(bias.slice(g * units, (g + 1) * units));
    expect(gate(1)).to.deep.equal(Array(units).fill(1));
    for (const g of [0, 2, 3]) expect(gate(g), `gate ${g}`).to.deep.equal(Array(units).fill(0));
  });

  it('state: the same output buffer, reset() restarts, stateBytes counts what is carried, bad frames', () => {
    const cases: Array<[RivalOptions, number]> = [
      [{ architecture: 'gru', units: 6 }, 4 * 6],
      [{ architecture: 'lstm', units: 6 }, 4 * 2 * 6],
      // first conv: 2 frames of 5 inputs carried; each depthwise: 3 frames of 4 channels; pointwise: none
      [{ architecture: 'dscnn', channels: 4, blocks: 2, kernel: 4, firstKernel: 3 }, 4 * (2 * 5 + 2 * 3 * 4)],
    ];
    for (const [rival, bytes] of cases) {
      const model = buildRivalModel(rival, { inputDim: F, numClasses: CLASSES, headUnits: 3 });
      randomize(model, 3);
      const c = streamingClassifier(exportRivalWeights(model));
      const frames = Array.from({ length: 12 }, (_, t) => Array.from({ length: F }, (_, k) => Math.sin(t * (k + 1))));
      const first = run(c, frames);
      const buf = c.step(new Float32Array(F));
      expect(c.step(new Float32Array(F)), rival.architecture).to.equal(buf);
      expect(run(c, frames)).to.deep.equal(first);
      expect(c.stateBytes, rival.architecture).to.equal(bytes);
      expect(() => c.step(new Float32Array(F + 1))).to.throw(ConfigError, /6 values.*expects 5/);
      // NaN and ±Infinity count as 0, and the state stays finite
      const clean = streamingClassifier(exportRivalWeights(model));
      const bad = Float32Array.from([NaN, Infinity, 0.5, -Infinity, 1]);
      c.reset();
      expect(Array.from(c.step(bad))).to.deep.equal(Array.from(clean.step(Float32Array.from([0, 0, 0.5, 0, 1]))));
      expect(Array.from(c.step(Float32Array.from(frames[1])))).to.deep.equal(Array.from(clean.step(Float32Array.from(frames[1]))));
    }
  });

  it('the cost functions count parameters, MACs per frame and state floats (= stateBytes / 4) as for the LMU', () => {
    // inputs 5 → network of width w → Dense 3 relu → Dense 4: the head has (3w + 3) + 16 parameters and 3w + 12 MACs
    const cases: Array<[RivalOptions, { params: number; macsPerFrame: number; stateFloats: number }]> = [
      // GRU 6: 3·(5·6 + 6·6 + 6) + 21 + 16; MACs (5 + 6)·18 + 3·6 elementwise + 18 + 12
      [
        { architecture: 'gru', units: 6 },
        { params: 253, macsPerFrame: 246, stateFloats: 6 },
      ],
      // LSTM 6: 4·(5·6 + 6·6 + 6) + 21 + 16; MACs (5 + 6)·24 + 3·6 + 18 + 12; state h and c
      [
        { architecture: 'lstm', units: 6 },
        { params: 325, macsPerFrame: 312, stateFloats: 12 },
      ],
      // DS-CNN: kernels 3·5·4 + 2·(4·4 + 4·4) = 124 plus 5 biases of 4; MACs 124 + 12 + 12; state 2·5 + 2·(3·4)
      [
        { architecture: 'dscnn', channels: 4, blocks: 2, kernel: 4, firstKernel: 3 },
        { params: 175, macsPerFrame: 148, stateFloats: 34 },
      ],
    ];
    for (const [rival, expected] of cases) {
      const w = exportRivalWeights(buildRivalModel(rival, { inputDim: F, numClasses: CLASSES, headUnits: 3 }));
      expect({ params: paramsOf(w), ...costOf(w) }, rival.architecture).to.deep.equal(expected);
      expect(rivalParams(rival, { inputDim: F, numClasses: CLASSES, headUnits: 3 }), rival.architecture).to.equal(expected.params);
      expect(streamingClassifier(w).stateBytes).to.equal(4 * expected.stateFloats);
    }
  });

  it('step() allocates nothing, for every architecture (the LMU as the reference)', () => {
    const lmu = buildKwsModel({
      inputDim: 20,
      numClasses: 12,
      lmu: { order: 16, theta: 100, memoryD: 8, hiddenUnits: 96, inputToHidden: true },
      headUnits: 0,
    });
    const models: Array<[string, ClassifierWeights]> = [['lmu', exportRuntimeWeights(lmu)]];
    for (const architecture of ['gru', 'lstm', 'dscnn'] as const) {
      models.push([
        architecture,
        exportRivalWeights(buildRivalModel(rivalOptions(architecture)!, { inputDim: 20, numClasses: 12, headUnits: 0 })),
      ]);
    }
    const frames = Array.from({ length: 64 }, (_, t) => Float32Array.from({ length: 20 }, (_, k) => Math.sin(0.3 * t + k)));
    for (const [name, w] of models) {
      const c = streamingClassifier(w);
      // one Float32Array (or even one boxed number) per step would be ≥ 80 KB
      expect(
        allocatedBy((i) => c.step(frames[i & 63])),
        name,
      ).to.be.below(16 * 1024);
    }
  });

  it('rivalSizedLike makes every rival within 2 % of the shipped LMU’s parameters, with its head', () => {
    const shipped = loadModelConfig(DEFAULT_MODEL_DIR);
    const shape = {
      inputDim: shipped.features.coefficients,
      numClasses: shipped.labels.length,
      headUnits: shipped.training?.config?.model?.headUnits ?? 0,
    };
    for (const architecture of Object.keys(RIVAL_DEFAULTS) as RivalArchitecture[]) {
      const rival = rivalSizedLike(architecture, shipped.params, shape);
      const params = paramsOf(exportRivalWeights(buildRivalModel(rival, shape)));
      expect(params, `${architecture}: the count built = the count predicted`).to.equal(rivalParams(rival, shape));
      expect(Math.abs(params / shipped.params - 1), `${architecture}: ${params} vs ${shipped.params}`).to.be.lessThan(0.02);
    }
  });

  it('rivalSizedLike picks the nearest width: one unit more or less is farther from the target', () => {
    const shape = { inputDim: 20, numClasses: 12, headUnits: 0 };
    // GRU 61 units: 15 750 parameters (3·61·82 + 62·12)
    expect(rivalSizedLike('gru', 15750, shape)).to.deep.equal({ architecture: 'gru', units: 61 });
    expect(rivalSizedLike('gru', 15760, shape)).to.deep.equal({ architecture: 'gru', units: 61 });
    expect(rivalSizedLike('lstm', 15820, shape)).to.deep.equal({ architecture: 'lstm', units: 52 });
    expect(rivalSizedLike('dscnn', 15797, shape)).to.deep.equal({ architecture: 'dscnn', ...RIVAL_DEFAULTS.dscnn, channels: 41 });
    expect(rivalSizedLike('gru', 10, shape), 'the smallest network when nothing is that small').to.deep.equal({
      architecture: 'gru',
      units: 1,
    });
  });
});

describe('rivals: runtime.json', function () {
  this.timeout(60000);
  let tmp: string;
  let gru: Record<string, unknown>;
  let dscnn: Record<string, unknown>;
  before(async () => {
    await initTf('cpu', { quiet: true });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-rivals-file-'));
    const json = (rival: RivalOptions) => {
      const w = exportRivalWeights(buildRivalModel(rival, { inputDim: F, numClasses: CLASSES, headUnits: 3 }));
      return JSON.parse(fs.readFileSync(saveClassifierWeights(tmp, w, `${rival.architecture}.json`), 'utf8'));
    };
    gru = json({ architecture: 'gru', units: 4 });
    dscnn = json({ architecture: 'dscnn', channels: 3, blocks: 1, kernel: 3, firstKernel: 2 });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const write = (name: string, j: unknown) => {
    const f = path.join(tmp, name);
    fs.writeFileSync(f, JSON.stringify(j));
    return f;
  };
  /** The parts of a runtime.json the cases below edit. */
  type Editable = { cell: { units: number; bias: { data: string } }; convs: Array<{ activation: string }>; dense: unknown[] };
  const edited = (j: Record<string, unknown>, edit: (c: Editable) => void) => {
    const c = JSON.parse(JSON.stringify(j));
    edit(c);
    return c;
  };

  it('the shipped models (written before the architecture field) load unchanged, as LMUs', () => {
    for (const name of ['default', 'wakewords']) {
      const dir = path.join(DEFAULT_MODEL_DIR, '..', name);
      const file = path.join(dir, loadModelConfig(dir).files.runtime);
      expect(JSON.parse(fs.readFileSync(file, 'utf8')).architecture, name).to.equal(undefined);
      const w = loadClassifierWeights(file);
      expect(w).to.deep.equal(loadRuntimeWeights(file));
      expect(streamingClassifier(w)).to.be.instanceOf(StreamingClassifier);
    }
  });

  it('refuses a bad file with one ModelError naming it and the problem', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['unknown architecture', { ...gru, architecture: 'transformer' }, /architecture "transformer" is not one of lmu, gru, lstm, dscnn/],
      ['gates that do not match the units', edited(gru, (c) => (c.cell.units = 5)), /cell\.kernel has shape \[5,12\], expected \[5,15\]/],
      ['an LSTM file holding GRU weights', { ...gru, architecture: 'lstm' }, /cell\.kernel has shape \[5,12\], expected \[5,16\]/],
      ['no cell', { ...gru, cell: undefined }, /cell section is missing/],
      [
        'convolutions that do not chain',
        edited(dscnn, (c) => c.convs.splice(0, 1)),
        /convs\[0\]\.kernel has shape \[3,3\], expected \[3,5\]/,
      ],
      ['no convolution', { ...dscnn, convs: [] }, /convs section is missing or empty/],
      [
        'a head that does not fit the network',
        edited(dscnn, (c) => c.dense.reverse()),
        /dense\[1\]\.kernel has shape \[3,3\], expected \[4,3\]/,
      ],
      [
        'a softmax convolution',
        edited(dscnn, (c) => (c.convs[0].activation = 'softmax')),
        /convs\[0\]\.activation 'softmax' is not one of relu, linear/,
      ],
      ['truncated weights', edited(gru, (c) => (c.cell.bias.data = c.cell.bias.data.slice(0, 8))), /cell\.bias holds/],
    ];
    for (const [name, json, problem] of cases) {
      const file = write(`${name.replace(/\W+/g, '_')}.json`, json);
      let error: unknown;
      try {
        loadClassifierWeights(file);
      } catch (e) {
        error = e;
      }
      expect(error, name).to.be.instanceOf(ModelError);
      const message = (error as Error).message;
      expect(message, name).to.match(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
      expect(message, name).to.match(problem);
      expect(message.split('\n'), name).to.have.length(1);
    }
  });

  it("the LMU's own loader refuses a rival's file by its architecture", () => {
    const file = write('gru-as-lmu.json', gru);
    expect(() => loadRuntimeWeights(file)).to.throw(ModelError, /gru-as-lmu\.json: holds a gru network, not an LMU/);
  });
});
