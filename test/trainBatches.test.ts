import { expect } from 'chai';
import { resolveFeatureConfig } from '../src/features/config';
import { featureStatistics } from '../src/features/normalize';
import { makeNormalizer } from '../src/features/normalize';
import { lmuMatrices } from '../src/lmu/matrices';
import { BatchWorker } from '../src/data/batchWorker';
import { LabelledClip } from '../src/data/sequence';
import { Rng } from '../src/data/random';
import { Batch, SequenceBatcher, TrainingData } from '../src/data/clips';
import { batchMemory, lossRows, MemoryInputs, withInputMemory } from '../src/data/lossRows';

const RATE = 16000;

/** Four classes of tone bursts with known word spans, and noise as background. */
function toyData(): TrainingData {
  const rng = new Rng(5);
  const clip = (label: number): LabelledClip => {
    const samples = new Float32Array(RATE / 2);
    for (let i = 1000; i < 5000; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * (300 + 200 * label) * i) / RATE) + 0.02 * rng.normal();
    return { samples, label, word: label === 3 ? null : { start: 1000, end: 5000 } };
  };
  const train = Array.from({ length: 12 }, (_, i) => clip(i % 4));
  const noise = [Float32Array.from({ length: 2 * RATE }, () => 0.01 * rng.normal())];
  return {
    dataset: {} as TrainingData['dataset'],
    labels: ['a', 'b', '_unknown_', '_silence_'],
    silence: 3,
    clips: { train, validation: [], test: [] },
    background: noise,
    noise,
    speech: { train: [], validation: [], test: [] },
    files: { noise: [''], speech: { train: [], validation: [], test: [] } },
    layout: { leadInSamples: 1600, clipSamples: RATE / 2, tailSamples: 1600 },
    wordSpanWeight: 0.3, // the worker must carry it: its batches are compared with the main thread's
    warnings: [],
  };
}

