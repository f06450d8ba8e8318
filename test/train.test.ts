/**
 * Training end to end on a tiny synthesized corpus: the loss falls, every epoch records train and
 * validation figures, the model directory round-trips (tfjs model reloaded = runtime = trained
 * model), kws train writes the model card and judges the model, eval prints its JSON fields and
 * records them, and bad data folders fail with one clear line.
 */
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tinyCorpus } from './support/tinyCorpus';
import { synthesize } from '../src/synth/synthesize';
import { Batch, loadTrainingData, TrainingData } from '../src/data/clips';
import { measureBatch, trainKwsModel, TrainConfig, TrainResult, predictBatch, setNll, TRAIN_MEASURE_CLIPS } from '../src/train/trainer';
import { renormalization, softNll, Teachers } from '../src/train/teachers';
import { writeModelDir } from '../src/model/modelDir';
import { loadTfjsModel } from '../src/model/tfjsFiles';
import { NO_AUGMENTATION } from '../src/data/sequence';
import { resolveFeatureConfig } from '../src/features/config';
import { DEFAULT_PCEN } from '../src/features/pcen';
import { StreamingClassifier } from '../src/lmu/runtime';
import { loadRuntimeWeights } from '../src/model/runtimeFile';
import { loadModelConfig } from '../src/model/kwsJson';
import { KwsModelOptions } from '../src/lmu/tf/model';
import { exportRuntimeWeights } from '../src/lmu/tf/export';
import { RUNTIME_FRONT_FORMAT, RUNTIME_STACK_FORMAT } from '../src/lmu/weights';
import { macsPerFrame, paramCount, stateFloats } from '../src/lmu/cost';
import { matchingModelConfig } from '../src/train/initialWeights';
import { ConfigError } from '../src/errors';

const root = path.resolve(__dirname, '..');
const kws = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin/kws.js'), ...args], { encoding: 'utf8', cwd: root });

