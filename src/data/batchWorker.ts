/**
 * Makes training batches in a worker thread, so that composing sequences, the MFCC and the
 * input memory (one core) run beside the tfjs step (the other core) instead of before it.
 *
 * The worker gets the training clips and the background once, in SharedArrayBuffers (no copy
 * per batch), and builds every batch with the same SequenceBatcher and seeds as the main thread
 * would: a batch is a function of (clips, augmentation, seed, salt), wherever it is made.
 */
import * as path from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { FeatureConfig, FeatureNormalization } from '../features/config';
import { makeNormalizer } from '../features/normalize';
import { Augmentation, LabelledClip } from './sequence';
import { Batch, SequenceBatcher, TrainingData } from './clips';
import { MemoryInputs, withInputMemory } from './lossRows';

interface SharedClips {
  samples: Float32Array; // views of one SharedArrayBuffer
  clips: { offset: number; length: number; label: number; word: LabelledClip['word']; running?: boolean; weight?: number }[];
  background: { offset: number; length: number }[];
  /** The training speakers' running speech (speech before words, running-speech sequences). */
  speech: { offset: number; length: number }[];
}

interface Setup {
  shared: SharedClips;
  labels: string[];
  silence: number;
  layout: TrainingData['layout'];
  wordSpanWeight: number;
  features: FeatureConfig;
  normalization: FeatureNormalization;
  classWeights: Float64Array | null;
  memory: MemoryInputs | null;
}

interface Request {
  id: number;
  clips: number[];
  aug: Augmentation;
  seed: number;
  salt: string;
}

/** Copies the training clips, background and training speech into one SharedArrayBuffer. */
function share(data: TrainingData): SharedClips {
  const all = [...data.clips.train.map((c) => c.samples), ...data.background, ...data.speech.train];
  const total = all.reduce((n, a) => n + a.length, 0);
  const samples = new Float32Array(new SharedArrayBuffer(total * 4));
  let offset = 0;
  const place = (a: Float32Array) => {
    samples.set(a, offset);
    offset += a.length;
    return { offset: offset - a.length, length: a.length };
  };
  const clips = data.clips.train.map((c) => ({ ...place(c.samples), label: c.label, word: c.word, running: c.running, weight: c.weight }));
  const background = data.background.map(place);
  const speech = data.speech.train.map(place);
  return { samples, clips, background, speech };
}

/** The TrainingData a worker's SequenceBatcher needs: the shared clips, as views. */
function unshare(s: Setup): { data: TrainingData; clips: LabelledClip[] } {
  const view = ({ offset, length }: { offset: number; length: number }) => s.shared.samples.subarray(offset, offset + length);
  const clips = s.shared.clips.map((c) => ({ samples: view(c), label: c.label, word: c.word, running: c.running, weight: c.weight }));
  const background = s.shared.background.map(view);
  const data = {
    labels: s.labels,
    silence: s.silence,
    layout: s.layout,
    wordSpanWeight: s.wordSpanWeight,
    background,
    speech: { train: s.shared.speech.map(view), validation: [], test: [] },
    clips: { train: clips, validation: [], test: [] },
  } as unknown as TrainingData;
  return { data, clips };
}

/** The batch a request asks for (withInputMemory of it for the readout). */
function make(batcher: SequenceBatcher, clips: LabelledClip[], memory: MemoryInputs | null, r: Request): Batch {
  const batch = batcher.batch(
    r.clips.map((i) => clips[i]),
    r.aug,
    r.seed,
    r.salt,
  );
  return memory ? withInputMemory(batch, memory) : batch;
}

function buffersOf(b: Batch): ArrayBuffer[] {
  return [b.x, b.y, b.w, b.labels, ...(b.memory ? [b.memory] : [])].map((a) => a.buffer as ArrayBuffer);
}

/** Batches made by one worker thread; `request` resolves with the batch for those clips. */
export class BatchWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (b: Batch) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(
    data: TrainingData,
    features: FeatureConfig,
    normalization: FeatureNormalization,
    classWeights: Float64Array | null,
    memory: MemoryInputs | null,
  ) {
    const setup: Setup = {
      shared: share(data),
      labels: data.labels,
      silence: data.silence,
      layout: data.layout,
      wordSpanWeight: data.wordSpanWeight,
      features,
      normalization,
      classWeights,
      memory,
    };
    // Under tsx (tests, `kws` from the sources) the worker needs the TypeScript loader too.
    const execArgv = __filename.endsWith('.ts') ? ['--require', require.resolve('tsx/cjs')] : [];
    this.worker = new Worker(path.join(__dirname, path.basename(__filename)), { workerData: setup, execArgv });
    this.worker.on('message', (m: { id: number; batch?: Batch; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.batch) p?.resolve(m.batch);
      else p?.reject(new Error(`batch worker: ${m.error}`));
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`batch worker exited with code ${code}`));
    });
  }

  /** The batch of train clips `clips` (indices into data.clips.train). */
  request(clips: number[], aug: Augmentation, seed: number, salt: string): Promise<Batch> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, clips, aug, seed, salt } satisfies Request);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

if (!isMainThread && parentPort) {
  const setup = workerData as Setup;
  const { data, clips } = unshare(setup);
  const batcher = new SequenceBatcher(data, setup.features, makeNormalizer(setup.normalization, setup.features.coefficients));
  batcher.setClassWeights(setup.classWeights);
  const port = parentPort;
  port.on('message', (r: Request) => {
    try {
      const batch = make(batcher, clips, setup.memory, r);
      port.postMessage({ id: r.id, batch }, buffersOf(batch));
    } catch (err) {
      port.postMessage({ id: r.id, error: (err as Error).message });
    }
  });
}
