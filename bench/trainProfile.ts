/**
 * Where a training epoch's time goes, stage by stage, at the shape and augmentation of a real
 * exploration run (EXPLORATION_SHAPE, REAL_RUN_AUGMENTATION): each stage is timed on its own in
 * this one process, as ms per sequence, and scaled to an epoch of `--epoch` sequences with
 * `--measure` measured clips. The stages are those of SequenceBatcher.batch and trainer.ts, called
 * as they call them; the composition's parts are timed on typical inputs, times how often a
 * sequence needs them. Last, one real epoch through trainKwsModel, for the sum to be checked.
 *
 *     npx tsx bench/trainProfile.ts [--clips 128] [--epoch 2100] [--measure 1400]
 */
import { parseArgs } from 'util';
import { resolveFeatureConfig, INT16_SAMPLE_SCALE } from '../src/features/config';
import { featureStatistics, makeNormalizer } from '../src/features/normalize';
import { MfccExtractor } from '../src/features/mfcc';
import { lmuMatrices } from '../src/lmu/matrices';
import { buildKwsTrainingModel } from '../src/lmu/tf/model';
import { initTf } from '../src/lmu/tf/backend';
import { changeSpeed, mixAtSnr, normalizeRms, randomSegment } from '../src/data/augment';
import { composeSequence, featuresInto, frameTargets, maskFeatures, NO_AUGMENTATION } from '../src/data/sequence';
import { Rng, rngFor } from '../src/data/random';
import { SequenceBatcher } from '../src/data/clips';
import { batchMemory, lossRows } from '../src/data/lossRows';
import { BatchWorker } from '../src/data/batchWorker';
import { measureBatch, modelInputs, trainStep } from '../src/train/trainer';
import { generatedData } from './generatedData';
import { meanMs } from './stats';
import { EXPLORATION_SHAPE, REAL_RUN_AUGMENTATION, REAL_RUN_BALANCE, REAL_RUN_WORD_SPAN, trainThroughput } from './trainThroughput';

const { values } = parseArgs({
  options: {
    clips: { type: 'string', default: '128' },
    epoch: { type: 'string', default: '2100' },
    measure: { type: 'string', default: '1400' },
  },
});
const CLIPS = Number(values.clips);
const EPOCH = Number(values.epoch);
const MEASURE = Number(values.measure);
const BATCH = 32;