/** Largest difference between the runtime's posteriors, clip by clip from a reset state, and `expected` (the tfjs model's). */
function maxRuntimeDifference(runtime: StreamingClassifier, batch: Batch, expected: Float32Array): number {
  const F = batch.x.length / (batch.size * batch.frames);
  const C = expected.length / (batch.size * batch.frames);
  let max = 0;
  for (let b = 0; b < batch.size; b++) {
    runtime.reset();
    for (let t = 0; t < batch.frames; t++) {
      const i = b * batch.frames + t;
      const p = runtime.step(batch.x.subarray(i * F, (i + 1) * F));
      for (let c = 0; c < C; c++) max = Math.max(max, Math.abs(p[c] - expected[i * C + c]));
    }
  }
  return max;
}

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
    await tinyCorpus(dataDir, 40);
    data = await loadTrainingData(dataDir, { seed: 1, unknownPercent: 50, silencePercent: 30 });
    result = await trainKwsModel(
      data,
      {
        features,
        model: { lmu: { order: 12, theta: 60, memoryD: 2, hiddenUnits: 24, inputToHidden: true }, headUnits: 16 },
        epochs: 6,
        batchSize: 16,
        learningRate: 5e-3,
        patience: 10,
        seed: 1,
        augmentation: { maxShift: 800, noiseProb: 0.5, snrDb: [10, 20], gainDb: [-6, 3] },
        backend: 'wasm',
      },
      { quiet: true },
    );
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

  it('records train and validation accuracy and loss for every epoch, on a fixed unaugmented training sample', () => {
    expect(result.history.length).to.equal(6);
    for (const h of result.history) {
      // accuracies are counts of right clips over the clips measured
      const whole = (fraction: number, clips: number) => expect(fraction * clips).to.be.closeTo(Math.round(fraction * clips), 1e-6);
      whole(h.trainAccuracy, h.trainClips);
      whole(h.valAccuracy, data.clips.validation.length);
      for (const x of [h.trainLoss, h.valLoss]) expect(x).to.be.greaterThan(0).and.lessThan(10);
      expect(h.trainClips).to.equal(Math.min(TRAIN_MEASURE_CLIPS, data.clips.train.length));
    }
    const first = result.history[0];
    const last = result.history[result.history.length - 1];
    expect(last.trainLoss).to.be.lessThan(0.9 * first.trainLoss);
    expect(last.valLoss).to.be.lessThan(first.valLoss);
    expect(new Set(result.history.map((h) => h.trainAccuracy)).size, 'measured anew every epoch').to.be.greaterThan(1);
    // Measured without augmentation or dropout: not the running loss of the augmented batches.
    expect(result.history.map((h) => h.trainLoss)).to.not.deep.equal(result.history.map((h) => h.loss));
  });

  it('scores a target that allows a set of classes by the mass on them, −log Σ_{c∈S} p_c (one class: the usual cross-entropy)', () => {
    const tf = result.tf;
    const p = tf.tensor2d([
      [0.7, 0.1, 0.1, 0.1],
      [0.1, 0.1, 0.4, 0.4],
      [0.1, 0.7, 0.1, 0.1],
    ]);
    const set = tf.tensor2d([
      [1, 0, 1, 1],
      [1, 0, 1, 1],
      [1, 0, 1, 1],
    ]);
    const nll = [...setNll(tf, set, p).dataSync()];
    expect(nll[0]).to.be.closeTo(-Math.log(0.9), 1e-5);
    expect(nll[1]).to.be.closeTo(-Math.log(0.9), 1e-5); // "no keyword" mass counts as much as the word's
    expect(nll[2]).to.be.closeTo(-Math.log(0.3), 1e-5); // another class's spike is what costs
    const oneHot = [...setNll(tf, tf.tensor2d([[0, 1, 0, 0]]), p.slice([0, 0], [1, 4])).dataSync()];
    expect(oneHot[0]).to.be.closeTo(-Math.log(0.1), 1e-5);
  });

  /** A small model and one epoch: for the tests that train more models. */
  const small = {
    features,
    model: { lmu: { order: 8, theta: 40, memoryD: 2, hiddenUnits: 12, inputToHidden: true }, headUnits: 8, dropout: 0.2 },
    epochs: 1,
    batchSize: 16,
    learningRate: 5e-3,
    patience: 10,
    augmentation: { maxShift: 800, noiseProb: 0.5, snrDb: [10, 20] as [number, number], gainDb: [-6, 3] as [number, number] },
    backend: 'wasm' as const,
  };

  it('is reproducible: the same seed gives the same weights and losses, another seed does not', async () => {
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

  it('trains the same with batches made ahead in the worker (across epochs) as with each made on the main thread just before its step', async () => {
    const run = async (batchWorker: boolean) => {
      const r = await trainKwsModel(data, { ...small, epochs: 2, seed: 7, batchWorker }, { quiet: true });
      return { history: r.history.map(({ seconds: _s, ...h }) => h), weights: r.model.getWeights().map((w) => Array.from(w.dataSync())) };
    };
    const ahead = await run(true);
    const inline = await run(false);
    expect(ahead.history.length).to.be.greaterThan(1); // the queue crossed an epoch boundary
    expect(ahead.history).to.deep.equal(inline.history); // losses and accuracies, training and measured
    expect(ahead.weights).to.deep.equal(inline.weights);
  });

  it('--average-epochs: training takes the same steps, but what is measured every epoch and kept is the moving average of the weights', async () => {
    const run = (averageEpochs?: number) => trainKwsModel(data, { ...small, epochs: 2, seed: 7, averageEpochs }, { quiet: true });
    const plain = await run();
    const averaged = await run(0.5);
    expect(averaged.history.map((h) => h.loss)).to.deep.equal(plain.history.map((h) => h.loss));
    const weightsOf = (r: TrainResult) => r.model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(weightsOf(averaged)).to.not.deep.equal(weightsOf(plain));
    expect(averaged.history.map((h) => h.valLoss)).to.not.deep.equal(plain.history.map((h) => h.valLoss));
    // the weights kept are the ones measured: the kept model scores the validation accuracy recorded for its epoch
    const validation = averaged.batcher.batch(data.clips.validation, NO_AUGMENTATION, 7, 'validation');
    for (const r of [plain, averaged])
      expect(measureBatch(r.tf, r.model, validation, data.silence).accuracy).to.equal(r.history[r.bestEpoch - 1].valAccuracy);
  });

  it("--init: training starts from a model directory's weights and feature normalisation; other labels, features or shapes are one error naming the file", async () => {
    const source = path.join(tmp, 'init-source');
    const trained = await trainKwsModel(data, { ...small, seed: 3 }, { quiet: true });
    await writeModelDir(trained.tf, trained.model, source, {
      name: 'init-source',
      labels: data.labels,
      keywords: data.labels.slice(0, 2),
      features,
      normalization: trained.normalization,
      lmu: small.model.lmu,
      training: { seed: 3 },
      metrics: {},
    });
    const weightsOf = (r: TrainResult) => r.model.getWeights().map((w) => Array.from(w.dataSync()));
    // a learning rate of 1e-9 leaves the starting weights where they were: the source's, not a random draw
    const resumed = await trainKwsModel(data, { ...small, seed: 5, learningRate: 1e-9, initFrom: source }, { quiet: true });
    const fresh = await trainKwsModel(data, { ...small, seed: 5, learningRate: 1e-9 }, { quiet: true });
    const start = weightsOf(trained).flat();
    const differences = (r: TrainResult) =>
      weightsOf(r)
        .flat()
        .map((w, i) => Math.abs(w - start[i]));
    expect(Math.max(...differences(resumed))).to.be.below(1e-6);
    expect(Math.max(...differences(fresh))).to.be.above(0.01);
    expect(resumed.normalization).to.deep.equal(trained.normalization);
    expect(resumed.history[0].valAccuracy).to.equal(trained.history[0].valAccuracy);

    const modelFile = path.join(source, 'model.json');
    let wider: unknown;
    const otherShape = { ...small.model, lmu: { ...small.model.lmu, hiddenUnits: 13 } };
    await trainKwsModel(data, { ...small, seed: 5, model: otherShape, initFrom: source }, { quiet: true }).catch((e) => (wider = e));
    expect(wider).to.be.instanceOf(ConfigError);
    expect((wider as Error).message).to.match(
      new RegExp(`^${modelFile}: weight \\d+ is \\d+×12 where this run's \\S+ is \\d+×13; --init needs the same network shape`),
    );
    const configFile = path.join(source, 'kws.json');
    expect(() => matchingModelConfig(source, [...data.labels].reverse(), features)).to.throw(
      ConfigError,
      `${configFile}: --init needs the labels of this run in the same order`,
    );
    expect(() => matchingModelConfig(source, data.labels, resolveFeatureConfig({ coefficients: 20 }))).to.throw(
      ConfigError,
      `${configFile}: --init needs this run's features; its coefficients is 13, this run's 20`,
    );
  });

  /** Writes the model trained in before() as a model directory named after `dir`. */
  const writeTrained = (dir: string) =>
    writeModelDir(result.tf, result.model, dir, {
      name: path.basename(dir),
      labels: data.labels,
      keywords: data.labels.slice(0, 2),
      features,
      normalization: result.normalization,
      lmu: { order: 12, theta: 60, memoryD: 2, hiddenUnits: 24, inputToHidden: true },
      training: { seed: 1 },
      metrics: {},
    });

  it("--teacher: the student also learns a trained model's posteriors on its own batches; weight 0 is plain training; other labels are one error naming the file", async () => {
    const teacherDir = path.join(tmp, 'teacher');
    await writeTrained(teacherDir);
    const run = (extra: Partial<TrainConfig>) => trainKwsModel(data, { ...small, epochs: 3, seed: 7, ...extra }, { quiet: true });
    const weightsOf = (r: TrainResult) => r.model.getWeights().map((w) => Array.from(w.dataSync()));
    const plain = await run({});
    const weightless = await run({ teachers: [teacherDir], distillWeight: 0 });
    expect(weightsOf(weightless)).to.deep.equal(weightsOf(plain)); // the teacher changes no draw of the run
    const distilled = await run({ teachers: [teacherDir], distillWeight: 1 });

    // on the unaugmented validation clips the distilled student is closer to its teacher than the plain one
    const teachers = await Teachers.load(result.tf, [teacherDir], data.labels, features);
    teachers.readFrom(plain.normalization);
    const validation = plain.batcher.batch(data.clips.validation, NO_AUGMENTATION, 7, 'validation');
    const tf = result.tf;
    const x = tf.tensor3d(validation.x, [validation.size, validation.frames, features.coefficients]);
    const q = teachers.posteriors(x);
    const distance = (r: TrainResult) => {
      const p = tf.tensor3d(predictBatch(tf, r.model, validation), q.shape);
      const d = tf.mean(softNll(tf, q, p)).dataSync()[0] - tf.mean(softNll(tf, q, q)).dataSync()[0]; // KL(q ‖ p)
      p.dispose();
      return d;
    };
    expect(distance(distilled)).to.be.below(distance(plain) * 0.8);
    // the teacher reads through its own normalisation: q is its prediction on features it normalised itself
    const own = result.batcher.batch(data.clips.validation, NO_AUGMENTATION, 7, 'validation');
    const direct = predictBatch(tf, result.model, own);
    const viaStudent = q.dataSync();
    expect(Math.max(...direct.map((v, i) => Math.abs(v - viaStudent[i])))).to.be.below(1e-4);
    tf.dispose([x, q]);
    teachers.dispose();

    let error: unknown;
    await trainKwsModel(data, { ...small, seed: 1, teachers: [path.join(tmp, 'nowhere')] }, { quiet: true }).catch((e) => (error = e));
    expect((error as Error).message).to.include(path.join(tmp, 'nowhere'));
    const reversed = { ...data, labels: [...data.labels].reverse() };
    await trainKwsModel(reversed, { ...small, seed: 1, teachers: [teacherDir] }, { quiet: true }).catch((e) => (error = e));
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.include(
      `${path.join(teacherDir, 'kws.json')}: --teacher needs the labels of this run in the same order`,
    );
  });

  it("renormalises features from the student's normalisation to a teacher's: (x_s·σ_s + μ_s − μ_t) / σ_t", () => {
    const student = { mean: [1, -2], std: [2, 0.5] };
    const teacher = { mean: [0.5, 1], std: [4, 0.25] };
    const { scale, shift } = renormalization(student, teacher);
    for (const raw of [
      [3, 7],
      [-1, 0.25],
    ]) {
      const xs = raw.map((r, j) => (r - student.mean[j]) / student.std[j]);
      const xt = raw.map((r, j) => (r - teacher.mean[j]) / teacher.std[j]);
      xs.forEach((v, j) => expect(v * scale[j] + shift[j]).to.be.closeTo(xt[j], 1e-12));
    }
  });

  it('writes a model directory whose tfjs model and runtime reproduce the trained model', async () => {
    await writeTrained(modelDir);
    const config = loadModelConfig(modelDir);
    expect(config.params).to.equal(result.model.countParams());
    const batch = result.batcher.batch(data.clips.test.slice(0, 3), NO_AUGMENTATION, 1, 'roundtrip');
    const trained = predictBatch(result.tf, result.model, batch);
    const reloaded = predictBatch(result.tf, await loadTfjsModel(result.tf, modelDir), batch);
    let maxTf = 0;
    for (let i = 0; i < trained.length; i++) maxTf = Math.max(maxTf, Math.abs(trained[i] - reloaded[i]));
    expect(maxTf).to.be.below(1e-6);

    const runtime = new StreamingClassifier(loadRuntimeWeights(path.join(modelDir, config.files.runtime)));
    expect(maxRuntimeDifference(runtime, batch, trained)).to.be.below(1e-4);
  });

  const shapes: Array<[string, Omit<KwsModelOptions, 'inputDim' | 'numClasses'>, string[]]> = [
    [
      'a stack (layers 2): the readout below, an LMU layer over every frame above it',
      { ...small.model, dropout: 0, layers: 2 },
      ['lmu', 'lmu_2'],
    ],
    ['a low-rank hidden kernel (rank 4 of 12)', { ...small.model, dropout: 0, lmu: { ...small.model.lmu, hiddenRank: 4 } }, ['lmu']],
  ];
  for (const [name, model, lmuLayers] of shapes)
    it(`trains ${name}, the same as training the LMU layers themselves; the runtime reproduces it`, async () => {
      const recipe = { ...small, model, epochs: 2, seed: 4 };
      const viaMemory = await trainKwsModel(data, recipe, { quiet: true });
      const direct = await trainKwsModel(data, { ...recipe, precomputeMemory: false }, { quiet: true });
      expect(viaMemory.model.layers.map((l) => l.name).filter((n) => n.startsWith('lmu'))).to.deep.equal(lmuLayers);
      // the same model trained from the same start on the same batches, up to float32 summation order
      for (const [a, b] of viaMemory.history.map((h, i) => [h, direct.history[i]])) {
        expect(a.loss).to.be.closeTo(b.loss, 1e-3 * b.loss);
        expect(a.valLoss).to.be.closeTo(b.valLoss, 1e-3 * b.valLoss);
      }
      expect(viaMemory.history[1].trainLoss).to.be.below(viaMemory.history[0].trainLoss);
      const batch = viaMemory.batcher.batch(data.clips.test.slice(0, 3), NO_AUGMENTATION, 1, name);
      const runtime = new StreamingClassifier(exportRuntimeWeights(viaMemory.model));
      expect(maxRuntimeDifference(runtime, batch, predictBatch(viaMemory.tf, viaMemory.model, batch))).to.be.below(1e-4);
    });

  it('kws eval --json reports accuracy, per-class figures, FRR, FA/h, size', () => {
    const r = kws('eval', '--model', modelDir, '--data', dataDir, '--json', '--minutes', '3', '--figures', tmp);
    expect(r.status, r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout);
    for (const key of ['accuracy', 'perClass', 'frr', 'faPerHour', 'params', 'bytes', 'macsPerFrame', 'stateFloats', 'confusion', 'det'])
      expect(report).to.have.property(key);
    const matrix = report.confusion.matrix as number[][];
    const total = matrix.flat().reduce((a, b) => a + b, 0);
    expect(total).to.equal(report.clips);
    expect(report.accuracy).to.be.closeTo(matrix.reduce((s, row, i) => s + row[i], 0) / total, 1e-12);
    expect(Object.keys(report.perClass)).to.deep.equal(data.labels);
    expect(report.params).to.equal(result.model.countParams());
    expect(fs.readFileSync(path.join(tmp, 'det.svg'), 'utf8')).to.match(/^<svg/);
    expect(fs.readFileSync(path.join(tmp, 'confusion.svg'), 'utf8')).to.match(/^<svg/);
  });

  it('kws thresholds re-chooses the thresholds for a budget, writes kws.json, and a bigger budget never raises them', () => {
    const run = (fa: string) => {
      const r = kws(
        'thresholds',
        '--model',
        modelDir,
        '--data',
        dataDir,
        '--fa-per-hour',
        fa,
        '--minutes',
        '20',
        '--unknown-percent',
        '50',
        '--silence-percent',
        '30',
      );
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
    const v = loose.metrics!.validationStream!;
    expect(v.targetFaPerHour).to.equal(500);
    expect(v.command).to.match(/^kws thresholds --model /);
    expect(v.faPerHour).to.be.at.most(500);
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

  it("kws thresholds streams the validation split the training chose on (its --negatives too): the same budget gives the training's thresholds", async () => {
    const negatives = path.join(tmp, 'negatives');
    const voices = { validationPercent: 20, testingPercent: 20 };
    await synthesize({
      keywords: ['yes', 'no'],
      outDir: negatives,
      perWord: 0,
      unknownCount: 40,
      silenceCount: 8,
      seed: 5,
      backgroundSec: 5,
      jobs: 2,
      ...voices,
    });
    const model = path.join(tmp, 'with-negatives');
    // every _unknown_ clip of both folders in each split, so the negatives' are in the validation stream
    const budget = '--fa-per-hour 30 --unknown-percent 200 --silence-percent 30'.split(' ');
    const shape = '--coefficients 13 --order 12 --theta 60 --memory-d 2 --hidden 24 --head 16 --epochs 3 --lr 5e-3'.split(' ');
    const train = kws(
      'train',
      '--data',
      dataDir,
      '--negatives',
      negatives,
      '--out',
      model,
      ...shape,
      ...budget,
      '--threshold-minutes',
      '10',
      '--backend',
      'wasm',
    );
    expect(train.status, train.stderr).to.equal(0);
    const trained = loadModelConfig(model);
    const again = kws('thresholds', '--model', model, '--data', dataDir, '--minutes', '10', ...budget.slice(0, 2));
    expect(again.status, again.stderr).to.equal(0);
    const chosen = loadModelConfig(model);
    expect(chosen.smoother.thresholds).to.deep.equal(trained.smoother.thresholds);
    const { frr, faPerHour, perKeyword } = trained.metrics!.validationStream!;
    expect(chosen.metrics!.validationStream).to.deep.include({ frr, faPerHour, perKeyword });
  });

  describe('kws train and kws eval on a model that learnt nothing', () => {
    let bad: string;
    let train: ReturnType<typeof kws>;
    /** The network, its data and one epoch at a learning rate of 1e-6: the weights stay at their start. */
    const shape = ['--order', '8', '--memory-d', '2', '--hidden', '8', '--hidden-rank', '3', '--head', '0', '--layers', '2'];
    const briefly = ['--coefficients', '13', '--unknown-percent', '50', '--silence-percent', '30', '--epochs', '1', '--lr', '1e-6'];
    before(() => {
      bad = path.join(tmp, 'near-chance');
      train = kws(
        'train',
        '--data',
        dataDir,
        '--out',
        bad,
        ...shape,
        ...briefly,
        '--threshold-minutes',
        '3',
        '--word-span-weight',
        '0.3',
        '--gain',
        '-30,6',
        '--average-epochs',
        '2',
        '--backend',
        'wasm',
        '--strict',
      );
    });

    it('--strict: says plainly that the model is not usable, in one error line, and exits 1 after writing everything', () => {
      expect(train.status, train.stderr).to.equal(1);
      const errors = train.stderr.split('\n').filter((l) => l.startsWith('kws: '));
      expect(errors).to.have.length(1);
      expect(errors[0]).to.match(
        /^kws: model NOT usable \(validation\): validation clip accuracy [\d.]+ % is near chance \(25\.0 % for 4 classes/,
      );
      const config = loadModelConfig(bad);
      const verdict = (config.metrics!.verdict as Record<string, { usable: boolean; problems: string[] }>).validation;
      expect(verdict.usable).to.equal(false);
      expect(errors[0]).to.include(verdict.problems.join('; '));
    });

    it('prints progress lines for the long steps when stderr is not a terminal', () => {
      expect(train.stderr).to.match(/^reading clips: \d+ of \d+ clips$/m);
      expect(train.stderr).to.match(/^thresholds: validation stream: 0 of 0\.05 h$/m);
      expect(train.stderr).to.match(/^thresholds: search: 0 of \d+ thresholds$/m);
    });

    it('kws.json holds the per-epoch figures; the model card shows them, the learning curves, the verdict and train | validation | test', () => {
      const config = loadModelConfig(bad);
      expect(config.training!.wordSpanWeight).to.equal(0.3);
      expect(config.training!.config!.augmentation!.gainDb).to.deep.equal([-30, 6]);
      expect(config.training!.config!.averageEpochs).to.equal(2);
      const history = config.training!.history!;
      expect(history).to.have.length(1);
      for (const key of ['loss', 'trainAccuracy', 'trainLoss', 'valAccuracy', 'valLoss'] as const)
        expect(history[0][key], key).to.be.a('number');
      const card = fs.readFileSync(path.join(bad, 'README.md'), 'utf8');
      expect(card).to.include('**NOT usable** — validation: validation clip accuracy');
      expect(card).to.include('| | train | validation | test |');
      expect(card).to.include(
        `| clip accuracy | ${(100 * history[0].trainAccuracy).toFixed(1)} % | ${(100 * history[0].valAccuracy).toFixed(1)} % | not measured yet: run \`kws eval`,
      );
      expect(card).to.include('![learning curves](learning-curves.svg)');
      expect(card).to.include('gain -30…6 dB');
      expect(card).to.include('the weights measured and kept are a moving average over about 2 epochs');
      expect(card).to.include('kws train --data ' + dataDir);
      expect(fs.readFileSync(path.join(bad, 'learning-curves.svg'), 'utf8')).to.match(/^<svg/);
    });

    it('--layers 2 --hidden-rank 3: kws.json records the stack and its cost, runtime.json holds it (format /2, every layer factored), the card says so, kws detect runs it', () => {
      const config = loadModelConfig(bad);
      expect(config.training!.config!.model!.layers).to.equal(2);
      expect(config.lmu!.hiddenRank).to.equal(3);
      const weights = loadRuntimeWeights(path.join(bad, config.files.runtime));
      expect([weights.format, weights.lmuStack?.length]).to.deep.equal([RUNTIME_STACK_FORMAT, 1]);
      // layer 1 reads 2·8 memory + 13 coefficients, layer 2 2·8 memory + the 8 hidden units below
      expect([weights.lmu, ...weights.lmuStack!].map((l) => l.hiddenProjection?.shape.join('×'))).to.deep.equal(['29×3', '24×3']);
      expect([config.params, config.macsPerFrame, config.stateFloats]).to.deep.equal([
        paramCount(weights),
        macsPerFrame(weights),
        stateFloats(weights),
      ]);
      expect(config.stateFloats).to.equal(2 * 2 * 8); // two layers of memoryD 2 × order 8
      const card = fs.readFileSync(path.join(bad, 'README.md'), 'utf8');
      expect(card).to.match(/^- Network: 2 stacked LMU layers, each reading the one below \(each order 8, .*hiddenRank 3/m);
      expect(card).to.include(`state carried from frame to frame: **${config.stateFloats} floats**`);
      const detect = kws('detect', '--model', bad, '--threshold', `${config.keywords[0]}=0.3`, path.join(root, 'fixtures', 'demo.wav'));
      expect(detect.status, detect.stderr).to.equal(0);
    });

    it('--init: kws train starts from a model directory, records which in kws.json and says so in the card; another shape is one error line', () => {
      const tuned = path.join(tmp, 'tuned');
      const common = ['--data', dataDir, '--init', bad, ...briefly, '--threshold-minutes', '3', '--backend', 'wasm'];
      const r = kws('train', '--out', tuned, ...shape, ...common);
      expect(r.status, r.stderr).to.equal(0);
      const config = loadModelConfig(tuned);
      expect(config.training!.config!.initFrom).to.equal(path.resolve(bad));
      expect(config.normalization).to.deep.equal(loadModelConfig(bad).normalization);
      expect(fs.readFileSync(path.join(tuned, 'README.md'), 'utf8')).to.include(
        `- Started from the weights and feature normalisation of \`${path.resolve(bad)}\`, not from random weights`,
      );
      const wider = kws('train', '--out', path.join(tmp, 'wider'), ...shape.map((a) => (a === '8' ? '9' : a)), ...common);
      expect(wider.status).to.equal(1);
      expect(wider.stderr.split('\n').filter((l) => l.startsWith('kws: '))).to.have.length(1);
      expect(wider.stderr).to.match(
        new RegExp(`^kws: ${path.join(bad, 'model.json')}: weight \\d+ is .* --init needs the same network shape`, 'm'),
      );
    });

    it('--teacher: kws train distils from model directories, records them and α in kws.json and says so in the card; --distill-weight alone is one error line', () => {
      const student = path.join(tmp, 'student');
      const common = ['--data', dataDir, ...briefly, '--threshold-minutes', '3', '--backend', 'wasm'];
      const r = kws(
        'train',
        '--out',
        student,
        '--order',
        '8',
        '--hidden',
        '6',
        ...common,
        '--teacher',
        bad,
        '--teacher',
        bad,
        '--distill-weight',
        '0.7',
      );
      expect(r.status, r.stderr).to.equal(0);
      const cfg = loadModelConfig(student).training!.config!;
      expect([cfg.teachers, cfg.distillWeight]).to.deep.equal([[path.resolve(bad), path.resolve(bad)], 0.7]);
      expect(fs.readFileSync(path.join(student, 'README.md'), 'utf8')).to.include(
        `- Distilled from an ensemble of 2 teachers (\`${path.resolve(bad)}\`, \`${path.resolve(bad)}\`): 70.0 % of the loss`,
      );
      const alone = kws('train', '--out', path.join(tmp, 'alone'), ...common, '--distill-weight', '0.7');
      expect(alone.status).to.equal(1);
      expect(alone.stderr.split('\n').filter((l) => l.startsWith('kws: '))).to.deep.equal([
        'kws: --distill-weight weighs the teachers: it needs --teacher',
      ]);
    });

    it('--compression pcen (--pcen for other constants): kws.json records PCEN and its constants, the card names them, kws detect runs it; --init from a log model is one error line', () => {
      const pcen = path.join(tmp, 'pcen');
      const common = ['--data', dataDir, ...shape, ...briefly, '--threshold-minutes', '3', '--backend', 'wasm', '--compression', 'pcen'];
      const r = kws('train', '--out', pcen, ...common, '--pcen', 'smoothing=0.04, alpha=0.9');
      expect(r.status, r.stderr).to.equal(0);
      const config = loadModelConfig(pcen);
      expect([config.features.compression, config.features.pcen]).to.deep.equal(['pcen', { ...DEFAULT_PCEN, smoothing: 0.04, alpha: 0.9 }]);
      expect(config.training!.command).to.include('--compression pcen');
      const card = fs.readFileSync(path.join(pcen, 'README.md'), 'utf8');
      expect(card).to.match(/^- Features: 13 cepstral coefficients of PCEN-compressed mel energies .*PCEN s 0\.04, α 0\.9, δ 2, r 0\.5/m);
      const oneLine = (args: string[], message: string) => {
        const bad = kws('train', '--out', path.join(tmp, 'pcen-bad'), ...args);
        expect(bad.status).to.equal(1);
        expect(bad.stderr.split('\n').filter((l) => l.startsWith('kws: '))).to.deep.equal([`kws: ${message}`]);
      };
      oneLine(
        [...common, '--pcen', 'gain=2'],
        "--pcen: expected name=number with a name of smoothing, alpha, delta, root, epsilon, got 'gain=2'",
      );
      oneLine([...common, '--pcen', 'smoothing=2'], 'features.pcen.smoothing must be in (0, 1], got 2');
      oneLine([...common.slice(0, -2), '--pcen', 'alpha=0.9'], '--pcen sets PCEN constants: it needs --compression pcen');
      const detect = kws('detect', '--model', pcen, '--threshold', `${config.keywords[0]}=0.3`, path.join(root, 'fixtures', 'demo.wav'));
      expect(detect.status, detect.stderr).to.equal(0);
      const fromLog = kws('train', '--out', path.join(tmp, 'pcen-from-log'), '--init', bad, ...common);
      expect(fromLog.status).to.equal(1);
      expect(fromLog.stderr.split('\n').filter((l) => l.startsWith('kws: '))).to.deep.equal([
        `kws: ${path.join(bad, 'kws.json')}: --init needs this run's features; its compression is "log", this run's "pcen"`,
      ]);
      expect(kws('train', '--out', path.join(tmp, 'mp3'), ...common, '--compression', 'mp3').stderr).to.match(/--compression.*mp3/);
    });

    it('--front 5: kws.json records the front layer, runtime.json holds it (format /3, before the stack), the card says so, kws detect runs it; a rival has none', () => {
      const fronted = path.join(tmp, 'front');
      const common = ['--data', dataDir, ...shape, ...briefly, '--threshold-minutes', '3', '--backend', 'wasm'];
      const r = kws('train', '--out', fronted, ...common, '--front', '5');
      expect(r.status, r.stderr).to.equal(0);
      const config = loadModelConfig(fronted);
      expect(config.training!.config!.model!.frontUnits).to.equal(5);
      const weights = loadRuntimeWeights(path.join(fronted, config.files.runtime));
      expect([weights.format, weights.front?.map((d) => [d.activation, ...d.kernel.shape])]).to.deep.equal([
        RUNTIME_FRONT_FORMAT,
        [['relu', 13, 5]],
      ]);
      // the first layer's memory and hidden cell read the front's 5 values, not the 13 coefficients
      expect([weights.lmu.kernel.shape, weights.lmu.hiddenProjection!.shape]).to.deep.equal([
        [5, 2],
        [2 * 8 + 5, 3],
      ]);
      expect([config.params, config.macsPerFrame]).to.deep.equal([paramCount(weights), macsPerFrame(weights)]);
      const card = fs.readFileSync(path.join(fronted, 'README.md'), 'utf8');
      expect(card).to.match(/^- Network: dense 5 ReLU on each frame → 2 stacked LMU layers/m);
      const detect = kws('detect', '--model', fronted, '--threshold', `${config.keywords[0]}=0.3`, path.join(root, 'fixtures', 'demo.wav'));
      expect(detect.status, detect.stderr).to.equal(0);
      const rival = kws('train', '--out', path.join(tmp, 'front-gru'), '--data', dataDir, '--arch', 'gru', '--front', '5', ...briefly);
      expect(rival.status).to.equal(1);
      expect(rival.stderr.split('\n').filter((l) => l.startsWith('kws: '))).to.deep.equal([
        'kws: --front puts a layer before the LMU; --arch gru has none',
      ]);
    });

    it('kws eval records its figures in kws.json and the card, and --strict exits 1 on the unusable model', () => {
      const r = kws('eval', '--model', bad, '--data', dataDir, '--minutes', '3', '--strict');
      expect(r.status, r.stderr).to.equal(1);
      expect(r.stdout).to.match(/^model NOT usable \(test\): /m);
      expect(r.stderr).to.match(/^kws: model NOT usable \(test\): /m);
      expect(r.stderr).to.match(/^eval: detection stream: 0 of 0\.05 h$/m);
      const config = loadModelConfig(bad);
      const test = (config.metrics!.eval as Record<string, { accuracy: number; clips: number }>).test;
      expect(r.stdout).to.include(`test clips: ${test.clips}, accuracy ${(100 * test.accuracy).toFixed(1)}%`);
      const card = fs.readFileSync(path.join(bad, 'README.md'), 'utf8');
      expect(card).to.not.include('not measured yet');
      expect(card).to.match(new RegExp(`\\| clip accuracy \\| [\\d.]+ % \\| [\\d.]+ % \\| ${(100 * test.accuracy).toFixed(1)} % \\|`));
      expect(card).to.match(/\*\*NOT usable\*\* — validation: .*; test: /);
      // Without --strict the same verdict is a result, not an error.
      expect(kws('eval', '--model', bad, '--data', dataDir, '--minutes', '3', '--no-record').status).to.equal(0);
    });
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