describe('training batches: loss rows and the batch worker', function () {
  this.timeout(60000);
  const features = resolveFeatureConfig({ coefficients: 8 });
  const matrices = lmuMatrices(6, 30);
  const aug = { maxShift: 400, noiseProb: 0.5, snrDb: [5, 20] as [number, number], gainDb: [-6, 3] as [number, number] };
  let data: TrainingData;
  let batcher: SequenceBatcher;
  let normalization: ReturnType<typeof featureStatistics>;

  before(() => {
    data = toyData();
    batcher = new SequenceBatcher(data, features, null);
    const raw = batcher.batch(data.clips.train, aug, 1, 'stats');
    const F = features.coefficients;
    normalization = featureStatistics(
      (function* () {
        for (let i = 0; i < raw.size * raw.frames; i++) yield raw.x.subarray(i * F, (i + 1) * F);
      })(),
      F,
    );
    batcher.setNormalizer(makeNormalizer(normalization, F));
    batcher.balanceClasses(data.clips.train, 1, 0.5);
  });

  it('lossRows keeps exactly the frames with weight > 0, with their memory, features and targets', () => {
    const batch = batcher.batch(data.clips.train.slice(0, 5), aug, 1, 'rows');
    const rows = lossRows(batch, matrices);
    const F = features.coefficients;
    const C = data.labels.length;
    const order = matrices.B.length;
    const kept = [...batch.w.keys()].filter((i) => batch.w[i] > 0);
    expect(kept.length).to.be.greaterThan(0).and.below(batch.w.length); // some frames carry no loss
    expect(rows.frames).to.equal(kept.length);
    const memory = batchMemory(batch, matrices, 0, batch.size);
    kept.forEach((i, r) => {
      expect(rows.w[r]).to.equal(batch.w[i]);
      expect([...rows.x.subarray(r * F, (r + 1) * F)]).to.deep.equal([...batch.x.subarray(i * F, (i + 1) * F)]);
      expect([...rows.y.subarray(r * C, (r + 1) * C)]).to.deep.equal([...batch.y.subarray(i * C, (i + 1) * C)]);
      expect([...rows.memory!.subarray(r * F * order, (r + 1) * F * order)]).to.deep.equal([
        ...memory.subarray(i * F * order, (i + 1) * F * order),
      ]);
    });
  });

  const modes: Array<[string, MemoryInputs | null]> = [
    ['whole sequences', null],
    ['loss rows with memory', { matrices, lossRowsOnly: true }],
    ['whole sequences with memory, for a stack', { matrices, lossRowsOnly: false }],
  ];
  for (const [name, memory] of modes) {
    it(`the worker makes the very batch the main thread makes (${name})`, async () => {
      const worker = new BatchWorker(data, features, normalization, batcher.classWeightsInUse(), memory);
      try {
        const picks = [7, 2, 11, 0];
        const local = batcher.batch(
          picks.map((i) => data.clips.train[i]),
          aug,
          9,
          'e1b0',
        );
        const expected: Batch = memory ? withInputMemory(local, memory) : local;
        const got = await worker.request(picks, aug, 9, 'e1b0');
        for (const key of ['x', 'y', 'w', 'memory'] as const) {
          expect(got[key] ? [...got[key]!] : undefined, key).to.deep.equal(expected[key] ? [...expected[key]!] : undefined);
        }
        expect([got.size, got.frames]).to.deep.equal([expected.size, expected.frames]);
      } finally {
        await worker.close();
      }
    });
  }

  it('the worker makes the very batch the main thread makes with running speech (before words, and whole sequences)', async () => {
    const rng = new Rng(8);
    const talk = Float32Array.from({ length: 6 * RATE }, () => 0.05 * rng.normal());
    const running = { samples: new Float32Array(0), label: 2, word: null, running: true };
    const withSpeech: TrainingData = {
      ...data,
      layout: { ...data.layout, leadInSamples: RATE },
      clips: { ...data.clips, train: [...data.clips.train, running] },
      speech: { train: [talk], validation: [], test: [] },
    };
    const local = new SequenceBatcher(withSpeech, features, makeNormalizer(normalization, features.coefficients));
    const speechAug = { ...aug, speechBeforeProb: 1 };
    const worker = new BatchWorker(withSpeech, features, normalization, null, null);
    try {
      const picks = [12, 0, 3];
      const expected = local.batch(
        picks.map((i) => withSpeech.clips.train[i]),
        speechAug,
        3,
        'e2b1',
      );
      const got = await worker.request(picks, speechAug, 3, 'e2b1');
      for (const key of ['x', 'y', 'w'] as const) expect([...got[key]], key).to.deep.equal([...expected[key]]);
      // y marks the allowed classes: "no keyword" = _unknown_ (class 2) or _silence_ (class 3);
      // "this word or no keyword" adds the clip's label (data.wordSpanWeight > 0)
      const rowsWith = (b: number, allowed: number[]) =>
        [...Array(got.frames).keys()].filter((t) => {
          const row = (b * got.frames + t) * 4;
          return [0, 1, 2, 3].every((c) => got.y[row + c] === (allowed.includes(c) ? 1 : 0));
        }).length;
      expect(rowsWith(0, [2, 3]), 'the running-speech sequence').to.be.above(got.frames - 15);
      expect(rowsWith(1, [2, 3]), 'speech before a word').to.be.above(10);
      expect(rowsWith(1, [0, 2, 3]), 'the word (label 0) and the frames after it fires').to.be.above(10);
      expect(rowsWith(2, [2, 3]), 'a clip with no word (no speech goes before it)').to.equal(0);
    } finally {
      await worker.close();
    }
  });

  it("the worker carries a hard negative's weight: the very frame weights the main thread makes", async () => {
    const weighted: TrainingData = {
      ...data,
      clips: { ...data.clips, train: [...data.clips.train, { ...data.clips.train[2], weight: 2.5 }] },
    };
    const local = new SequenceBatcher(weighted, features, makeNormalizer(normalization, features.coefficients));
    local.setClassWeights(batcher.classWeightsInUse());
    const worker = new BatchWorker(weighted, features, normalization, batcher.classWeightsInUse(), null);
    try {
      const got = await worker.request([12, 2], aug, 4, 'hard');
      const expected = local.batch([weighted.clips.train[12], weighted.clips.train[2]], aug, 4, 'hard');
      expect([...got.w]).to.deep.equal([...expected.w]);
      expect(got.w.slice(0, got.frames).reduce((a, b) => a + b, 0)).to.be.above(0);
    } finally {
      await worker.close();
    }
  });

  it('withInputMemory: the loss rows for one layer, every frame with its memory for a stack', () => {
    const batch = batcher.batch(data.clips.train.slice(0, 3), aug, 1, 'inputs');
    expect(withInputMemory(batch, { matrices, lossRowsOnly: true })).to.deep.equal(lossRows(batch, matrices));
    const whole = withInputMemory(batch, { matrices, lossRowsOnly: false });
    expect([whole.size, whole.frames, whole.x, whole.y, whole.w]).to.deep.equal([batch.size, batch.frames, batch.x, batch.y, batch.w]);
    expect([...whole.memory!]).to.deep.equal([...batchMemory(batch, matrices, 0, batch.size)]);
  });

  it("a failing request rejects with the worker's error instead of hanging", async () => {
    const worker = new BatchWorker(data, features, normalization, null, null);
    try {
      let error: Error | null = null;
      await worker.request([999], aug, 1, 'bad').catch((e: Error) => {
        error = e;
      });
      expect(error).to.be.instanceOf(Error);
      expect(String(error)).to.match(/batch worker/);
    } finally {
      await worker.close();
    }
  });
});
