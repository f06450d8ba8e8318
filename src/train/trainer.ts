/**
 * Trains the per-frame LMU classifier (src/lmu/tf/model.ts) — or one of its rivals in the LMU's
 * place (src/rivals/tf/model.ts), through everything below unchanged — on a data folder and writes
 * a model directory. The loss is the frame-weighted cross-entropy of sequence.ts's targets,
 * each a set S[b,t] of allowed classes (one class, or "no keyword", or "this word or no keyword"):
 *
 *     L = Σ_{b,t} w[b,t] · (−log Σ_{c∈S[b,t]} p[b,t,c]) / Σ_{b,t} w[b,t]
 *
 * Adam with a one-epoch linear warm-up then cosine decay of the learning rate; validation clip
 * accuracy (clipScore.ts) after every epoch; early stopping after `patience` epochs without
 * improvement, keeping the best weights — or, with `averageEpochs`, the best of a moving average of
 * the weights (weightAverage.ts), which is then what is measured every epoch. The weights start
 * random, or with `initFrom` as another model directory's (initialWeights.ts). With `teachers`, the
 * loss also pulls toward trained models' mean posteriors on the same batch (teachers.ts). Every epoch re-draws
 * shifts, gains and noise, seeded by (seed, epoch), so runs are reproducible and epochs differ.
 *
 * After every epoch the model is also measured, without augmentation or dropout, on the
 * validation split and on a fixed sample of training clips (the same clips every epoch, at most
 * TRAIN_MEASURE_CLIPS): clip accuracy and the loss L above. Side by side they show underfitting
 * (both low) and overfitting (train far above validation) — the running loss of the augmented
 * batches cannot, since augmentation and dropout make it a different quantity.
 */
import { concatFloat32 } from '../arrays';
import type * as tfTypes from '@tensorflow/tfjs';
import { EpochRecord } from '../model/records';
import { FeatureConfig, FeatureNormalization } from '../features/config';
import { featureStatistics, makeNormalizer } from '../features/normalize';
import { LmuMatrices, lmuMatrices } from '../lmu/matrices';
import { buildKwsModel, buildKwsTrainingModel, KwsModelOptions } from '../lmu/tf/model';
import { lmuCanRunParallel, resolveLmuOptions } from '../lmu/options';
import { initTf, TfBackendName } from '../lmu/tf/backend';
import { clipDecision } from '../eval/clipScore';
import { Augmentation, NO_AUGMENTATION } from '../data/sequence';
import { OnProgress, ProgressStep } from '../progress';
import { Rng, rngFor } from '../data/random';
import { Batch, SequenceBatcher, TrainingData } from '../data/clips';
import { batchMemory, withInputMemory } from '../data/lossRows';
import { BatchWorker } from '../data/batchWorker';
import { BatchQueue } from './batchQueue';
import { averageDecay, WeightAverage } from './weightAverage';
import { RivalOptions } from '../rivals/options';
import { buildRivalModel } from '../rivals/tf/model';
import { matchingModelConfig, setInitialWeights } from './initialWeights';
import { softNll, Teachers } from './teachers';

export interface TrainConfig {
  features: FeatureConfig;
  model: Omit<KwsModelOptions, 'inputDim' | 'numClasses'>;
  /**
   * Train this network in the LMU's place (model.lmu and model.layers are then unused;
   * model.headUnits and model.dropout apply to it): the same data, loss, schedule and measurement.
   */
  rival?: RivalOptions;
  epochs: number;
  batchSize: number;
  learningRate: number;
  patience: number;
  seed: number;
  augmentation: Augmentation;
  /** L2 penalty λ·Σ‖W‖² over the weight matrices (not biases), added to the loss; 0 = none. */
  weightDecay?: number;
  /**
   * Measure and keep an exponential moving average of the weights over about this many epochs
   * (weightAverage.ts) instead of the weights of the last step; 0 or absent = none.
   */
  averageEpochs?: number;
  /** Class balancing of the frame weights (SequenceBatcher.balanceClasses); 0 = none. */
  balancePower?: number;
  /**
   * A model directory to start from (initialWeights.ts): its weights instead of random ones, its
   * feature normalisation instead of the training clips' statistics.
   */
  initFrom?: string;
  backend?: TfBackendName;
  /** Train the readout on precomputed input memory when the LMU allows (default true; false = the LMU layer itself, for comparison). */
  precomputeMemory?: boolean;
  /** Make batches in a worker thread beside the tfjs step (default true). */
  batchWorker?: boolean;
  /** Model directories whose mean posteriors the student also learns (teachers.ts). */
  teachers?: string[];
  /** α of teachers.ts: the share of the loss that is distillation (default DEFAULT_DISTILL_WEIGHT). */
  distillWeight?: number;
}

