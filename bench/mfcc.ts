/**
 * µs per 10 ms frame: Meyda.extract('mfcc') (the definition) vs MfccExtractor (the fast path,
 * including framing). Median over many batches after a warm-up. Run: npx tsx bench/mfcc.ts
 */
import Meyda from 'meyda';
import { DEFAULT_FEATURE_CONFIG } from '../src/features/config';
import { MfccExtractor } from '../src/features/mfcc';

export interface MfccBench {
  meydaUsPerFrame: number;
  fastUsPerFrame: number;
  /** push(): the same plus a fresh Float32Array per frame. */
  pushUsPerFrame: number;
  speedup: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Median over `batches` of the time per call of `run(batch)`, which does `perBatch` frames. */
function usPerFrame(batches: number, perBatch: number, run: (batch: number) => void): number {
  for (let b = 0; b < Math.min(10, batches); b++) run(b); // warm-up: let the JIT settle
  const times: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    run(b);
    times.push(Number(process.hrtime.bigint() - t0) / 1e3 / perBatch);
  }
  return median(times);
}

export function benchMfcc(): MfccBench {
  const c = DEFAULT_FEATURE_CONFIG;
  const framesPerBatch = 100;
  const batchSamples = framesPerBatch * c.hop;
  // 10 s of a tone sweep plus noise: every frame has real spectral content.
  const signal = Float32Array.from({ length: 10 * c.sampleRate }, (_, n) => {
    const t = n / c.sampleRate;
    return 0.4 * Math.sin(2 * Math.PI * (200 + 300 * t) * t) + 0.05 * (Math.random() * 2 - 1);
  });
  const batchesInSignal = Math.floor(signal.length / batchSamples);

  const m = Meyda as unknown as Record<string, unknown> & { extract(f: string, s: Float32Array): number[] };
  Object.assign(m, { bufferSize: c.fftSize, sampleRate: c.sampleRate, melBands: c.melBands, numberOfMFCCCoefficients: c.coefficients });
  const buffers = Array.from({ length: 200 }, (_, i) => {
    const b = new Float32Array(c.fftSize);
    b.set(signal.subarray(i * c.hop, i * c.hop + c.windowSize));
    return b;
  });
  let sink = 0;
  const meydaPerBatch = 20;
  const meydaUs = usPerFrame(60, meydaPerBatch, (batch) => {
    for (let i = 0; i < meydaPerBatch; i++) sink += m.extract('mfcc', buffers[(batch * meydaPerBatch + i) % buffers.length])[0];
  });

  const extractor = new MfccExtractor(c);
  const onFrame = (f: Float32Array) => {
    sink += f[0];
  };
  const fastUs = usPerFrame(500, framesPerBatch, (batch) => {
    const start = (batch % batchesInSignal) * batchSamples;
    extractor.pushInto(signal.subarray(start, start + batchSamples), onFrame);
  });
  const pushUs = usPerFrame(500, framesPerBatch, (batch) => {
    const start = (batch % batchesInSignal) * batchSamples;
    sink += extractor.push(signal.subarray(start, start + batchSamples)).length;
  });
  if (!Number.isFinite(sink)) throw new Error('benchmark produced a non-finite MFCC');
  return { meydaUsPerFrame: meydaUs, fastUsPerFrame: fastUs, pushUsPerFrame: pushUs, speedup: meydaUs / fastUs };
}

if (require.main === module) {
  const r = benchMfcc();
  console.log(`Meyda.extract('mfcc')   ${r.meydaUsPerFrame.toFixed(1)} µs/frame`);
  console.log(`MfccExtractor.pushInto  ${r.fastUsPerFrame.toFixed(2)} µs/frame  (${r.speedup.toFixed(0)}× faster; budget 15 µs)`);
  console.log(`MfccExtractor.push      ${r.pushUsPerFrame.toFixed(2)} µs/frame  (allocates each returned frame)`);
}
