/**
 * `npm run bench` — how fast the spotter is, on this machine. Prints a report and writes it to
 * BENCHMARKS.md, keeping the sections other commands generate there (`npm run rivals`' table).
 * Not a test: numbers depend on the machine and its load.
 *
 * Phase 1 (no tfjs loaded, so peak RSS is the pipeline's own):
 *   - streaming classifier step, µs/frame (median, p99): the shipped model (models/default, or a
 *     random model of `kws train`'s default shape while none is trained) and order-64/256 variants;
 *   - MFCC µs/frame; whole pipeline (WAV read → MFCC → LMU → smoother) real-time factor on a
 *     generated 10-minute WAV; peak RSS.
 * Phase 2 (tfjs loaded; same weights on both sides):
 *   - streaming LMU step vs re-running the same model over a sliding 1 s window at every hop
 *     (plain TS runtime, and tfjs model.predict), vs running each frame through tfjs ops.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WaveFile } from 'wavefile';
import { openAudio } from '../src/audio/open';
import { DEFAULT_FEATURE_CONFIG, FeatureConfig, resolveFeatureConfig } from '../src/features/config';
import { MfccExtractor } from '../src/features/mfcc';
import { lmuMatrices } from '../src/lmu/matrices';
import { LmuOptions } from '../src/lmu/options';
import { StreamingClassifier } from '../src/lmu/runtime';
import { paramCount } from '../src/lmu/cost';
import { isInt8, Kernel, lmuLayers, lmuOptionsOf, RuntimeWeights } from '../src/lmu/weights';
import { loadRuntimeWeights } from '../src/model/runtimeFile';
import { loadModelConfig } from '../src/model/kwsJson';
import { DEFAULT_MODEL_DIR, KeywordSpotter } from '../src/pipeline/spotter';
import { Rng } from '../src/data/random';
import { LABELS, randomRuntimeWeights, wavNormalization, writeModelDir } from '../test/support/models';
import { summarize, Summary, timeEach, timeEachAsync } from './stats';
import { randomFrames, stepTiming } from './stepTiming';
import { machineLines, writeBenchmarks } from './benchmarksFile';

const ROOT = path.resolve(__dirname, '..');
/** `kws train`'s default shape (src/cli/commands/train.ts), used while no model is shipped. */
const STAND_IN = {
  lmu: { order: 48, theta: 100, memoryD: 6, hiddenUnits: 96, hiddenActivation: 'tanh', inputToHidden: true } as LmuOptions,
  head: [64],
  coefficients: 20,
};
const WINDOW_FRAMES = 100; // 1 s of 10 ms hops
const LONG_FILE_SEC = 600;

const fmt = (x: number, digits = 1) => x.toFixed(digits);
const ratio = (r: number) => fmt(r, r < 10 ? 1 : 0);
const lines: string[] = [];
function say(line = ''): void {
  lines.push(line);
  console.log(line);
}

function describeLmu(w: RuntimeWeights): string {
  const o = w.lmu;
  const layers = lmuLayers(w).length;
  return `${layers > 1 ? `${layers} LMU layers, each ` : ''}order ${o.order}, θ ${o.theta}, memoryD ${o.memoryD}, hidden ${o.hiddenUnits}${o.hiddenRank ? ` (rank ${o.hiddenRank})` : ''}, dense ${w.dense.map((d) => d.kernel.shape[1]).join('→')}`;
}

/** A sliding-window spotter: at every hop, reset and re-run the model over the last 1 s. */
function slidingTiming(w: RuntimeWeights, hops: number): Summary {
  const clf = new StreamingClassifier(w);
  const frames = randomFrames(256, w.inputSize);
  return summarize(
    timeEach(
      hops,
      (i) => {
        clf.reset();
        for (let k = 0; k < WINDOW_FRAMES; k++) clf.step(frames[(i + k) & 255]);
      },
      20,
    ),
  );
}

