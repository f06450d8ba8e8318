import { expect } from 'chai';
import { rms } from '../src/data/augment';
import {
  BACKGROUND_BELOW_CLIP_DB,
  composeSequence,
  FIRE_DELAY,
  FIRE_FRAMES,
  frameTargets,
  LabelledClip,
  maskFeatures,
  NO_AUGMENTATION,
  RUNNING_SPEECH_RMS,
  SequenceLayout,
  SPEECH_BEFORE_DB,
  SPEECH_BEFORE_SEC,
  SPEECH_BEFORE_WEIGHT,
  SPEECH_TARGET,
  WORD_OR_NONE,
} from '../src/data/sequence';
import { Rng } from '../src/data/random';

const RATE = 16000;
const layout: SequenceLayout = { leadInSamples: 4800, clipSamples: RATE, tailSamples: 4800 };

/** A 1 s clip with a 0.4 s tone "word" at 0.3 s, at `amplitude`. */
function toneClip(amplitude: number): LabelledClip {
  const samples = new Float32Array(RATE);
  for (let i = 4800; i < 11200; i++) samples[i] = amplitude * Math.sin((2 * Math.PI * 300 * i) / RATE);
  return { samples, label: 0, word: { start: 4800, end: 11200 } };
}

function noise(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
}

describe('training sequences (composeSequence, frameTargets)', () => {
  it("mixes the background 10–30 dB below the clip, whatever the clip's level", () => {
    const background = [noise(10 * RATE, 1)];
    for (const amplitude of [0.003, 0.3]) {
      for (let seed = 0; seed < 20; seed++) {
        const clip = toneClip(amplitude);
        const { audio } = composeSequence(clip, layout, NO_AUGMENTATION, background, new Rng(seed));
        const lead = rms(audio.subarray(0, layout.leadInSamples));
        const below = 20 * Math.log10(rms(clip.samples) / lead);
        expect(below, `amplitude ${amplitude}, seed ${seed}`).to.be.within(
          BACKGROUND_BELOW_CLIP_DB[0] - 0.5,
          BACKGROUND_BELOW_CLIP_DB[1] + 0.5,
        );
      }
    }
  });

  it('applies one gain to the whole sequence and moves the word span with the shift', () => {
    const background = [noise(10 * RATE, 2)];
    const clip = toneClip(0.1);
    const aug = { ...NO_AUGMENTATION, maxShift: 1600, gainDb: [-6, -6] as [number, number] };
    const plain = composeSequence(clip, layout, NO_AUGMENTATION, background, new Rng(5));
    const shifted = composeSequence(clip, layout, aug, background, new Rng(5));
    const moved = shifted.word!.start - plain.word!.start;
    expect(Math.abs(moved)).to.be.at.most(1600);
    expect(shifted.word!.end - shifted.word!.start).to.equal(6400);
    const level = (x: Float32Array, w: { start: number; end: number }) => rms(x.subarray(w.start, w.end));
    expect(20 * Math.log10(level(shifted.audio, shifted.word!) / level(plain.audio, plain.word!))).to.be.closeTo(-6, 0.5);
  });

  it('targets: _silence_ before the word, no loss while it is spoken, the label for FIRE_FRAMES after it ends', () => {
    const clip = toneClip(0.1);
    const word = { start: 9600, end: 16000 }; // in sequence samples
    const frames = 150;
    const { target, weight } = frameTargets(clip, word, frames, 20800, 160, 400, 3);
    const hearing = (s: number) => Math.ceil((s - 400) / 160);
    const fire = hearing(word.end) + FIRE_DELAY;
    expect(target[hearing(word.start) - 1]).to.equal(3);
    expect(weight[hearing(word.start) - 1]).to.be.within(0.01, 0.99);
    for (let f = hearing(word.start); f < fire; f++) expect(weight[f], `frame ${f}`).to.equal(0);
    for (let f = fire; f < fire + FIRE_FRAMES; f++) expect([target[f], weight[f]], `frame ${f}`).to.deep.equal([0, 1]);
    expect(weight[fire + FIRE_FRAMES]).to.equal(0);
  });

  it('targets with a word-span weight: "this word or no keyword" while it is spoken and after it fires, nowhere else', () => {
    const clip = toneClip(0.1);
    const word = { start: 9600, end: 16000 };
    const frames = 150;
    const plain = frameTargets(clip, word, frames, 20800, 160, 400, 3);
    const { target, weight } = frameTargets(clip, word, frames, 20800, 160, 400, 3, null, 0.25);
    const hearing = (s: number) => Math.ceil((s - 400) / 160);
    const fire = hearing(word.end) + FIRE_DELAY;
    const wordOrNone = [WORD_OR_NONE, Math.fround(0.25)];
    for (let f = hearing(word.start); f < fire; f++) expect([target[f], weight[f]], `frame ${f}`).to.deep.equal(wordOrNone);
    for (let f = fire + FIRE_FRAMES; f < frames; f++) expect([target[f], weight[f]], `frame ${f}`).to.deep.equal(wordOrNone);
    // the silence before the word and the firing frames are as without it
    for (let f = 0; f < fire + FIRE_FRAMES; f++) {
      if (f < hearing(word.start) || f >= fire)
        expect([target[f], weight[f]], `frame ${f}`).to.deep.equal([plain.target[f], plain.weight[f]]);
    }
    // silence clips and clips with no word found have no word span to mark
    const silence = { ...clip, label: 3, word: null };
    expect([...frameTargets(silence, null, frames, 20800, 160, 400, 3, null, 0.25).target]).to.not.include(WORD_OR_NONE);
    expect([...frameTargets(clip, null, frames, 20800, 160, 400, 3, null, 0.25).target]).to.not.include(WORD_OR_NONE);
  });

  it('speed perturbation stretches the clip and its word span by the same factor', () => {
    const clip = toneClip(0.1);
    const aug = { ...NO_AUGMENTATION, speedProb: 1, speed: [0.8, 0.8] as [number, number] };
    const slow = composeSequence(clip, layout, aug, [], new Rng(3));
    const length = slow.word!.end - slow.word!.start;
    expect(length).to.be.closeTo(6400 / 0.8, 2);
    const inside = rms(slow.audio.subarray(slow.word!.start + 100, slow.word!.end - 100));
    const after = rms(slow.audio.subarray(slow.word!.end + 200, slow.word!.end + 1200));
    expect(inside).to.be.greaterThan(0.05);
    expect(after).to.be.below(inside / 100); // the tone ends where the scaled span says
  });

  it('maskFeatures zeroes runs of frames and of coefficients, at most the asked widths', () => {
    const [frames, F] = [50, 10];
    const aug = { ...NO_AUGMENTATION, timeMasks: 1, timeMaskFrames: 6, freqMasks: 1, freqMaskCoefficients: 3 };
    let masked = 0;
    for (let seed = 0; seed < 30; seed++) {
      const x = new Float32Array(frames * F).fill(1);
      maskFeatures(x, frames, F, aug, new Rng(seed));
      const zeroFrames = [...Array(frames).keys()].filter((t) => x.subarray(t * F, (t + 1) * F).every((v) => v === 0));
      const zeroCoefs = [...Array(F).keys()].filter((c) => [...Array(frames).keys()].every((t) => x[t * F + c] === 0));
      expect(zeroFrames.length).to.be.at.most(6);
      expect(zeroCoefs.length).to.be.at.most(3);
      if (zeroFrames.length > 1) expect(zeroFrames[zeroFrames.length - 1] - zeroFrames[0]).to.equal(zeroFrames.length - 1); // one run
      masked += zeroFrames.length + zeroCoefs.length;
    }
    expect(masked).to.be.greaterThan(30); // masks are drawn, not always empty
    const untouched = new Float32Array(frames * F).fill(1);
    maskFeatures(untouched, frames, F, NO_AUGMENTATION, new Rng(1));
    expect(untouched.every((v) => v === 1)).to.equal(true);
  });
});

