import { expect } from 'chai';
import { Resampler, resampleAll } from '../src/audio/resample';
import { levelDb, tone } from './support/wav';

describe('audio: resampler', () => {
  const EDGE = 3000; // skip filter start-up at both ends (outputs at 16 kHz)

  for (const rate of [8000, 11025, 22050, 44100, 48000, 96000]) {
    it(`keeps a 1 kHz tone within 0.5 dB from ${rate} Hz`, () => {
      const y = resampleAll(tone(1000, rate, 1), rate, 16000);
      expect(y.length).to.equal(16000);
      expect(Math.abs(levelDb(y, EDGE) - levelDb(tone(1000, 16000, 1), EDGE))).to.be.below(0.5);
    });
  }

  it('at 48 kHz input keeps a 7.9 kHz tone and removes a 12 kHz one by ≥ 40 dB', () => {
    const ref = levelDb(tone(1000, 16000, 1), EDGE);
    const pass = levelDb(resampleAll(tone(7900, 48000, 1), 48000, 16000), EDGE);
    const stop = levelDb(resampleAll(tone(12000, 48000, 1), 48000, 16000), EDGE);
    expect(pass - ref).to.be.above(-1);
    expect(stop - ref).to.be.below(-40);
  });

  it('is chunk-invariant: any split of the input gives bit-identical output', () => {
    const x = tone(440, 44100, 0.5);
    for (let i = 0; i < x.length; i++) x[i] += 0.1 * Math.sin(i * 0.37);
    const whole = resampleAll(x, 44100, 16000);
    const r = new Resampler(44100, 16000);
    const parts: number[] = [];
    const sizes = [1, 7, 160, 1000, 3, 4410];
    for (let o = 0, k = 0; o < x.length; k++) {
      const n = sizes[k % sizes.length];
      parts.push(...r.push(x.subarray(o, o + n)));
      o += n;
    }
    parts.push(...r.flush());
    expect(parts.length).to.equal(whole.length);
    expect(Float32Array.from(parts)).to.deep.equal(whole);
  });

  it('passes 16 kHz input through unchanged', () => {
    const x = tone(1000, 16000, 0.1);
    expect(resampleAll(x, 16000, 16000)).to.deep.equal(x);
  });

  it('handles an awkward rate pair (7919 Hz, no small ratio) with correct length and level', () => {
    const y = resampleAll(tone(1000, 7919, 1), 7919, 16000);
    expect(y.length).to.equal(16000);
    expect(Math.abs(levelDb(y, EDGE) - levelDb(tone(1000, 16000, 1), EDGE))).to.be.below(0.5);
  });

  it('computes taps per output when the phase table would be too large (191999 Hz)', () => {
    const y = resampleAll(tone(1000, 191999, 0.1), 191999, 16000);
    expect(y.length).to.equal(Math.ceil((19200 * 16000) / 191999)); // ceil(N·L/M)
    expect(Math.abs(levelDb(y, 400) - levelDb(tone(1000, 16000, 0.1), 400))).to.be.below(0.5);
  });
});
