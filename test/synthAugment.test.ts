import { expect } from 'chai';
import FFT from 'fft.js';
import {
  bandLimit,
  brownNoise,
  changeSpeed,
  convolve,
  limitPeak,
  mixAtSnr,
  peak,
  pinkNoise,
  placeInClip,
  resample,
  reverb,
  rms,
  roomImpulseResponse,
  scale,
  trimSilence,
  whiteNoise,
} from '../src/data/augment';
import { augmentSpeech, noiseOnlyClip } from '../src/data/augmentRecipe';
import { Rng, rngFor } from '../src/data/random';

const FS = 16000;

function sine(freq: number, n: number, fs = FS, amp = 0.5): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / fs));
}

/** Mean power in [lo, hi) Hz of the first 4096 samples (Hann-windowed). */
function bandPower(x: Float32Array, lo: number, hi: number, fs = FS): number {
  const size = 4096;
  const fft = new FFT(size);
  const input = Array.from({ length: size }, (_, i) => (x[i] ?? 0) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size)));
  const out = fft.createComplexArray() as number[];
  fft.realTransform(out, input);
  let p = 0,
    n = 0;
  for (let k = Math.ceil((lo * size) / fs); k < (hi * size) / fs; k++, n++) p += out[2 * k] ** 2 + out[2 * k + 1] ** 2;
  return p / n;
}

/** A word-like signal: a 200 Hz buzz with harmonics, on for 0.4 s in the middle of 1 s. */
function speechLike(): Float32Array {
  const x = new Float32Array(FS);
  for (let i = 0.3 * FS; i < 0.7 * FS; i++)
    x[i] = 0.3 * Math.sin((2 * Math.PI * 200 * i) / FS) + 0.1 * Math.sin((2 * Math.PI * 1200 * i) / FS);
  return x;
}

describe('random', () => {
  it('repeats a stream for the same seed and key, and differs across keys', () => {
    const a = rngFor(7, 'yes', 3),
      b = rngFor(7, 'yes', 3),
      c = rngFor(7, 'yes', 4);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).to.deep.equal(xs);
    expect(Array.from({ length: 5 }, () => c.next())).to.not.deep.equal(xs);
    for (const v of xs) expect(v).to.be.within(0, 1);
  });
});

describe('augment: levels and time', () => {
  it('placeInClip puts the content at the offset and cuts what falls outside', () => {
    const x = Float32Array.from([1, 2, 3, 4, 5]);
    expect(Array.from(placeInClip(x, 5, 2))).to.deep.equal([0, 0, 1, 2, 3]);
    expect(Array.from(placeInClip(x, 5, -1))).to.deep.equal([2, 3, 4, 5, 0]);
    expect(Array.from(placeInClip(x, 7, 3))).to.deep.equal([0, 0, 0, 1, 2, 3, 4]);
  });

  it('scale and limitPeak scale as stated', () => {
    const x = sine(440, 1600);
    expect(rms(scale(x, 0.5)) / rms(x)).to.be.closeTo(0.5, 1e-6);
    expect(peak(limitPeak(scale(x, 4), 0.9))).to.be.closeTo(0.9, 1e-6);
    expect(Array.from(limitPeak(scale(x, 0.5), 0.9))).to.deep.equal(Array.from(scale(x, 0.5))); // never scales up
  });

  it('trimSilence cuts leading and trailing silence only', () => {
    const y = trimSilence(speechLike(), FS);
    expect(y.length / FS).to.be.within(0.4, 0.46);
  });
});

describe('augment: resampling and speed', () => {
  it('resamples 22.05 kHz to 16 kHz keeping a 1 kHz tone and removing a 10 kHz one', () => {
    const keep = resample(sine(1000, 22050, 22050), 22050, 16000);
    expect(keep.length).to.equal(16000);
    expect(rms(keep.subarray(100, 15900))).to.be.closeTo(0.5 / Math.SQRT2, 0.01);
    expect(bandPower(keep.subarray(1000), 950, 1050) / bandPower(keep.subarray(1000), 2000, 8000)).to.be.greaterThan(1e4);
    const alias = resample(sine(10000, 22050, 22050), 22050, 16000);
    expect(rms(alias.subarray(100, 15900))).to.be.lessThan(0.01);
  });

  it('changeSpeed by 1.1 shortens by 1/1.1 and raises the frequency by 10 %', () => {
    const y = changeSpeed(sine(500, FS), 1.1);
    expect(y.length).to.be.closeTo(FS / 1.1, 1);
    expect(bandPower(y, 530, 570)).to.be.greaterThan(100 * bandPower(y, 480, 520));
  });
});

