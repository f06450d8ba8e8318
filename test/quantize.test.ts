/**
 * int8 runtime weights (issue 16): the quantizer, the runtime on int8 kernels against the float32
 * model on real speech features (the shipped models/default on fixtures/demo.wav), the file format
 * and the loader's refusals, no allocation per step, and `kws quantize` through the real CLI.
 */
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { openAudio } from '../src/audio/open';
import { ConfigError, ModelError } from '../src/errors';
import { featuresOf } from '../src/features/stream';
import { paramCount, weightBytes } from '../src/lmu/cost';
import { quantizeKernel, quantizeWeights } from '../src/lmu/quantize';
import { StreamingClassifier } from '../src/lmu/runtime';
import { Int8Matrix, kernelsOf, RUNTIME_FRONT_FORMAT, RUNTIME_STACK_FORMAT, RuntimeWeights, weightDtype } from '../src/lmu/weights';
import { modelClassifier } from '../src/model/classifierFile';
import { loadModelConfig, writeModelConfig } from '../src/model/kwsJson';
import { quantizeModelDir } from '../src/model/quantizeDir';
import { decodeRuntimeWeights, encodeRuntimeWeights, loadRuntimeWeights, RUNTIME_FILE, saveRuntimeWeights } from '../src/model/runtimeFile';
import { allocatedBy } from './support/gc';
import { randomRuntimeWeights } from './support/models';
import { DEMO_WAV, ROOT, tmpDir } from './support/pipeline';

const SHIPPED = path.join(ROOT, 'models', 'default');
/**
 * Float32 against int8 posteriors, frame by frame (unsmoothed): the largest difference of any
 * class on any frame, and its mean over frames. Measured on models/default: 0.084 and 0.0054;
 * the smoother then averages 30 frames.
 */
const POSTERIOR_TOLERANCE = 0.1;
const MEAN_TOLERANCE = 0.01;

async function demoFrames(dir: string): Promise<Float32Array[]> {
  const config = loadModelConfig(dir);
  const frames: Float32Array[] = [];
  for await (const f of featuresOf(await openAudio(DEMO_WAV), config.features, config.normalization)) frames.push(f);
  return frames;
}

/** Posteriors of every frame, copied. */
const run = (w: RuntimeWeights, frames: Float32Array[]) => {
  const c = new StreamingClassifier(w);
  return frames.map((f) => Float32Array.from(c.step(f)));
};
const argmax = (p: Float32Array) => p.indexOf(Math.max(...p));

/** The parts of an int8 runtime.json the corruption test edits. */
type StoredKernel = { data: string; shape: number[]; scales?: string };
type RuntimeJson = { dtype?: string; lmu: Record<string, StoredKernel>; dense: Array<{ kernel: StoredKernel }> };

function copyDir(from: string, name: string): string {
  const to = path.join(tmpDir(), name);
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
  return to;
}

