/**
 * LMU training speed: parallel (Toeplitz matmul) vs recurrent mode, and the Toeplitz matmul vs
 * an FFT convolution for the memory at T ≈ 100.
 *
 *     npx tsx bench/lmuTrain.ts [--backend wasm|cpu|node] [--T 100] [--batch 32] [--order 64] [--hidden 128]
 */
import { parseArgs } from 'util';
import type * as tfTypes from '@tensorflow/tfjs';
import { impulseResponse, lmuMatrices } from '../src/lmu/matrices';
import { buildKwsModel } from '../src/lmu/tf/model';
import { initTf, TfBackendName } from '../src/lmu/tf/backend';

const { values } = parseArgs({
  options: {
    backend: { type: 'string' },
    T: { type: 'string', default: '100' },
    batch: { type: 'string', default: '32' },
    order: { type: 'string', default: '64' },
    hidden: { type: 'string', default: '128' },
    steps: { type: 'string', default: '5' },
  },
});
const T = Number(values.T);
const batch = Number(values.batch);
const order = Number(values.order);
const steps = Number(values.steps);
const hidden = Number(values.hidden);

/** Median wall time (ms) of fn over `reps` runs after one warm-up. */
async function timeIt(reps: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

async function trainStepMs(tf: typeof tfTypes, mode: 'parallel' | 'recurrent'): Promise<number> {
  const model = buildKwsModel({
    inputDim: 20,
    numClasses: 12,
    headUnits: 64,
    mode,
    lmu: { order, theta: 100, memoryD: 4, hiddenUnits: hidden },
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const x = tf.randomNormal([batch, T, 20]);
  const y = tf.oneHot(tf.randomUniform([batch, T], 0, 12, 'int32'), 12).toFloat();
  const ms = await timeIt(steps, () => model.trainOnBatch(x, y));
  tf.dispose([x, y]);
  model.dispose();
  return ms;
}

/** Forward + backward of the memory convolution alone, [R, T] → [R, T, order]. */
async function convMs(tf: typeof tfTypes, how: 'matmul' | 'fft'): Promise<number> {
  try {
    return await convMsUnguarded(tf, how);
  } catch (err) {
    console.log(`  ${how}: not available on this backend (${(err as Error).message.split('\n')[0]})`);
    return NaN;
  }
}

async function convMsUnguarded(tf: typeof tfTypes, how: 'matmul' | 'fft'): Promise<number> {
  const R = batch * 4;
  const H = impulseResponse(lmuMatrices(order, 100), T);
  const u = tf.randomNormal([R, T]);
  let f: (u: tfTypes.Tensor2D) => tfTypes.Tensor;
  if (how === 'matmul') {
    const W = new Float32Array(T * T * order);
    for (let s = 0; s < T; s++)
      for (let t = s; t < T; t++) W.set(H.subarray((t - s) * order, (t - s + 1) * order), s * T * order + t * order);
    const Wt = tf.tensor2d(W, [T, T * order]);
    f = (x) => tf.matMul(x, Wt).reshape([R, T, order]);
  } else {
    const Hk = new Float32Array(order * 2 * T); // [order, 2T], H transposed and zero-padded
    for (let t = 0; t < T; t++) for (let i = 0; i < order; i++) Hk[i * 2 * T + t] = H[t * order + i];
    const Hf = tf.spectral.rfft(tf.tensor2d(Hk, [order, 2 * T])); // [order, T+1] complex
    f = (x) => {
      const uf = tf.spectral
        .rfft(
          tf.pad(x, [
            [0, 0],
            [0, T],
          ]),
        )
        .reshape([R, 1, T + 1]);
      const prod = tf.mul(uf, Hf.reshape([1, order, T + 1]));
      return tf.spectral.irfft(prod).slice([0, 0, 0], [R, order, T]).transpose([0, 2, 1]);
    };
  }
  const g = tf.grad((x: tfTypes.Tensor) =>
    f(x as tfTypes.Tensor2D)
      .square()
      .sum(),
  );
  return timeIt(steps, () => tf.tidy(() => g(u as tfTypes.Tensor2D).dataSync()));
}

(async () => {
  const { tf, backend } = await initTf(values.backend as TfBackendName | undefined);
  console.log(`backend ${backend}; T=${T}, batch=${batch}, order=${order}, memoryD=4, hidden=${hidden}, head=64, 12 classes`);
  const conv = { matmul: await convMs(tf, 'matmul'), fft: await convMs(tf, 'fft') };
  console.log(`memory convolution fwd+bwd: matmul ${conv.matmul.toFixed(1)} ms, fft ${conv.fft.toFixed(1)} ms`);
  const par = await trainStepMs(tf, 'parallel');
  const rec = await trainStepMs(tf, 'recurrent');
  console.log(
    `train step (trainOnBatch): parallel ${par.toFixed(1)} ms, recurrent ${rec.toFixed(1)} ms → speed-up ×${(rec / par).toFixed(1)}`,
  );
})();
