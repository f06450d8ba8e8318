/**
 * Independent check of the MFCC definition: test/reference/mfcc_reference.py (numpy + scipy)
 * follows meyda's definition on a deterministic chirp; both meyda and our extractor must agree
 * with its committed numbers within 1e-3 relative. Regenerate with
 *   /usr/bin/python3 test/reference/mfcc_reference.py
 */
import { expect } from 'chai';
import { FeatureConfig } from '../src/features/config';
import { MfccExtractor } from '../src/features/mfcc';
import fixture from './reference/mfcc_chirp.json';
import { meydaMfcc, worstRelativeError } from './support/features';

const TOL = 1e-3;

/** The fixture's signal, computed the same way as the Python script (float64, then float32). */
function chirp(): Float32Array {
  const { f0, f1, T, toneHz, toneAmp, chirpAmp, length } = fixture.signal;
  const sr = fixture.config.sampleRate;
  return Float32Array.from({ length }, (_, n) => {
    const t = n / sr;
    return chirpAmp * Math.sin(2 * Math.PI * (f0 * t + ((f1 - f0) * t * t) / (2 * T))) + toneAmp * Math.sin(2 * Math.PI * toneHz * t);
  });
}

describe('MFCC against the independent numpy reference (test/reference/mfcc_chirp.json)', () => {
  const config: FeatureConfig = { ...fixture.config, sampleScale: 1, compression: 'log' };
  const x = chirp();
  const { windowSize, hop } = config;

  it('has frames with non-trivial values to compare', () => {
    expect(fixture.frames.length).to.be.at.least(3);
    for (const f of fixture.frames) expect(Math.max(...f.mfcc.map(Math.abs))).to.be.greaterThan(1);
  });

  it('Meyda.extract("mfcc") agrees with the reference within 1e-3', () => {
    for (const { index, mfcc } of fixture.frames) {
      const start = index * hop;
      expect(worstRelativeError(meydaMfcc(x.subarray(start, start + windowSize), config), mfcc), `frame ${index}`).to.be.at.most(TOL);
    }
  });

  it('MfccExtractor agrees with the reference within 1e-3', () => {
    const frames = new MfccExtractor(config).push(x);
    for (const { index, mfcc } of fixture.frames) {
      expect(worstRelativeError(frames[index], mfcc), `frame ${index}`).to.be.at.most(TOL);
    }
  });
});