describe('augment: noise', () => {
  it('white, pink and brown have unit RMS and increasingly low-heavy spectra', () => {
    const n = 8192;
    const tilt = (x: Float32Array) => bandPower(x, 100, 400) / bandPower(x, 3000, 6000);
    const w = whiteNoise(n, new Rng(1)),
      p = pinkNoise(n, new Rng(1)),
      b = brownNoise(n, new Rng(1));
    for (const x of [w, p, b]) expect(rms(x)).to.be.closeTo(1, 1e-4);
    expect(tilt(w)).to.be.within(0.5, 2); // flat
    expect(tilt(p)).to.be.within(5, 30); // 1/f: ≈ 12 (3.2 octaves apart)
    expect(tilt(b)).to.be.greaterThan(100); // 1/f²
  });

  for (const snr of [0, 5, 10, 20]) {
    for (const kind of ['white', 'pink', 'brown'] as const) {
      it(`mixAtSnr reaches ${snr} dB with ${kind} noise (within 0.5 dB)`, () => {
        const gen = { white: whiteNoise, pink: pinkNoise, brown: brownNoise }[kind];
        const signal = speechLike();
        const mixed = mixAtSnr(signal, gen(FS, new Rng(snr)), snr);
        const noise = mixed.map((v, i) => v - signal[i]);
        expect(20 * Math.log10(rms(signal) / rms(noise))).to.be.closeTo(snr, 0.5);
      });
    }
  }
});

describe('augment: reverb and band-limiting', () => {
  it('the room impulse response decays 60 dB over rt60', () => {
    const h = roomImpulseResponse(0.4, FS, new Rng(3));
    expect(h[0]).to.equal(1);
    const early = rms(h.subarray(0.01 * FS, 0.05 * FS)),
      late = rms(h.subarray(0.3 * FS, 0.34 * FS));
    // 0.29 s apart at 60 dB per 0.4 s → 43.5 dB
    expect(20 * Math.log10(early / late)).to.be.closeTo(43.5, 4);
  });

  it('convolve matches the direct sum', () => {
    const x = Float32Array.from([1, 2, 3, 0, -1]),
      h = Float32Array.from([0.5, 0.25]);
    const y = convolve(x, h);
    expect(Array.from(y).map((v) => +v.toFixed(6))).to.deep.equal([0.5, 1.25, 2, 0.75, -0.5]);
  });

  it('reverb smears energy past the end of a sound', () => {
    const x = speechLike();
    const y = reverb(x, 0.5, FS, new Rng(4));
    const after = (v: Float32Array) => rms(v.subarray(0.72 * FS, 0.9 * FS));
    expect(after(x)).to.equal(0);
    expect(after(y) / rms(y)).to.be.greaterThan(0.05);
    expect(rms(y)).to.be.closeTo(rms(x), 1e-3);
  });

  it('telephone band-limiting passes 1 kHz and cuts 100 Hz and 7 kHz by more than 20 dB', () => {
    const db = (f: number) => {
      const x = sine(f, FS);
      return 20 * Math.log10(rms(bandLimit(x, 300, 3400, FS).subarray(4000)) / rms(x.subarray(4000)));
    };
    expect(db(1000)).to.be.closeTo(0, 1);
    expect(db(100)).to.be.lessThan(-20);
    expect(db(7000)).to.be.lessThan(-20);
  });
});

describe('augmentSpeech', () => {
  const word = trimSilence(speechLike(), FS);
  const bank = { white: whiteNoise(2 * FS, new Rng(1)), pink: pinkNoise(2 * FS, new Rng(2)) };

  it('gives a clip of the asked length, the same for the same seed', () => {
    const a = augmentSpeech(word, FS, rngFor(5, 'x'), bank),
      b = augmentSpeech(word, FS, rngFor(5, 'x'), bank);
    expect(a.samples.length).to.equal(FS);
    expect(Array.from(a.samples)).to.deep.equal(Array.from(b.samples));
    expect(peak(a.samples)).to.be.within(0.09, 0.9);
  });

  it('keeps the whole word inside the clip at varied offsets', () => {
    const offsets = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const { info } = augmentSpeech(word, FS, rngFor(6, i), bank);
      const len = Math.round(word.length / info.speed);
      expect(info.offset).to.be.within(0, FS - len + 1);
      offsets.add(info.offset);
    }
    expect(offsets.size).to.be.greaterThan(15);
  });

  it('noiseOnlyClip is quiet noise of the clip length', () => {
    const x = noiseOnlyClip(FS, rngFor(1, 'silence'), bank);
    expect(x.length).to.equal(FS);
    expect(peak(x)).to.be.lessThan(0.33);
  });
});