function mfccTiming(c: FeatureConfig): Summary {
  const rng = new Rng(3);
  const audio = Float32Array.from(
    { length: 10 * c.sampleRate },
    (_, n) => 0.3 * Math.sin(n * 0.05 + (0.001 * n * n) / c.sampleRate) + 0.05 * rng.normal(),
  );
  const mfcc = new MfccExtractor(c);
  const hops = audio.length / c.hop;
  const sink = () => undefined;
  // One hop of samples completes exactly one frame (after the first window fills).
  return summarize(timeEach(20000, (i) => mfcc.pushInto(audio.subarray((i % hops) * c.hop, ((i % hops) + 1) * c.hop), sink)));
}

/** Writes a 16 kHz mono 16-bit WAV of `seconds` by looping the fixtures (streamed to disk). */
function makeLongWav(seconds: number): string {
  const parts = ['demo.wav', 'sentences-a.wav', 'sentences-b.wav', 'noise-only.wav', 'no-keywords.wav'].map((f) => {
    const w = new WaveFile(fs.readFileSync(path.join(ROOT, 'fixtures', f)));
    return w.getSamples(false, Int16Array) as unknown as Int16Array;
  });
  const total = seconds * 16000;
  const header = new WaveFile();
  header.fromScratch(1, 16000, '16', new Int16Array(0));
  const head = Buffer.from(header.toBuffer());
  head.writeUInt32LE(36 + total * 2, 4);
  head.writeUInt32LE(total * 2, 40);
  const file = path.join(os.tmpdir(), `kws-bench-${seconds}s.wav`);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, head);
  for (let written = 0, k = 0; written < total; k++) {
    const p = parts[k % parts.length];
    const n = Math.min(p.length, total - written);
    fs.writeSync(fd, Buffer.from(p.buffer, p.byteOffset, n * 2));
    written += n;
  }
  fs.closeSync(fd);
  return file;
}

async function pipelineRtf(modelDir: string, wav: string): Promise<{ rtf: number; events: number; seconds: number }[]> {
  const spotter = await KeywordSpotter.load(modelDir);
  const runs = [];
  for (let r = 0; r < 3; r++) {
    let events = 0;
    const t0 = process.hrtime.bigint();
    for await (const _ of spotter.detect(await openAudio(wav))) events++;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    runs.push({ rtf: LONG_FILE_SEC / seconds, events, seconds });
  }
  return runs.sort((a, b) => a.rtf - b.rtf);
}

function tfjsNeedsFloat(): never {
  throw new Error('the tfjs per-frame bench runs float32 weights only');
}

