import { expect } from 'chai';
import { ConfigError } from '../src/errors';
import { DEFAULT_FEATURE_CONFIG, FeatureConfig, resolveFeatureConfig } from '../src/features/config';
import { MfccExtractor } from '../src/features/mfcc';
import { Rng } from '../src/data/random';
import { espeakWord, extractAll, meydaFrames, meydaMfcc, speechLike, worstRelativeError } from './support/features';

const C = DEFAULT_FEATURE_CONFIG;
const TOL = 1e-4;

function expectMatchesMeyda(x: Float32Array, config: Partial<FeatureConfig> = {}): number {
  const c = resolveFeatureConfig(config);
  const ours = new MfccExtractor(c).push(x);
  const theirs = meydaFrames(x, c);
  expect(ours.length).to.equal(theirs.length);
  expect(ours.length).to.be.greaterThan(0);
  let worst = 0;
  ours.forEach((f, n) => {
    const e = worstRelativeError(f, theirs[n]);
    if (!(e <= TOL)) expect.fail(`frame ${n}: relative error ${e} > ${TOL}\nours   ${Array.from(f)}\nmeyda  ${theirs[n]}`);
    worst = Math.max(worst, e);
  });
  return worst;
}

describe('MfccExtractor equals Meyda.extract("mfcc") frame by frame', () => {
  it('on a speech-like signal (vibrato harmonics, formants, noise bursts, near-silence)', () => {
    expectMatchesMeyda(speechLike(2, C.sampleRate, 7));
  });

  it('on a word spoken by espeak-ng', () => {
    const word = espeakWord('computer', C.sampleRate);
    expect(word.length).to.be.greaterThan(C.sampleRate / 4);
    expectMatchesMeyda(word);
  });

  it('with other configurations (20 coefficients of 26 bands; 8 kHz, 256-point FFT, 200-sample window)', () => {
    const x = speechLike(1, 16000, 3);
    expectMatchesMeyda(x, { melBands: 26, coefficients: 20 });
    expectMatchesMeyda(speechLike(1, 8000, 4), {
      sampleRate: 8000,
      fftSize: 256,
      windowSize: 200,
      hop: 80,
      melBands: 24,
      coefficients: 24,
    });
  });

  it('on full-scale clipped square waves, with finite values', () => {
    const x = new Float32Array(8000).map((_, n) => Math.max(-1, Math.min(1, 3 * Math.sign(Math.sin((2 * Math.PI * 441 * n) / 16000)))));
    expectMatchesMeyda(x);
    for (const f of extractAll(x)) expect(f.every(Number.isFinite)).to.equal(true);
  });

  it('gives finite (exactly zero) MFCCs for digital silence: log(E + 1), never log(0)', () => {
    const frames = extractAll(new Float32Array(4000));
    expect(frames.length).to.equal(24);
    for (const f of frames) expect(Array.from(f)).to.deep.equal(new Array(13).fill(0));
  });
});

describe('sampleScale', () => {
  it('equals Meyda.extract on the samples multiplied by sampleScale', () => {
    const x = espeakWord('seven', C.sampleRate);
    const scaled = x.map((v) => v * 32768);
    const ours = new MfccExtractor({ sampleScale: 32768 }).push(x);
    const theirs = meydaFrames(scaled, C);
    expect(ours.length).to.equal(theirs.length);
    ours.forEach((f, n) => expect(worstRelativeError(f, theirs[n])).to.be.at.most(TOL));
  });

  it('at 16-bit scale, log(E + 1) acts as a log: each +20 dB moves c0 by the same step (raw floats: ≈ 0, then a jump)', () => {
    const word = espeakWord('seven', C.sampleRate);
    const c0 = (scale: number, gain: number) =>
      Math.max(...new MfccExtractor({ sampleScale: scale }).push(word.map((v) => v * gain)).map((f) => f[0]));
    const steps = (scale: number) => [c0(scale, 0.03) - c0(scale, 0.003), c0(scale, 0.3) - c0(scale, 0.03)];
    const [int16Low, int16High] = steps(32768);
    expect(int16Low).to.be.above(100);
    expect(int16High / int16Low).to.be.within(0.95, 1.05);
    const [rawLow, rawHigh] = steps(1);
    expect(rawHigh / rawLow).to.be.above(10); // a −50 dB word nearly vanishes on raw floats
  });
});