/** Half the loss from the teachers: they carry the target's information and their confidence besides. */
export const DEFAULT_DISTILL_WEIGHT = 0.5;

/** What trainStep distils from: the teachers and α. */
export interface Distillation {
  teachers: Teachers;
  weight: number;
}

/** Training clips measured after every epoch: enough for a figure to ±3 points, cheap beside an epoch. */
export const TRAIN_MEASURE_CLIPS = 1000;

/**
 * Batches a batch worker makes ahead of the step (BatchQueue): enough to keep it busy through an
 * epoch's measurement (≈ 15 batches' worth of worker time at issue 14's exploration shape), at
 * ≈ 7 MB each.
 */
const BATCHES_AHEAD = 16;

export interface TrainResult {
  tf: typeof tfTypes;
  backend: string;
  model: tfTypes.LayersModel;
  normalization: FeatureNormalization;
  history: EpochRecord[];
  bestEpoch: number;
  valAccuracy: number;
  batcher: SequenceBatcher;
}

export interface TrainHooks {
  /** After every batch: fraction of the epoch done and the running loss. */
  onBatch?(epoch: number, fraction: number, loss: number): void;
  onEpoch?(report: EpochRecord): void;
  /** Progress of the steps before the first epoch (features for normalisation and measurement). */
  onProgress?: OnProgress;
  quiet?: boolean;
}

/** The steps before the first epoch, as onProgress names them. */
export const NORMALISATION_STEP: ProgressStep = { name: 'normalisation', unit: 'clips' };
export const MEASURE_FEATURES_STEP: ProgressStep = { name: 'measurement features', unit: 'clips' };

/** Learning rate at `step` of `total` (warm-up over `warmup` steps, then cosine to 5 %). */
export function learningRateAt(base: number, step: number, warmup: number, total: number): number {
  if (step < warmup) return (base * (step + 1)) / warmup;
  const progress = Math.min(1, (step - warmup) / Math.max(1, total - warmup));
  return base * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * progress)));
}

/** Normalization statistics from un-augmented training sequences (at most `limit` of them). */
function normalizationOf(
  data: TrainingData,
  batcher: SequenceBatcher,
  seed: number,
  onProgress: OnProgress,
  limit = 600,
): FeatureNormalization {
  const clips = new Rng(seed).shuffle(data.clips.train).slice(0, limit);
  const batch = batcher.batch(clips, NO_AUGMENTATION, seed, 'stats', (done, total) => onProgress(NORMALISATION_STEP, done, total));
  const F = batcher.coefficients;
  const frames = function* () {
    for (let i = 0; i < batch.size * batch.frames; i++) yield batch.x.subarray(i * F, (i + 1) * F);
  };
  return featureStatistics(frames(), F);
}

/**
 * Trains with every random draw seeded: data order and augmentation use Rng streams of `seed`,
 * and tfjs's own draws (weight initialisation, dropout masks) — which take Math.random when no
 * seed is given — see a seeded generator for the duration of the call. Same seed, data and
 * backend → the same weights.
 */
export async function trainKwsModel(data: TrainingData, cfg: TrainConfig, hooks: TrainHooks = {}): Promise<TrainResult> {
  const { tf } = await initTf(cfg.backend, { quiet: hooks.quiet });
  const teachers = cfg.teachers?.length ? await Teachers.load(tf, cfg.teachers, data.labels, cfg.features) : null;
  const systemRandom = Math.random;
  const rng = rngFor(cfg.seed, 'tfjs');
  Math.random = () => rng.next();
  try {
    return await train(tf, data, cfg, hooks, teachers);
  } finally {
    Math.random = systemRandom;
    teachers?.dispose();
  }
}