describe('training sequences with running speech (speech before the word, running-speech sequences)', () => {
  const UNKNOWN = 2;
  const SILENCE = 3;
  const long: SequenceLayout = { leadInSamples: RATE, clipSamples: RATE, tailSamples: 4800 };
  const talk = [noise(20 * RATE, 7)];
  const hearing = (s: number) => Math.max(0, Math.ceil((s - 400) / 160));

  it('puts speech at the clip level a gap before the word, and targets "no keyword" from its first frame to the word', () => {
    const aug = { ...NO_AUGMENTATION, speechBeforeProb: 1, speechGapSec: [0.2, 0.4] as [number, number] };
    for (let seed = 0; seed < 20; seed++) {
      const clip = toneClip(0.1);
      const { audio, word, speechBefore } = composeSequence(clip, long, aug, [], new Rng(seed), talk);
      expect(speechBefore, `seed ${seed}`).to.not.equal(null);
      const gap = (word!.start - speechBefore!.end) / RATE;
      expect(gap).to.be.within(0.2, 0.4);
      expect((speechBefore!.end - speechBefore!.start) / RATE).to.be.within(SPEECH_BEFORE_SEC[0], SPEECH_BEFORE_SEC[1]);
      const db = 20 * Math.log10(rms(audio.subarray(speechBefore!.start, speechBefore!.end)) / rms(clip.samples));
      expect(db).to.be.within(SPEECH_BEFORE_DB[0] - 0.5, SPEECH_BEFORE_DB[1] + 0.5);
      expect(rms(audio.subarray(speechBefore!.end, word!.start))).to.equal(0); // the gap is quiet (no background here)
      const frames = 230;
      const { target, weight } = frameTargets(clip, word, frames, long.leadInSamples + RATE, 160, 400, SILENCE, speechBefore);
      for (let f = hearing(speechBefore!.start); f < hearing(word!.start); f++) {
        expect([target[f], weight[f]], `frame ${f}`).to.deep.equal([SPEECH_TARGET, Math.fround(SPEECH_BEFORE_WEIGHT)]);
      }
      if (hearing(speechBefore!.start) > 11) expect(target[hearing(speechBefore!.start) - 1]).to.equal(SILENCE);
      const fire = hearing(word!.end) + FIRE_DELAY;
      expect(target[fire]).to.equal(clip.label); // the keyword is still the target after the speech
    }
  });

  it('adds no speech when there is none, no room for it, or no word to put it before', () => {
    const aug = { ...NO_AUGMENTATION, speechBeforeProb: 1 };
    expect(composeSequence(toneClip(0.1), long, aug, [], new Rng(1), []).speechBefore).to.equal(null);
    expect(composeSequence(toneClip(0.1), { ...long, leadInSamples: 0 }, aug, [], new Rng(1), talk).speechBefore).to.equal(null);
    const wordless = { ...toneClip(0.1), word: null };
    expect(composeSequence(wordless, long, aug, [], new Rng(1), talk).speechBefore).to.equal(null);
    // off by default: the same draws as before this option existed
    const plain = composeSequence(toneClip(0.1), long, NO_AUGMENTATION, [], new Rng(1), talk);
    expect(plain.speechBefore).to.equal(null);
    expect(rms(plain.audio.subarray(0, long.leadInSamples))).to.equal(0);
  });

  it('a running-speech sequence is speech from end to end, "no keyword" at every frame after the warm-up', () => {
    const clip: LabelledClip = { samples: new Float32Array(0), label: UNKNOWN, word: null, running: true };
    const { audio, word } = composeSequence(clip, layout, NO_AUGMENTATION, [], new Rng(4), talk);
    expect(audio.length).to.equal(layout.leadInSamples + layout.clipSamples + layout.tailSamples);
    expect(word).to.equal(null);
    expect(rms(audio)).to.be.closeTo(RUNNING_SPEECH_RMS, 1e-4);
    const { target, weight } = frameTargets(clip, word, 150, 20800, 160, 400, SILENCE);
    for (let f = 10; f < 150; f++) expect([target[f], weight[f]], `frame ${f}`).to.deep.equal([SPEECH_TARGET, 1]);
    expect(weight[0]).to.equal(0);
  });
});