describe('MfccExtractor framing', () => {
  const x = speechLike(3, C.sampleRate, 11);

  it('is chunk-invariant bit for bit (chunks of 1, 7, 160, 1000, random sizes)', () => {
    const whole = extractAll(x);
    const rng = new Rng(5);
    const randomSizes = Array.from({ length: 50 }, () => 1 + rng.int(3000));
    for (const sizes of [[1], [7], [160], [1000], [399, 401, 1, 2], randomSizes]) {
      const chunked = extractAll(x, {}, sizes);
      expect(chunked.length, `chunks ${sizes.slice(0, 4)}`).to.equal(whole.length);
      chunked.forEach((f, n) => expect(Buffer.from(f.buffer).equals(Buffer.from(whole[n].buffer)), `frame ${n}`).to.equal(true));
    }
  });

  it('starts frame n at sample n·hop, even far into the stream', () => {
    const frames = new MfccExtractor().push(x);
    for (const n of [0, 1, 97, 250]) {
      const alone = new MfccExtractor().push(x.subarray(n * C.hop, n * C.hop + C.windowSize));
      expect(alone.length).to.equal(1);
      expect(Array.from(frames[n])).to.deep.equal(Array.from(alone[0]));
    }
  });

  it('keeps frame timing exact over an hour of audio (a 1 s loop gives frames with a 100-frame period)', () => {
    const second = x.subarray(0, C.sampleRate); // 16000 = 100 hops: the stream's frames repeat every 100
    const ex = new MfccExtractor();
    const firstLap: Float32Array[] = [];
    let mismatches = 0;
    const onFrame = (f: Float32Array, n: number) => {
      if (n < 100) firstLap.push(f.slice());
      else if (!Buffer.from(f.buffer).equals(Buffer.from(firstLap[n % 100].buffer))) mismatches++;
    };
    for (let s = 0; s < 3600; s++) ex.pushInto(second, onFrame);
    expect(ex.samplesSeen).to.equal(3600 * C.sampleRate);
    expect(ex.frameCount).to.equal(Math.floor((3600 * C.sampleRate - C.windowSize) / C.hop) + 1);
    expect(mismatches).to.equal(0);
  });

  it('emits ⌊(N − window)/hop⌋ + 1 frames from push, and counts with integers', () => {
    const ex = new MfccExtractor();
    for (const n of [0, 399, 400, 559, 560, 16000, 48123]) {
      ex.reset();
      expect(ex.push(new Float32Array(n)).length, `N=${n}`).to.equal(n < 400 ? 0 : Math.floor((n - 400) / 160) + 1);
      expect(ex.samplesSeen).to.equal(n);
      expect(ex.frameCount).to.equal(n < 400 ? 0 : Math.floor((n - 400) / 160) + 1);
    }
  });

  it('flush() emits one zero-padded frame only when the last samples are in no frame yet, then resets', () => {
    const cases: [number, number, number][] = [
      // [length, frames from push, frames from flush]
      [0, 0, 0],
      [100, 0, 1],
      [400, 1, 0],
      [401, 1, 1],
      [560, 2, 0],
      [700, 2, 1],
    ];
    for (const [len, pushed, flushed] of cases) {
      const ex = new MfccExtractor();
      const sig = x.subarray(0, len);
      const a = ex.push(sig);
      const b = ex.flush();
      expect([a.length, b.length], `length ${len}`).to.deep.equal([pushed, flushed]);
      if (flushed) {
        const start = pushed * C.hop;
        expect(worstRelativeError(b[0], meydaMfcc(sig.subarray(start), C))).to.be.at.most(TOL);
      }
      expect(ex.samplesSeen).to.equal(0);
      expect(ex.frameCount).to.equal(0);
    }
  });

  it('reuses one buffer in pushInto/flushInto and gives the same frames and indices as push/flush', () => {
    const ex = new MfccExtractor();
    const seen: Float32Array[] = [];
    const copies: Float32Array[] = [];
    const indices: number[] = [];
    const onFrame = (f: Float32Array, i: number) => (seen.push(f), copies.push(f.slice()), indices.push(i));
    const signal = x.subarray(0, 5000);
    const count = ex.pushInto(signal.subarray(0, 1234), onFrame) + ex.pushInto(signal.subarray(1234), onFrame) + ex.flushInto(onFrame);
    expect(count).to.equal(copies.length);
    expect(new Set(seen).size).to.equal(1);
    expect(indices).to.deep.equal(copies.map((_, i) => i));
    expect(copies.map((f) => Array.from(f))).to.deep.equal(extractAll(signal).map((f) => Array.from(f)));
  });

  it('gives the same frames after reset() as a fresh extractor', () => {
    const ex = new MfccExtractor();
    ex.push(x.subarray(0, 777));
    ex.reset();
    expect(ex.push(x.subarray(0, 2000)).map((f) => Array.from(f))).to.deep.equal(
      new MfccExtractor().push(x.subarray(0, 2000)).map((f) => Array.from(f)),
    );
  });
});

describe('feature config validation', () => {
  const bad: [string, Partial<FeatureConfig>][] = [
    ['fftSize not a power of two', { fftSize: 500 }],
    ['windowSize > fftSize', { windowSize: 600 }],
    ['coefficients > melBands', { melBands: 16, coefficients: 20 }],
    ['coefficients > 40', { melBands: 64, coefficients: 41 }],
    ['hop 0', { hop: 0 }],
    ['fractional window', { windowSize: 400.5 }],
    ['negative sample rate', { sampleRate: -16000 }],
    ['NaN mel bands', { melBands: NaN }],
    ['sampleScale 0', { sampleScale: 0 }],
    ['infinite sampleScale', { sampleScale: Infinity }],
  ];
  for (const [what, config] of bad) {
    it(`rejects ${what} with a ConfigError`, () => {
      expect(() => new MfccExtractor(config)).to.throw(ConfigError, /features\./);
    });
  }

  it('fills defaults and accepts 40 coefficients of 40 bands', () => {
    expect(resolveFeatureConfig()).to.deep.equal(DEFAULT_FEATURE_CONFIG);
    expect(new MfccExtractor({ coefficients: 40 }).push(new Float32Array(400))[0].length).to.equal(40);
  });
});