async function train(
  tf: typeof tfTypes,
  data: TrainingData,
  cfg: TrainConfig,
  hooks: TrainHooks,
  teachers: Teachers | null,
): Promise<TrainResult> {
  const backend = tf.getBackend();
  const onProgress = hooks.onProgress ?? (() => undefined);
  const batcher = new SequenceBatcher(data, cfg.features, null);
  const initial = cfg.initFrom ? matchingModelConfig(cfg.initFrom, data.labels, cfg.features) : null;
  const normalization = initial?.normalization ?? normalizationOf(data, batcher, cfg.seed, onProgress);
  batcher.setNormalizer(makeNormalizer(normalization, cfg.features.coefficients));
  if (cfg.balancePower) batcher.balanceClasses(data.clips.train, cfg.seed, cfg.balancePower);

  const modelOptions = { ...cfg.model, inputDim: cfg.features.coefficients, numClasses: data.labels.length };
  const lmu = resolveLmuOptions(cfg.model.lmu);
  // Without memory feedback the memory of each input is computed once per sequence (inputMemory.ts)
  // and the first layer is trained as its readout: the same model, without that layer's memory
  // convolution in the graph. Alone it needs only the loss rows; a stack above it, every frame.
  // A rival trains on the plain features; behind a front layer the memory depends on the weights.
  const precompute = !cfg.rival && !cfg.model.frontUnits && lmuCanRunParallel(lmu) && cfg.precomputeMemory !== false;
  const memory = precompute ? lmuMatrices(lmu.order, lmu.theta, lmu.discretizer) : null;
  const memoryInputs = memory && { matrices: memory, lossRowsOnly: (cfg.model.layers ?? 1) === 1 };
  const model = cfg.rival
    ? buildRivalModel(cfg.rival, modelOptions)
    : memory
      ? buildKwsTrainingModel(modelOptions)
      : buildKwsModel(modelOptions);
  if (cfg.initFrom) await setInitialWeights(tf, model, cfg.initFrom);
  const inputs = (batch: Batch, from: number, n: number) => modelInputs(tf, batch, from, n, memory);
  teachers?.readFrom(normalization);
  const distill: Distillation | null = teachers && { teachers, weight: cfg.distillWeight ?? DEFAULT_DISTILL_WEIGHT };
  const optimizer = tf.train.adam(cfg.learningRate);
  const stepsPerEpoch = Math.ceil(data.clips.train.length / cfg.batchSize);
  const totalSteps = stepsPerEpoch * cfg.epochs;
  const trainIndices = data.clips.train.map((_, i) => i);
  const orders = new Map<number, number[]>();
  const orderOf = (epoch: number) => {
    if (!orders.has(epoch)) orders.set(epoch, rngFor(cfg.seed, 'order', epoch).shuffle(trainIndices));
    return orders.get(epoch)!;
  };
  /** Batch `position` of the run: step s of epoch e, both counted from the run's first. */
  const makeBatch = (position: number) => {
    const epoch = Math.floor(position / stepsPerEpoch) + 1;
    const s = position % stepsPerEpoch;
    const clips = orderOf(epoch).slice(s * cfg.batchSize, (s + 1) * cfg.batchSize);
    if (s + 1 === stepsPerEpoch) orders.delete(epoch);
    const salt = `e${epoch}b${s}`;
    if (worker) return worker.request(clips, cfg.augmentation, cfg.seed, salt);
    const made = batcher.batch(
      clips.map((i) => data.clips.train[i]),
      cfg.augmentation,
      cfg.seed,
      salt,
    );
    return Promise.resolve(memoryInputs ? withInputMemory(made, memoryInputs) : made);
  };
  const worker =
    (cfg.batchWorker ?? true) ? new BatchWorker(data, cfg.features, normalization, batcher.classWeightsInUse(), memoryInputs) : null;
  try {
    const queue = new BatchQueue(makeBatch, totalSteps, worker ? BATCHES_AHEAD : 2);
    if (worker) queue.fill(0); // the worker starts on epoch 1 while the measurement features are made
    const trainSample = rngFor(cfg.seed, 'train-measure').shuffle(data.clips.train).slice(0, TRAIN_MEASURE_CLIPS);
    const measured = trainSample.length + data.clips.validation.length;
    const measureProgress = (offset: number) => (done: number) => onProgress(MEASURE_FEATURES_STEP, offset + done, measured);
    const validation = batcher.batch(data.clips.validation, NO_AUGMENTATION, cfg.seed, 'validation', measureProgress(0));
    const trainMeasure = batcher.batch(trainSample, NO_AUGMENTATION, cfg.seed, 'train-measure', measureProgress(validation.size));
    // The measured batches are unaugmented, so their input memory is the same every epoch.
    if (memory) for (const b of [validation, trainMeasure]) b.memory = batchMemory(b, memory, 0, b.size);
    return await epochs(queue, validation, trainMeasure);
  } finally {
    await worker?.close();
  }

  async function epochs(queue: BatchQueue, validation: Batch, trainMeasure: Batch): Promise<TrainResult> {
    const history: EpochRecord[] = [];
    let best = { accuracy: -1, loss: Infinity, epoch: 0, weights: [] as tfTypes.Tensor[] };
    let step = 0;
    const average = cfg.averageEpochs ? new WeightAverage(tf, model, averageDecay(cfg.averageEpochs, stepsPerEpoch)) : null;
    /** What is measured and kept: the averaged weights when averaging, else the trained ones. */
    const asKept = <T>(f: () => T): T => (average ? average.measure(f) : f());
    for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
      const started = Date.now();
      let lossSum = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        const batch = await queue.take(step); // the ones after it are made while this step trains
        (optimizer as unknown as { learningRate: number }).learningRate = learningRateAt(
          cfg.learningRate,
          step++,
          stepsPerEpoch,
          totalSteps,
        );
        const loss = trainStep(tf, model, optimizer, batch, memory, cfg.weightDecay ?? 0, distill);
        average?.update();
        lossSum += loss;
        hooks.onBatch?.(epoch, (s + 1) / stepsPerEpoch, lossSum / (s + 1));
      }
      const { valAccuracy, valLoss, trainAccuracy, trainLoss, weights } = asKept(() => {
        const val = measureBatch(tf, model, validation, data.silence, inputs);
        const trn = measureBatch(tf, model, trainMeasure, data.silence, inputs);
        const better = val.accuracy > best.accuracy;
        return {
          valAccuracy: val.accuracy,
          valLoss: val.loss,
          trainAccuracy: trn.accuracy,
          trainLoss: trn.loss,
          weights: better ? model.getWeights().map((w) => w.clone()) : null,
        };
      });
      const improved = weights !== null;
      if (improved) {
        best.weights.forEach((w) => w.dispose());
        best = { accuracy: valAccuracy, loss: lossSum / stepsPerEpoch, epoch, weights };
      }
      const report: EpochRecord = {
        epoch,
        epochs: cfg.epochs,
        loss: lossSum / stepsPerEpoch,
        trainAccuracy,
        trainLoss,
        trainClips: trainMeasure.size,
        valAccuracy,
        valLoss,
        learningRate: (optimizer as unknown as { learningRate: number }).learningRate,
        seconds: (Date.now() - started) / 1000,
        best: improved,
      };
      history.push(report);
      hooks.onEpoch?.(report);
      if (epoch - best.epoch >= cfg.patience) break;
    }
    average?.dispose();
    const trained = memory ? buildKwsModel(modelOptions) : model;
    trained.setWeights(best.weights);
    best.weights.forEach((w) => w.dispose());
    if (trained !== model) model.dispose();
    return { tf, backend, model: trained, normalization, history, bestEpoch: best.epoch, valAccuracy: best.accuracy, batcher };
  }
}