/** One step of the same network as tfjs ops (what "running each frame through tfjs" costs). */
function tfjsStepper(tf: typeof import('@tensorflow/tfjs'), w: RuntimeWeights) {
  const o = w.lmu;
  if (o.hiddenToMemory || o.memoryToMemory || !o.hiddenKernel || !o.hiddenBias)
    throw new Error('tfjs per-frame bench expects an LMU with a hidden cell and no feedback');
  // the weights exported from the tfjs model: float32 by construction
  const t2 = (m: Kernel) => (isInt8(m) ? tfjsNeedsFloat() : tf.tensor(m.data, m.shape));
  const { A, B } = lmuMatrices(o.order, o.theta, o.discretizer);
  const At = tf.tensor2d(Float32Array.from(A), [o.order, o.order]).transpose();
  const Brow = tf.tensor2d(Float32Array.from(B), [1, o.order]);
  const K = t2(o.kernel) as import('@tensorflow/tfjs').Tensor2D;
  const Wh = t2(o.hiddenKernel) as import('@tensorflow/tfjs').Tensor2D;
  const P = o.hiddenProjection && (t2(o.hiddenProjection) as import('@tensorflow/tfjs').Tensor2D);
  const bh = t2(o.hiddenBias);
  const act = (name: string, x: import('@tensorflow/tfjs').Tensor2D) =>
    name === 'relu'
      ? tf.relu(x)
      : name === 'tanh'
        ? tf.tanh(x)
        : name === 'sigmoid'
          ? tf.sigmoid(x)
          : name === 'softmax'
            ? tf.softmax(x)
            : x;
  const dense = w.dense.map((d) => ({ W: t2(d.kernel) as import('@tensorflow/tfjs').Tensor2D, b: t2(d.bias), activation: d.activation }));
  let m = tf.keep(tf.zeros([o.memoryD, o.order])) as import('@tensorflow/tfjs').Tensor2D;
  return (frame: Float32Array): Float32Array => {
    const { next, out } = tf.tidy(() => {
      const x = tf.tensor2d(frame, [1, w.inputSize]);
      const u = tf.matMul(x, K).reshape([o.memoryD, 1]) as import('@tensorflow/tfjs').Tensor2D;
      const mNext = tf.keep(tf.add(tf.matMul(m, At), tf.matMul(u, Brow))) as import('@tensorflow/tfjs').Tensor2D;
      const hIn = (
        o.inputToHidden ? tf.concat([mNext.reshape([1, -1]), x], 1) : mNext.reshape([1, -1])
      ) as import('@tensorflow/tfjs').Tensor2D;
      let y = act(o.hiddenActivation, tf.add(tf.matMul(P ? tf.matMul(hIn, P) : hIn, Wh), bh));
      for (const d of dense) y = act(d.activation, tf.add(tf.matMul(y, d.W), d.b));
      return { next: mNext, out: y };
    });
    m.dispose();
    m = next;
    const post = out.dataSync() as Float32Array;
    out.dispose();
    return post;
  };
}

/** Training sequences per second at the shipped shape: the LMU layer as before vs precomputed memory + batch worker. */
async function trainingThroughput(w: RuntimeWeights): Promise<void> {
  const { EXPLORATION_CLIPS, ISSUE_SEQUENCES_PER_SEC, ISSUE_SHAPE, explorationThroughput, trainThroughput } =
    await import('./trainThroughput');
  const lmu = lmuOptionsOf(w.lmu);
  const shape = { lmu, headUnits: w.dense.length > 1 ? w.dense[0].kernel.shape[1] : 0, coefficients: w.inputSize };
  const clips = 256;
  const runs: Array<[string, boolean, boolean]> = [
    ['LMU layer in parallel (Toeplitz) mode, batches made before each step', false, false],
    ['readout on precomputed input memory, loss frames only', true, false],
    ['… and batches made in a worker thread during the step (both cores)', true, true],
  ];
  say(
    `## Training throughput (kws train's loop at the shipped shape: ${describeLmu(w)}; the second epoch of two, ${clips} 1.6 s sequences each, batch 32)`,
  );
  say();
  say('| training path | sequences/s | × first row |');
  say('|---|---:|---:|');
  let first = 0;
  for (const [name, precompute, worker] of runs) {
    const rate = await trainThroughput(shape, clips, precompute, worker);
    first ||= rate;
    say(`| ${name} | ${fmt(rate)} | ${ratio(rate / first)}× |`);
  }
  const { median, rates } = await explorationThroughput();
  say();
  say(
    `- Issue 14's exploration shape (order 16, memoryD 20, hidden 128 relu, head 64) with a real run's augmentation ` +
      `(noise p 0.6 at 0–20 dB, speed p 0.3, one time and one frequency mask, class balancing, word-span targets), ` +
      `kws train's path, the second epoch of two of ${EXPLORATION_CLIPS} sequences: median **${fmt(median)} sequences/s** (${rates.map((r) => fmt(r)).join(', ')}; 3 runs)`,
  );
  const issueClips = 512;
  const issueBefore = await trainThroughput(ISSUE_SHAPE, issueClips, false, false);
  const issueNow = await trainThroughput(ISSUE_SHAPE, issueClips, true, true);
  say(
    `- The shape issue 14 was filed at (order 32, memoryD 24, hidden 192, head 128), ${issueClips} 1.6 s sequences: ` +
      `${fmt(issueBefore)} sequences/s on the first row's path, **${fmt(issueNow)}** on kws train's — ` +
      `${ratio(issueNow / ISSUE_SEQUENCES_PER_SEC)}× the ${fmt(ISSUE_SEQUENCES_PER_SEC)} the issue measured (4 800 one-second sequences in 408 s, one core of a busy machine)`,
  );
}

