import { expect } from 'chai';
import { ConfigError } from '../src/errors';
import { FeatureConfig, INT16_SAMPLE_SCALE, resolveFeatureConfig } from '../src/features/config';
import { MfccExtractor } from '../src/features/mfcc';
import { DEFAULT_PCEN, parsePcenConstants, PcenCompression, resolvePcenConfig } from '../src/features/pcen';
import { Rng } from '../src/data/random';
import { espeakWord, extractAll } from './support/features';
import { whiteNoise } from '../src/data/augment';

const PCEN: Partial<FeatureConfig> = { compression: 'pcen', sampleScale: INT16_SAMPLE_SCALE };
const LOG: Partial<FeatureConfig> = { compression: 'log', sampleScale: INT16_SAMPLE_SCALE };
const SR = 16000;

/** `seconds` of Gaussian white noise at RMS `rms`. */
function noise(seconds: number, rms: number, seed = 3): Float32Array {
  return whiteNoise(Math.round(seconds * SR), new Rng(seed)).map((v) => rms * v);
}

/** 1 s of noise, then the word, then 0.5 s of the same noise: a word heard over a steady floor. */
function wordInNoise(gain: number, noiseRms = 0.003): Float32Array {
  const word = espeakWord('seven', SR);
  const x = noise(2.5 + word.length / SR, noiseRms).map((v) => v * gain);
  x.forEach((_, i) => {
    const w = i - SR;
    if (w >= 0 && w < word.length) x[i] += gain * word[w];
  });
  return x;
}