/** What the model takes for clips [from, from + n) of a batch: features, or [memory, features]. */
type InputsOf = (batch: Batch, from: number, n: number) => tfTypes.Tensor | tfTypes.Tensor[];

/** Features [n, T, F] of clips [from, from + n) and, with `matrices`, their input memory first. */
export function modelInputs(
  tf: typeof tfTypes,
  batch: Batch,
  from: number,
  n: number,
  matrices: LmuMatrices | null,
): tfTypes.Tensor | tfTypes.Tensor[] {
  const T = batch.frames;
  const F = batch.x.length / (batch.size * T);
  const x = tf.tensor3d(batch.x.subarray(from * T * F, (from + n) * T * F), [n, T, F]);
  if (!matrices) return x;
  const memory =
    batch.memory?.subarray(from * T * F * matrices.B.length, (from + n) * T * F * matrices.B.length) ??
    batchMemory(batch, matrices, from, n);
  return [tf.tensor3d(memory, [n, T, F * matrices.B.length]), x];
}

/**
 * One Adam step on the frame-weighted cross-entropy −w·log Σ_c y_c p_c (y: the target's set of
 * classes), mixed with the teachers' soft cross-entropy when distilling; returns the batch loss.
 */
export function trainStep(
  tf: typeof tfTypes,
  model: tfTypes.LayersModel,
  optimizer: tfTypes.Optimizer,
  batch: Batch,
  matrices: LmuMatrices | null,
  weightDecay: number,
  distill: Distillation | null = null,
): number {
  const C = batch.y.length / (batch.size * batch.frames);
  return tf.tidy(() => {
    const x = modelInputs(tf, batch, 0, batch.size, matrices);
    const y = tf.tensor3d(batch.y, [batch.size, batch.frames, C]);
    const w = tf.tensor2d(batch.w, [batch.size, batch.frames]);
    const features = (Array.isArray(x) ? x[x.length - 1] : x) as tfTypes.Tensor3D;
    const q = distill ? distill.teachers.posteriors(features) : null;
    const cost = optimizer.minimize(() => {
      const p = model.apply(x, { training: true }) as tfTypes.Tensor3D;
      const target = setNll(tf, y, p);
      const nll = q ? tf.add(tf.mul(1 - distill!.weight, target), tf.mul(distill!.weight, softNll(tf, q, p))) : target;
      const loss = tf.div(tf.sum(tf.mul(nll, w)), tf.add(tf.sum(w), 1e-6)) as tfTypes.Scalar;
      if (weightDecay === 0) return loss;
      // weight matrices and convolution kernels, not biases or batch-norm scales
      const matrices = model.trainableWeights.filter((v) => v.shape.length >= 2).map((v) => tf.sum(tf.square(v.read())));
      return tf.add(loss, tf.mul(weightDecay, tf.addN(matrices))) as tfTypes.Scalar;
    }, true);
    return cost!.dataSync()[0];
  });
}