async function main(): Promise<void> {
  const shipped = fs.existsSync(path.join(DEFAULT_MODEL_DIR, 'kws.json'));
  let shippedWeights: RuntimeWeights;
  let modelDir: string;
  if (shipped) {
    const cfg = loadModelConfig(DEFAULT_MODEL_DIR);
    shippedWeights = loadRuntimeWeights(path.join(DEFAULT_MODEL_DIR, cfg.files.runtime));
    modelDir = DEFAULT_MODEL_DIR;
  } else {
    shippedWeights = randomRuntimeWeights(STAND_IN.lmu, STAND_IN.coefficients, STAND_IN.head, LABELS.length);
    const normalization = await wavNormalization(STAND_IN.coefficients);
    modelDir = writeModelDir(path.join(os.tmpdir(), 'kws-bench-standin'), shippedWeights, { normalization });
  }
  const shippedName = shipped ? 'shipped (models/default)' : 'stand-in (random, kws train default shape; no models/default yet)';
  const variant = (order: number) => {
    const lmu = lmuOptionsOf(shippedWeights.lmu);
    const head = shippedWeights.dense.slice(0, -1).map((d) => d.kernel.shape[1]);
    return randomRuntimeWeights(
      { ...lmu, order },
      shippedWeights.inputSize,
      head,
      shippedWeights.dense[shippedWeights.dense.length - 1].kernel.shape[1],
    );
  };

  say('# Benchmarks');
  say();
  say(`Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.`);
  say();
  machineLines().forEach((line) => say(line));
  say();

  say('## Streaming classifier step (µs per 10 ms frame)');
  say();
  say('| model | params | state bytes | median µs | p99 µs |');
  say('|---|---:|---:|---:|---:|');
  const models: Array<[string, RuntimeWeights, number]> = [
    [`${shippedName}: ${describeLmu(shippedWeights)}`, shippedWeights, 20000],
    [`order 64 variant: ${describeLmu(variant(64))}`, variant(64), 20000],
    [`order 256 variant: ${describeLmu(variant(256))}`, variant(256), 5000],
  ];
  for (const [name, w, n] of models) {
    const s = stepTiming(w, n);
    say(`| ${name} | ${paramCount(w)} | ${new StreamingClassifier(w).stateBytes} | ${fmt(s.median)} | ${fmt(s.p99)} |`);
  }
  say();

  const fc = shipped ? loadModelConfig(DEFAULT_MODEL_DIR).features : DEFAULT_FEATURE_CONFIG;
  const mf = mfccTiming(fc);
  say('## Front end and whole pipeline');
  say();
  say(
    `- MFCC (${shipped ? "the shipped model's" : 'default'} config: ${fc.windowSize}-sample window, FFT ${fc.fftSize}, ${fc.melBands} mel bands, ${fc.coefficients} coefficients): median ${fmt(mf.median, 2)} µs/frame, p99 ${fmt(mf.p99, 2)} µs/frame`,
  );
  const pcen = mfccTiming(resolveFeatureConfig({ ...fc, compression: 'pcen' }));
  say(
    `- The same with PCEN instead of the log (\`--compression pcen\`, models/wakewords' features): median ${fmt(pcen.median, 2)} µs/frame, p99 ${fmt(pcen.p99, 2)} µs/frame`,
  );
  const wav = makeLongWav(LONG_FILE_SEC);
  const runs = await pipelineRtf(modelDir, wav);
  const best = runs[runs.length - 1];
  const med = runs[1];
  say(
    `- Whole pipeline (\`spotter.detect(openAudio(wav))\`: WAV read, MFCC, normalise, LMU step, smoother) on a ${LONG_FILE_SEC / 60}-minute ` +
      `16 kHz WAV looped from fixtures/, ${shippedName}: median **${fmt(med.rtf, 0)}× real time** (${fmt(med.seconds, 2)} s; best ${fmt(best.rtf, 0)}×, 3 runs)`,
  );
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  say(`- Peak RSS of the process up to here (no tfjs loaded): ${fmt(rssMiB)} MiB`);
  fs.rmSync(wav, { force: true });
  say();

  // Phase 2: tfjs, same weights on both sides.
  const { initTf } = await import('../src/lmu/tf/backend');
  const { tf, backend } = await initTf(undefined, { quiet: true });
  let tfModel: import('@tensorflow/tfjs').LayersModel;
  if (shipped) {
    const { loadTfjsModel } = await import('../src/model/tfjsFiles');
    await import('../src/lmu/tf/layer');
    tfModel = await loadTfjsModel(tf, DEFAULT_MODEL_DIR);
  } else {
    const { buildKwsModel } = await import('../src/lmu/tf/model');
    const { returnSequences: _r, ...lmu } = STAND_IN.lmu;
    tfModel = buildKwsModel({ inputDim: STAND_IN.coefficients, numClasses: LABELS.length, lmu, headUnits: STAND_IN.head[0], mode: 'auto' });
  }
  const { exportRuntimeWeights } = await import('../src/lmu/tf/export');
  const same = exportRuntimeWeights(tfModel);
  const streaming = stepTiming(same, 20000);
  const sliding = slidingTiming(same, 300);
  const frames = randomFrames(256, same.inputSize);
  let tfPerFrame: Summary | string;
  try {
    const tfStep = tfjsStepper(tf, same);
    tfPerFrame = summarize(timeEach(300, (i) => tfStep(frames[i & 255]), 30));
  } catch (err) {
    tfPerFrame = `n/a: ${(err as Error).message}`;
  }
  const windowTensor = tf.tensor3d(
    Float32Array.from(
      { length: WINDOW_FRAMES * same.inputSize },
      (_, i) => frames[Math.floor(i / same.inputSize) & 255][i % same.inputSize],
    ),
    [1, WINDOW_FRAMES, same.inputSize],
  );
  const tfSliding = summarize(
    await timeEachAsync(40, async () => {
      const y = tfModel.predict(windowTensor) as import('@tensorflow/tfjs').Tensor;
      await y.data();
      y.dispose();
    }),
  );
  say(`## Streaming LMU vs the alternatives (${shippedName}; tfjs backend: ${backend})`);
  say();
  say('Per 10 ms hop, to produce posteriors for the newest frame. Ratio = cost / streaming LMU cost (medians).');
  say();
  say('| method | median µs/hop | p99 µs/hop | × streaming |');
  say('|---|---:|---:|---:|');
  const row = (name: string, s: Summary | string) =>
    say(
      typeof s === 'string'
        ? `| ${name} | ${s} | | |`
        : `| ${name} | ${fmt(s.median)} | ${fmt(s.p99)} | ${ratio(s.median / streaming.median)}× |`,
    );
  say(`| **streaming LMU** (runtime.ts, one step per frame) | ${fmt(streaming.median)} | ${fmt(streaming.p99)} | 1× |`);
  row(`sliding 1 s window, same runtime (reset + ${WINDOW_FRAMES} steps per hop)`, sliding);
  row(`sliding 1 s window, tfjs model.predict on [1, ${WINDOW_FRAMES}, ${same.inputSize}] per hop`, tfSliding);
  row('each frame through tfjs ops (one step as matMul/add/tanh/softmax + dataSync)', tfPerFrame);
  say();
  say('Targets: ≤ 30 µs per classifier step for the shipped model; ≥ 500× real time for the whole pipeline on one core.');
  say();
  await trainingThroughput(shippedWeights);

  writeBenchmarks(lines);
  console.error('\nwrote BENCHMARKS.md');
}

main().catch((err) => {
  console.error(`bench failed: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