async function main(): Promise<void> {
  const shape = EXPLORATION_SHAPE;
  const aug = REAL_RUN_AUGMENTATION;
  const features = resolveFeatureConfig({ coefficients: shape.coefficients, sampleScale: INT16_SAMPLE_SCALE });
  const data = generatedData(CLIPS, 1, CLIPS, REAL_RUN_WORD_SPAN);
  const clips = data.clips.train;
  const batcher = new SequenceBatcher(data, features, null);
  const raw = batcher.batch(clips, NO_AUGMENTATION, 1, 'stats');
  const F = features.coefficients;
  const norm = featureStatistics(
    (function* () {
      for (let i = 0; i < raw.size * raw.frames; i++) yield raw.x.subarray(i * F, (i + 1) * F);
    })(),
    F,
  );
  batcher.setNormalizer(makeNormalizer(norm, F));
  batcher.balanceClasses(clips, 1, REAL_RUN_BALANCE);
  const matrices = lmuMatrices(shape.lmu.order, shape.lmu.theta);
  const { layout, background } = data;
  const total = layout.leadInSamples + layout.clipSamples + layout.tailSamples;
  const T = batcher.frames;
  const rows: Array<[string, number]> = [];

  // --- composition, whole and in parts (each part × how many times a sequence needs it)
  const composed = clips.map((c, b) => composeSequence(c, layout, aug, background, rngFor(1, 'p', b)));
  rows.push(['composeSequence (all of it)', meanMs(CLIPS, (b) => composeSequence(clips[b], layout, aug, background, rngFor(1, 'p', b)))]);
  const rng = new Rng(7);
  // warmed up over every speed ratio (~40), as a run is after its first few batches
  const speed = meanMs(128, () => changeSpeed(clips[0].samples, rng.uniform(aug.speed![0], aug.speed![1])), 200);
  rows.push([`  changeSpeed (${speed.toFixed(2)} ms/call × p ${aug.speedProb})`, speed * aug.speedProb!]);
  const segment = meanMs(256, () => randomSegment(background[0], total, rng));
  rows.push(['  randomSegment of the background (every sequence)', segment]);
  const noise = meanMs(256, () => mixAtSnr(clips[0].samples, randomSegment(background[0], layout.clipSamples, rng), 10));
  rows.push([`  noise: randomSegment + mixAtSnr (${noise.toFixed(2)} ms × p ${aug.noiseProb})`, noise * aug.noiseProb]);
  rows.push(['  normalizeRms of the background', meanMs(256, () => normalizeRms(composed[0].audio, 0.01))]);

  // --- features, masks, targets, as SequenceBatcher.batch runs them
  const extractor = new MfccExtractor(features);
  const normalize = makeNormalizer(norm, F);
  const x = new Float32Array(T * F);
  rows.push(['featuresInto (MFCC + normalise)', meanMs(CLIPS, (b) => featuresInto(composed[b].audio, extractor, normalize, x))]);
  const clipEnd = layout.leadInSamples + layout.clipSamples;
  rows.push([
    'maskFeatures + frameTargets',
    meanMs(CLIPS, (b) => {
      maskFeatures(x, T, F, aug, rngFor(1, 'm', b));
      frameTargets(clips[b], composed[b].word, T, clipEnd, features.hop, features.windowSize, data.silence, null, data.wordSpanWeight);
    }),
  ]);
  const batches = Math.floor(CLIPS / BATCH);
  const made = Array.from({ length: batches }, (_, s) => batcher.batch(clips.slice(s * BATCH, (s + 1) * BATCH), aug, 1, `b${s}`));
  const whole = meanMs(batches, (s) => batcher.batch(clips.slice(s * BATCH, (s + 1) * BATCH), aug, 1, `b${s}`)) / BATCH;
  rows.push(['SequenceBatcher.batch, whole (the above + targets into y, w)', whole]);
  const rowsOnly = made.map((b) => lossRows(b, matrices));
  rows.push(['lossRows (input memory of the loss rows)', meanMs(batches, (s) => lossRows(made[s], matrices)) / BATCH]);
  const lossFraction = rowsOnly.reduce((n, r) => n + r.frames, 0) / (batches * BATCH * T);

  // --- the tfjs step and the per-epoch measurement
  const { tf, backend } = await initTf(undefined, { quiet: true });
  const model = buildKwsTrainingModel({
    inputDim: F,
    numClasses: data.labels.length,
    lmu: shape.lmu,
    headUnits: shape.headUnits,
    dropout: 0.1,
  });
  const optimizer = tf.train.adam(1e-3);
  trainStep(tf, model, optimizer, rowsOnly[0], matrices, 0);
  let t0 = process.hrtime.bigint();
  for (let s = 0; s < batches; s++) trainStep(tf, model, optimizer, rowsOnly[s], matrices, 0);
  const step = Number(process.hrtime.bigint() - t0) / 1e6 / (batches * BATCH);
  rows.push([`tfjs trainStep (${backend}; ${(100 * lossFraction).toFixed(0)} % of frames carry loss)`, step]);
  // --- the worker: a batch made there while the main thread is idle, then as trainer.ts runs it
  // (batch s + 1 made while step s trains): the time the main thread waits for batches
  const worker = new BatchWorker(data, features, norm, batcher.classWeightsInUse(), { matrices, lossRowsOnly: true });
  const indices = clips.map((_, i) => i);
  const request = (s: number, salt: string) => worker.request(indices.slice(s * BATCH, (s + 1) * BATCH), aug, 1, `${salt}${s}`);
  await request(0, 'warm');
  t0 = process.hrtime.bigint();
  for (let s = 0; s < batches; s++) await request(s, 'b');
  const roundTrip = Number(process.hrtime.bigint() - t0) / 1e6 / (batches * BATCH);
  rows.push(['worker round trip (batch + lossRows in the worker, transfer), idle main thread', roundTrip]);
  let waited = 0n;
  t0 = process.hrtime.bigint();
  let next = request(0, 'p');
  for (let s = 0; s < batches; s++) {
    const w0 = process.hrtime.bigint();
    const batch = await next;
    waited += process.hrtime.bigint() - w0;
    if (s + 1 < batches) next = request(s + 1, 'p');
    trainStep(tf, model, optimizer, batch, matrices, 0);
  }
  const pipelined = Number(process.hrtime.bigint() - t0) / 1e6 / (batches * BATCH);
  await worker.close();
  rows.push(['pipelined worker + trainStep, as trainer.ts runs them', pipelined]);
  rows.push(['  of which the main thread waits for the worker', Number(waited) / 1e6 / (batches * BATCH)]);
  const measured = batcher.batch(data.clips.validation, NO_AUGMENTATION, 1, 'validation');
  measured.memory = batchMemory(measured, matrices, 0, measured.size);
  const inputs = (b: typeof measured, from: number, n: number) => modelInputs(tf, b, from, n, matrices);
  measureBatch(tf, model, measured, data.silence, inputs);
  t0 = process.hrtime.bigint();
  measureBatch(tf, model, measured, data.silence, inputs);
  const measureMs = Number(process.hrtime.bigint() - t0) / 1e6 / measured.size;
  model.dispose();

  // --- one real epoch, worker on (kws train's path)
  const rate = await trainThroughput(shape, CLIPS, true, true, aug);

  const say = (name: string, perSeq: number, scale = EPOCH) =>
    console.log(`| ${name} | ${perSeq.toFixed(3)} | ${((perSeq * scale) / 1000).toFixed(1)} |`);
  console.log(`${CLIPS} generated sequences of ${T} frames; epoch = ${EPOCH} sequences + measurement of ${MEASURE} clips`);
  console.log('| stage | ms / sequence | s / epoch |');
  console.log('|---|---:|---:|');
  for (const [name, ms] of rows) say(name, ms);
  say(`measureBatch (per measured clip, × ${MEASURE})`, measureMs, MEASURE);
  console.log(
    `one real epoch of ${CLIPS} sequences through trainKwsModel (worker on): ${(1000 / rate).toFixed(2)} ms/sequence (${rate.toFixed(1)} seq/s)`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