/** −log Σ_c y_c p_c over the last axis: the cross-entropy of a target that allows the classes y marks. */
export function setNll(tf: typeof tfTypes, y: tfTypes.Tensor, p: tfTypes.Tensor): tfTypes.Tensor {
  return tf.neg(tf.log(tf.add(tf.sum(tf.mul(y, p), -1), 1e-7)));
}

/** Frame posteriors of a batch through the tfjs model, in chunks to bound memory. */
export function predictBatch(tf: typeof tfTypes, model: tfTypes.LayersModel, batch: Batch, inputs?: InputsOf, chunk = 128): Float32Array {
  const parts: Float32Array[] = [];
  for (let i = 0; i < batch.size; i += chunk) {
    const n = Math.min(chunk, batch.size - i);
    const out = tf.tidy(() => {
      const x = inputs ? inputs(batch, i, n) : modelInputs(tf, batch, i, n, null);
      return (model.predict(x) as tfTypes.Tensor).dataSync() as Float32Array;
    });
    parts.push(out);
  }
  return concatFloat32(parts);
}

/**
 * One prediction of an unaugmented batch, two figures: the fraction of clips whose clipDecision
 * equals their label, and the frame-weighted cross-entropy L of trainStep (dropout off).
 */
export function measureBatch(
  tf: typeof tfTypes,
  model: tfTypes.LayersModel,
  batch: Batch,
  silence: number,
  inputs?: InputsOf,
): { accuracy: number; loss: number } {
  if (batch.size === 0) return { accuracy: 0, loss: 0 };
  const p = predictBatch(tf, model, batch, inputs);
  const C = p.length / (batch.size * batch.frames);
  let correct = 0;
  for (let b = 0; b < batch.size; b++) {
    const rows = p.subarray(b * batch.frames * C, (b + 1) * batch.frames * C);
    if (clipDecision(rows, batch.frames, C, silence) === batch.labels[b]) correct++;
  }
  let weighted = 0;
  let weights = 0;
  for (let i = 0; i < batch.size * batch.frames; i++) {
    let allowed = 0;
    for (let c = 0; c < C; c++) allowed += batch.y[i * C + c] * p[i * C + c];
    weighted += -Math.log(allowed + 1e-7) * batch.w[i];
    weights += batch.w[i];
  }
  return { accuracy: correct / batch.size, loss: weighted / (weights + 1e-6) };
}