describe('int8 runtime weights', function () {
  this.timeout(60000);
  let floatWeights: RuntimeWeights;
  let frames: Float32Array[];
  before(async () => {
    floatWeights = loadRuntimeWeights(path.join(SHIPPED, RUNTIME_FILE));
    frames = await demoFrames(SHIPPED);
  });

  it('quantizeKernel: one scale per output column, max |w| / 127, every weight within half a step', () => {
    const m = { shape: [3, 2], data: Float32Array.from([0.5, -2, -1.27, 1, 0.1, 0.04]) };
    const q = quantizeKernel(m);
    expect(Array.from(q.scales)).to.deep.equal([Math.fround(1.27 / 127), Math.fround(2 / 127)]);
    expect(Array.from(q.data)).to.deep.equal([50, -127, -127, 64, 10, 3]);
    for (let i = 0; i < 6; i++) expect(Math.abs(q.data[i] * q.scales[i % 2] - m.data[i])).to.be.at.most(q.scales[i % 2] / 2 + 1e-7);
    const zeros = quantizeKernel({ shape: [2, 1], data: new Float32Array(2) });
    expect([...zeros.data, ...zeros.scales]).to.deep.equal([0, 0, 0]);
  });

  it(`the shipped model's posteriors on fixtures/demo.wav: within ${POSTERIOR_TOLERANCE} of float32 on every frame (${MEAN_TOLERANCE} on average), the same top class on ≥ 98 %`, () => {
    const int8 = quantizeWeights(floatWeights);
    expect(weightDtype(int8)).to.equal('int8');
    const a = run(floatWeights, frames);
    const b = run(int8, frames);
    const worst = a.map((p, t) => Math.max(...Array.from(p, (v, k) => Math.abs(v - b[t][k]))));
    expect(Math.max(...worst)).to.be.below(POSTERIOR_TOLERANCE);
    expect(worst.reduce((s, d) => s + d, 0) / worst.length).to.be.below(MEAN_TOLERANCE);
    expect(a.filter((p, t) => argmax(p) === argmax(b[t])).length / frames.length).to.be.at.least(0.98);
  });

  it('stacked LMU layers (format /2) quantize too, a low-rank hidden kernel too: every kernel int8, posteriors close to float32', () => {
    const lmu = { order: 8, theta: 20, memoryD: 3, hiddenUnits: 10, inputToHidden: true, hiddenToMemory: true, memoryToMemory: true };
    const below = randomRuntimeWeights(lmu, 20, [8], 12, 3);
    const above = randomRuntimeWeights({ ...lmu, hiddenRank: 4 }, 10, [8], 12, 4);
    const stacked: RuntimeWeights = { ...below, format: RUNTIME_STACK_FORMAT, lmuStack: [above.lmu] };
    const int8 = decodeRuntimeWeights(JSON.parse(JSON.stringify(encodeRuntimeWeights(quantizeWeights(stacked)))), 'stack');
    expect(kernelsOf(int8).map((m) => m.shape.join('×'))).to.include('34×4'); // above's projection: 3·8 memory + 10 inputs → rank 4
    expect(kernelsOf(int8).map((m) => m.data.constructor.name)).to.deep.equal(new Array(9).fill('Int8Array'));
    const a = run(stacked, frames.slice(0, 300));
    const b = run(int8, frames.slice(0, 300));
    const worst = Math.max(...a.flatMap((p, t) => Array.from(p, (v, k) => Math.abs(v - b[t][k]))));
    expect(worst).to.be.below(POSTERIOR_TOLERANCE);
  });

  it('front layers (format /3) quantize too: their kernel int8 like every other, posteriors close to float32', () => {
    const lmu = { order: 8, theta: 20, memoryD: 3, hiddenUnits: 10, inputToHidden: true };
    const behind = randomRuntimeWeights(lmu, 6, [8], 12, 5); // the LMU reads the front's 6 values
    const front = randomRuntimeWeights({ order: 2, theta: 4, memoryD: 10 }, 20, [6], 12, 6).dense[0]; // a relu layer 20 → 6
    const fronted: RuntimeWeights = { ...behind, format: RUNTIME_FRONT_FORMAT, inputSize: 20, front: [front] };
    const int8 = decodeRuntimeWeights(JSON.parse(JSON.stringify(encodeRuntimeWeights(quantizeWeights(fronted)))), 'front');
    expect(int8.front!.map((d) => [d.activation, d.kernel.data.constructor.name, ...d.kernel.shape])).to.deep.equal([
      ['relu', 'Int8Array', 20, 6],
    ]);
    expect(kernelsOf(int8).map((m) => m.data.constructor.name)).to.deep.equal(new Array(5).fill('Int8Array'));
    const a = run(fronted, frames.slice(0, 300));
    const b = run(int8, frames.slice(0, 300));
    const worst = Math.max(...a.flatMap((p, t) => Array.from(p, (v, k) => Math.abs(v - b[t][k]))));
    expect(worst).to.be.below(POSTERIOR_TOLERANCE);
  });

  it('bytes: one per kernel weight plus float32 biases and scales — at most ¼ of float32 plus 4 bytes per output', () => {
    const int8 = quantizeWeights(floatWeights);
    const float = weightBytes(floatWeights);
    expect(float).to.equal(4 * paramCount(floatWeights));
    const outputs = kernelsOf(int8).reduce((n, m) => n + (m as Int8Matrix).scales.length, 0);
    const biases = paramCount(int8) - kernelsOf(int8).reduce((n, m) => n + m.data.length, 0);
    expect(weightBytes(int8)).to.equal(paramCount(int8) - biases + 4 * (outputs + biases));
    expect(weightBytes(int8)).to.be.at.most(float / 4 + 4 * (outputs + biases));
    expect(weightBytes(int8) / float).to.be.below(0.27);
  });

  it('step() allocates nothing on int8 weights', () => {
    const c = new StreamingClassifier(quantizeWeights(floatWeights));
    expect(allocatedBy((i) => c.step(frames[i % frames.length]))).to.be.below(16 * 1024);
  });

  describe('the model directory', () => {
    let dir: string;
    before(() => {
      dir = path.join(tmpDir(), 'default-int8');
      fs.rmSync(dir, { recursive: true, force: true });
      quantizeModelDir(SHIPPED, dir, 'test');
    });

    it('kws.json records the quantization and the int8 bytes; the tfjs model is copied as it was; the runtime file round-trips', () => {
      const config = loadModelConfig(dir);
      expect(config.quantization).to.deep.include({ dtype: 'int8', from: SHIPPED, floatBytes: 4 * config.params, command: 'test' });
      const weights = loadRuntimeWeights(path.join(dir, RUNTIME_FILE));
      expect(config.bytes).to.equal(weightBytes(weights));
      expect(JSON.parse(fs.readFileSync(path.join(dir, RUNTIME_FILE), 'utf8')).dtype).to.equal('int8');
      expect(weights).to.deep.equal(quantizeWeights(floatWeights));
      for (const f of ['model.json', 'weights.bin'])
        expect(fs.readFileSync(path.join(dir, f))).to.deep.equal(fs.readFileSync(path.join(SHIPPED, f)));
      expect(modelClassifier(dir, config).create().outputSize).to.equal(config.labels.length);
    });

    it('the loader refuses, in one line naming the file: float32 weights where kws.json says int8, and the reverse', () => {
      const swapped = copyDir(dir, 'int8-with-float-file');
      saveRuntimeWeights(swapped, floatWeights);
      const file = path.join(swapped, RUNTIME_FILE);
      expect(() => modelClassifier(swapped, loadModelConfig(swapped))).to.throw(
        ModelError,
        `${file}: holds float32 weights but kws.json says int8`,
      );
      const { quantization: _q, ...asFloat } = loadModelConfig(dir);
      const floatDir = copyDir(dir, 'float-config-int8-file');
      writeModelConfig(floatDir, asFloat);
      expect(() => modelClassifier(floatDir, loadModelConfig(floatDir))).to.throw(
        ModelError,
        `${path.join(floatDir, RUNTIME_FILE)}: holds int8 weights but kws.json says float32`,
      );
      const wrongBytes = copyDir(dir, 'int8-wrong-bytes');
      const { bytes, params } = loadModelConfig(dir);
      writeModelConfig(wrongBytes, { ...loadModelConfig(dir), bytes: 4 * params });
      expect(() => modelClassifier(wrongBytes, loadModelConfig(wrongBytes))).to.throw(
        ModelError,
        new RegExp(`holds ${bytes} bytes of int8 weights but kws.json says ${4 * params}$`),
      );
    });

    it('corrupt int8 kernels are refused in one line: too few values, no scales, scales of the wrong length, an unknown dtype', () => {
      const json = (): RuntimeJson => JSON.parse(fs.readFileSync(path.join(dir, RUNTIME_FILE), 'utf8'));
      const refusal = (edit: (j: RuntimeJson) => void) => {
        const j = json();
        edit(j);
        try {
          decodeRuntimeWeights(j, 'runtime.json');
        } catch (err) {
          expect(err).to.be.instanceOf(ModelError);
          expect((err as Error).message).not.to.contain('\n');
          return (err as Error).message;
        }
        throw new Error('accepted');
      };
      const hidden = json().lmu.hiddenKernel;
      const short = Buffer.from(hidden.data, 'base64').subarray(1).toString('base64');
      const [rows, cols] = hidden.shape;
      expect(refusal((j) => (j.lmu.hiddenKernel.data = short))).to.equal(
        `runtime.json: lmu.hiddenKernel holds ${rows * cols - 1} int8 values, shape [${rows},${cols}] needs ${rows * cols}`,
      );
      expect(refusal((j) => delete j.dense[0].kernel.scales)).to.equal(
        "runtime.json: dense[0].kernel has no scales, which the file's int8 weights need",
      );
      const denseScales = json().dense[0].kernel.scales ?? '';
      const memoryD = json().lmu.kernel.shape[1];
      expect(refusal((j) => (j.lmu.kernel.scales = j.dense[0].kernel.scales))).to.match(
        new RegExp(
          `^runtime.json: lmu.kernel.scales holds ${Buffer.from(denseScales, 'base64').length / 4} float32 values, shape \\[${memoryD}\\] needs ${memoryD}$`,
        ),
      );
      expect(refusal((j) => (j.dtype = 'int4'))).to.equal('runtime.json: dtype "int4" is not one of float32, int8');
      expect(refusal((j) => delete j.dtype)).to.match(/^runtime.json: lmu.kernel has int8 scales but the file's weights are float32$/);
    });

    it('kws quantize refuses a rival, an int8 model and its own directory, each in one line', () => {
      const rival = copyDir(SHIPPED, 'gru-model');
      writeModelConfig(rival, { ...loadModelConfig(rival), rival: { architecture: 'gru', units: 8 } } as never);
      expect(() => quantizeModelDir(rival, path.join(tmpDir(), 'x'))).to.throw(
        ConfigError,
        `${rival}: a GRU model; kws quantize makes int8 weights of LMU models only`,
      );
      expect(() => quantizeModelDir(dir, path.join(tmpDir(), 'x'))).to.throw(ConfigError, `${dir}: its runtime weights are int8 already`);
      expect(() => quantizeModelDir(SHIPPED, SHIPPED)).to.throw(ConfigError, /must be another directory/);
    });
  });

  it('through the CLI: kws quantize writes the directory and its card; kws detect finds the same keywords in fixtures/demo.wav as float32', () => {
    const kws = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kws.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
    const out = path.join(tmpDir(), 'cli-int8');
    fs.rmSync(out, { recursive: true, force: true });
    const q = kws('quantize', '--model', SHIPPED, '--out', out);
    expect(q.status, q.stderr).to.equal(0);
    const { bytes, params } = loadModelConfig(out);
    const share = Math.round((100 * bytes) / (4 * params));
    expect(q.stdout.endsWith(`: int8 runtime weights, ${bytes} bytes (float32: ${4 * params} bytes, ${share} %)\n`), q.stdout).to.equal(
      true,
    );
    expect(bytes / (4 * params), 'about a quarter of the float32 bytes').to.be.within(0.25, 0.3);
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).to.contain('## int8 runtime weights (`kws quantize`)');
    const keywords = (model: string) => {
      const r = kws('detect', DEMO_WAV, '--model', model, '--json');
      expect(r.status, r.stderr).to.equal(0);
      return r.stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).keyword);
    };
    const float = keywords(SHIPPED);
    expect(float.length).to.be.greaterThan(0);
    expect(keywords(out)).to.deep.equal(float);
    const again = kws('quantize', '--model', out, '--out', path.join(tmpDir(), 'twice'));
    expect(again.status).to.equal(1);
    expect(again.stderr).to.equal(`kws: ${out}: its runtime weights are int8 already\n`);
  });
});