describe('PCEN (per-channel energy normalisation) of the mel energies', () => {
  it('follows its equations band by band: M starts at E, then M ← (1 − s)·M + s·E; P = (E / (ε + M)^α + δ)^r − δ^r', () => {
    const c = DEFAULT_PCEN;
    const pcen = new PcenCompression(c, 2);
    const P = (E: number, M: number) => Math.pow(E / Math.pow(c.epsilon + M, c.alpha) + c.delta, c.root) - Math.pow(c.delta, c.root);
    const first = Float64Array.from([0, 1e6]);
    pcen.apply(first);
    expect(first[0]).to.be.closeTo(0, 1e-12); // E = 0: P = δ^r − δ^r
    expect(first[1]).to.be.closeTo(P(1e6, 1e6), 1e-9);
    const second = Float64Array.from([100, 1e8]);
    pcen.apply(second);
    const M0 = c.smoothing * 100;
    const M1 = (1 - c.smoothing) * 1e6 + c.smoothing * 1e8;
    expect(Array.from(second)).to.deep.equal([P(100, M0), P(1e8, M1)]);
    pcen.reset();
    const again = Float64Array.from([0, 1e6]);
    pcen.apply(again);
    expect(Array.from(again)).to.deep.equal(Array.from(first)); // reset forgets M
  });

  it('hears a word 20 dB louder almost as the same frames, where log(E + 1) shifts every frame', () => {
    const spread = (config: Partial<FeatureConfig>) => {
      const quiet = extractAll(wordInNoise(0.1), config);
      const loud = extractAll(wordInNoise(1), config);
      let worst = 0;
      let range = 0;
      // after PCEN's warm-up (1 s of noise = 100 frames > 1/s = 40)
      for (let t = 60; t < quiet.length; t++) {
        worst = Math.max(worst, Math.abs(loud[t][0] - quiet[t][0]));
        range = Math.max(range, Math.abs(loud[t][0]));
      }
      return worst / range;
    };
    const log = spread(LOG);
    const pcen = spread(PCEN);
    expect(log).to.be.above(0.2);
    expect(pcen).to.be.below(0.1); // α = 0.98 keeps (100×)^0.02 ≈ 1.1 of the level
    expect(pcen).to.be.below(log / 3);
  });

  it('maps a steady noise floor to nearly the same frames at any level, and a word stands out of it', () => {
    const c0 = (x: Float32Array, config = PCEN) => extractAll(x, config).map((f) => f[0]);
    const shift = (config: Partial<FeatureConfig>) => {
      const low = c0(noise(2, 0.001), config);
      const high = c0(noise(2, 0.1), config); // 40 dB louder
      return Math.max(...low.slice(60, 190).map((v, t) => Math.abs(high[60 + t] - v) / Math.abs(v)));
    };
    // log: c0 grows by ≈ 70 %; PCEN keeps (10⁴)^(1 − α) ≈ 1.2 of the level in E / M^α
    expect(shift(LOG)).to.be.above(0.5);
    expect(shift(PCEN)).to.be.below(0.25);
    const word = c0(wordInNoise(1));
    const floor = Math.max(...word.slice(60, 95).map(Math.abs));
    expect(Math.max(...word.slice(100, 160))).to.be.above(3 * floor);
  });

  it('is chunk-invariant bit for bit and gives a fresh stream after flush() or reset()', () => {
    const x = wordInNoise(0.5);
    const whole = extractAll(x, PCEN);
    for (const chunk of [1, 160, 999]) expect(extractAll(x, PCEN, [chunk])).to.deep.equal(whole);
    const ex = new MfccExtractor(PCEN);
    ex.push(noise(1, 0.3, 9));
    ex.flush();
    expect(ex.push(x).concat(ex.flush())).to.deep.equal(whole);
    ex.push(noise(1, 0.3, 9));
    ex.reset();
    expect(ex.push(x).concat(ex.flush())).to.deep.equal(whole);
  });

  it('recovers from a NaN sample: only the frames containing it are non-finite, then M restarts', () => {
    const x = noise(2, 0.01);
    x[SR] = NaN;
    const f = extractAll(x, PCEN);
    const bad = f.map((frame, n) => (frame.every(Number.isFinite) ? -1 : n)).filter((n) => n >= 0);
    expect(bad.length).to.be.within(1, Math.ceil(400 / 160));
    expect(f.slice(bad[bad.length - 1] + 1).every((frame) => frame.every(Number.isFinite))).to.equal(true);
  });

  it('is off by default: compression log, no pcen constants, frames as before', () => {
    const c = resolveFeatureConfig();
    expect([c.compression, c.pcen]).to.deep.equal(['log', undefined]);
    expect(resolveFeatureConfig({ compression: 'log', pcen: DEFAULT_PCEN }).pcen).to.equal(undefined);
    expect(resolveFeatureConfig({ compression: 'pcen' }).pcen).to.deep.equal(DEFAULT_PCEN);
    const x = wordInNoise(1);
    expect(extractAll(x, { sampleScale: INT16_SAMPLE_SCALE })).to.deep.equal(extractAll(x, LOG));
    expect(extractAll(x, PCEN)).to.not.deep.equal(extractAll(x, LOG));
  });

  const bad: [string, Partial<FeatureConfig>, RegExp][] = [
    ['an unknown compression', { compression: 'mp3' as never }, /features\.compression must be one of log, pcen/],
    ['smoothing 0', { compression: 'pcen', pcen: { ...DEFAULT_PCEN, smoothing: 0 } }, /features\.pcen\.smoothing/],
    ['alpha above 1', { compression: 'pcen', pcen: { ...DEFAULT_PCEN, alpha: 1.5 } }, /features\.pcen\.alpha/],
    ['root 0', { compression: 'pcen', pcen: { ...DEFAULT_PCEN, root: 0 } }, /features\.pcen\.root/],
    ['a negative delta', { compression: 'pcen', pcen: { ...DEFAULT_PCEN, delta: -1 } }, /features\.pcen\.delta/],
    ['a NaN epsilon', { compression: 'pcen', pcen: { ...DEFAULT_PCEN, epsilon: NaN } }, /features\.pcen\.epsilon/],
  ];
  for (const [what, config, message] of bad) {
    it(`rejects ${what} with a ConfigError naming the field`, () => {
      expect(() => new MfccExtractor(config)).to.throw(ConfigError, message);
    });
  }

  it('fills in constants a kws.json leaves out', () => {
    expect(resolvePcenConfig({ alpha: 0.9 })).to.deep.equal({ ...DEFAULT_PCEN, alpha: 0.9 });
  });

  it('reads constants written as name=value pairs (kws train --pcen), and names a bad pair', () => {
    expect(parsePcenConstants('smoothing=0.04, alpha = 0.9,')).to.deep.equal({ smoothing: 0.04, alpha: 0.9 });
    expect(parsePcenConstants('')).to.deep.equal({});
    for (const pair of ['gain=2', 'alpha', 'alpha=', 'alpha=x', 'alpha=0.9=1']) {
      expect(() => parsePcenConstants(`smoothing=0.04,${pair}`)).to.throw(ConfigError, `got '${pair}'`);
    }
  });
});
