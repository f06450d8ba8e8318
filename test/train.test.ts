/**
 * Training end to end on a tiny synthesized corpus: the loss falls, the model directory round-
 * trips (tfjs model reloaded = runtime = trained model), eval prints its JSON fields, and bad
 * data folders fail with one clear line.
 */
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize } from '../src/train/synth';
import { loadTrainingData, TrainingData } from '../src/train/trainingData';
import { trainKwsModel, TrainResult, predictBatch } from '../src/train/trainer';
import { writeModelDir } from '../src/train/modelDir';
import { loadTfjsModel } from '../src/train/modelFiles';
import { NO_AUGMENTATION } from '../src/train/examples';
import { resolveFeatureConfig } from '../src/features/config';
import { loadRuntimeWeights, StreamingClassifier } from '../src/lmu/runtime';
import { loadModelConfig } from '../src/pipeline/modelConfig';
import '../src/lmu/layer';

const root = path.resolve(__dirname, '..');
const kws = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin/kws.js'), ...args], { encoding: 'utf8', cwd: root });

describe('training (tiny synthesized corpus)', function () {
  this.timeout(240000);
  let tmp: string;
  let dataDir: string;
  let modelDir: string;
  let data: TrainingData;
  let result: TrainResult;
  const features = resolveFeatureConfig({ coefficients: 13 });

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-train-'));
    dataDir = path.join(tmp, 'data');
    modelDir = path.join(tmp, 'model');
    await synthesize({
      keywords: ['yes', 'no'], outDir: dataDir, perWord: 40, unknownCount: 40, silenceCount: 20,
      seed: 3, backgroundSec: 5, jobs: 2, validationPercent: 20, testingPercent: 20,
    });
    data = await loadTrainingData(dataDir, { seed: 1, unknownPercent: 50, silencePercent: 30 });
    result = await trainKwsModel(data, {
      features,
      model: { lmu: { order: 12, theta: 60, memoryD: 2, hiddenUnits: 24, inputToHidden: true }, headUnits: 16 },
      epochs: 6, batchSize: 16, learningRate: 5e-3, patience: 10, seed: 1,
      augmentation: { maxShift: 800, noiseProb: 0.5, snrDb: [10, 20], gainDb: [-6, 3] },
      backend: 'wasm',
    }, { quiet: true });
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads every split and aligns the keyword clips', () => {
    expect(data.labels).to.deep.equal(['no', 'yes', '_unknown_', '_silence_']); // word folders in sorted order
    for (const split of ['train', 'validation', 'test'] as const) expect(data.clips[split].length).to.be.greaterThan(0);
    const keywordClips = data.clips.train.filter((c) => c.label < 2);
    const aligned = keywordClips.filter((c) => c.word !== null).length;
    expect(aligned / keywordClips.length).to.be.greaterThan(0.8);
  });

  it('lowers the loss', () => {
    const losses = result.history.map((h) => h.loss);
    expect(losses.length).to.be.greaterThan(2);
    expect(losses[losses.length - 1]).to.be.lessThan(0.85 * losses[0]);
  });

  it('is reproducible: the same seed gives the same weights and losses, another seed does not', async () => {
    const small = {
      features,
      model: { lmu: { order: 8, theta: 40, memoryD: 2, hiddenUnits: 12, inputToHidden: true }, headUnits: 8, dropout: 0.2 },
      epochs: 1, batchSize: 16, learningRate: 5e-3, patience: 10,
      augmentation: { maxShift: 800, noiseProb: 0.5, snrDb: [10, 20] as [number, number], gainDb: [-6, 3] as [number, number] },
      backend: 'wasm' as const,
    };
    const weightsOf = async (seed: number) => {
      const r = await trainKwsModel(data, { ...small, seed }, { quiet: true });
      return { losses: r.history.map((h) => h.loss), weights: r.model.getWeights().map((w) => Array.from(w.dataSync())) };
    };
    const a = await weightsOf(7);
    const b = await weightsOf(7);
    const c = await weightsOf(8);
    expect(b.losses).to.deep.equal(a.losses);
    expect(b.weights).to.deep.equal(a.weights);
    expect(c.weights).to.not.deep.equal(a.weights);
  });

  it('writes a model directory whose tfjs model and runtime reproduce the trained model', async () => {
    await writeModelDir(result.tf, result.model, modelDir, {
      name: 'tiny', labels: data.labels, keywords: data.labels.slice(0, 2), features,
      normalization: result.normalization, lmu: {}, training: { seed: 1 }, metrics: {},
    });
    const config = loadModelConfig(modelDir);
    expect(config.params).to.equal(result.model.countParams());
    const batch = result.batcher.batch(data.clips.test.slice(0, 3), NO_AUGMENTATION, 1, 'roundtrip');
    const trained = predictBatch(result.tf, result.model, batch);
    const reloaded = predictBatch(result.tf, await loadTfjsModel(result.tf, modelDir), batch);
    let maxTf = 0;
    for (let i = 0; i < trained.length; i++) maxTf = Math.max(maxTf, Math.abs(trained[i] - reloaded[i]));
    expect(maxTf).to.be.below(1e-6);

    const runtime = new StreamingClassifier(loadRuntimeWeights(path.join(modelDir, config.files.runtime)));
    const C = data.labels.length;
    let maxRt = 0;
    for (let b = 0; b < batch.size; b++) {
      runtime.reset();
      for (let t = 0; t < batch.frames; t++) {
        const x = batch.x.subarray((b * batch.frames + t) * features.coefficients, (b * batch.frames + t + 1) * features.coefficients);
        const p = runtime.step(x);
        for (let c = 0; c < C; c++) maxRt = Math.max(maxRt, Math.abs(p[c] - trained[(b * batch.frames + t) * C + c]));
      }
    }
    expect(maxRt).to.be.below(1e-4);
  });

  it('kws eval --json reports accuracy, per-class figures, FRR, FA/h, size', () => {
    const r = kws('eval', '--model', modelDir, '--data', dataDir, '--json', '--minutes', '3', '--figures', tmp);
    expect(r.status, r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout);
    for (const key of ['accuracy', 'perClass', 'frr', 'faPerHour', 'params', 'bytes', 'confusion', 'det']) expect(report).to.have.property(key);
    expect(report.accuracy).to.be.within(0, 1);
    expect(Object.keys(report.perClass)).to.deep.equal(data.labels);
    expect(report.params).to.equal(result.model.countParams());
    expect(fs.readFileSync(path.join(tmp, 'det.svg'), 'utf8')).to.match(/^<svg/);
    expect(fs.readFileSync(path.join(tmp, 'confusion.svg'), 'utf8')).to.match(/^<svg/);
  });

  it('kws thresholds re-chooses the thresholds for a budget, writes kws.json, and a bigger budget never raises them', () => {
    const run = (fa: string) => {
      const r = kws('thresholds', '--model', modelDir, '--data', dataDir, '--fa-per-hour', fa, '--minutes', '20', '--unknown-percent', '50', '--silence-percent', '30');
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.match(new RegExp(`≤ ${fa} FA/h`));
      return loadModelConfig(modelDir);
    };
    const strict = run('0.5');
    const loose = run('500');
    for (const k of loose.keywords) {
      expect(loose.smoother.thresholds[k], k).to.be.within(0, 1);
      expect(loose.smoother.thresholds[k], k).to.be.at.most(strict.smoother.thresholds[k]);
    }
    const v = loose.metrics!.validationStream as Record<string, unknown>;
    expect(v.targetFaPerHour).to.equal(500);
    expect(v.command).to.match(/^kws thresholds --model /);
    expect(v.faPerHour as number).to.be.at.most(500);
    const bad = kws('thresholds', '--model', path.join(tmp, 'nope'), '--data', dataDir);
    expect([bad.status, bad.stderr.trim().split('\n').length]).to.deep.equal([1, 1]);
    expect(bad.stderr).to.match(/nope: model directory not found/);
    const noValidation = path.join(tmp, 'no-validation');
    fs.cpSync(dataDir, noValidation, { recursive: true });
    fs.writeFileSync(path.join(noValidation, 'validation_list.txt'), '');
    const empty = kws('thresholds', '--model', modelDir, '--data', noValidation);
    expect([empty.status, empty.stderr.trim().split('\n').length]).to.deep.equal([1, 1]);
    expect(empty.stderr).to.match(/no-validation: the validation split is empty/);
  });

  it('kws train on a missing or empty folder fails with one clear line', () => {
    const missing = kws('train', '--data', path.join(tmp, 'nope'), '--out', path.join(tmp, 'm2'));
    expect(missing.status).to.equal(1);
    expect(missing.stderr.trim().split('\n')).to.have.length(1);
    expect(missing.stderr).to.match(/nope: no such data folder/);
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    const r = kws('train', '--data', empty, '--out', path.join(tmp, 'm3'));
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/no word folders/);
    expect(r.stderr).to.not.match(/\n\s+at /);
  });
});
