import { expect } from 'chai';
import { execFileSync } from 'child_process';
import { WaveFile } from 'wavefile';
import { findWord } from '../src/data/align';

/** Deterministic noise so the test never flakes. */
function noise(n: number, amplitude: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = amplitude * (s / 2 ** 32 - 0.5) * 2;
  }
  return out;
}

/** A word spoken by espeak-ng at 16 kHz, trimmed to where its samples are non-silent. */
function spokenWord(text: string): Float32Array {
  const wav = execFileSync('espeak-ng', ['--stdout', text]);
  const wf = new WaveFile(wav);
  wf.toSampleRate(16000);
  const s = Float32Array.from(wf.getSamples(false, Float64Array) as unknown as Float64Array, (x) => x / 32768);
  let a = 0;
  let b = s.length;
  while (a < b && Math.abs(s[a]) < 0.01) a++;
  while (b > a && Math.abs(s[b - 1]) < 0.01) b--;
  return s.subarray(a, b);
}

describe('findWord (clip aligner)', () => {
  it('finds a spoken word placed at a known position in noise, to within 60 ms', () => {
    const word = spokenWord('computer');
    const clip = noise(48000, 0.003);
    const at = 19200; // 1.2 s
    for (let i = 0; i < word.length; i++) clip[at + i] += word[i];
    const span = findWord(clip);
    expect(span).to.not.equal(null);
    expect(Math.abs(span!.start - at) / 16000).to.be.below(0.06);
    expect(Math.abs(span!.end - (at + word.length)) / 16000).to.be.below(0.06);
  });

  it('bridges a pause inside a two-word phrase but not a long silence to a later click', () => {
    const a = spokenWord('smart');
    const b = spokenWord('mirror');
    const clip = noise(64000, 0.002);
    const startA = 8000;
    const startB = startA + a.length + 2400; // 150 ms pause inside the phrase
    clip.set(a, startA);
    clip.set(b, startB);
    const click = 60000; // a short loud click 1 s later must not extend the span
    for (let i = 0; i < 80; i++) clip[click + i] = 0.5;
    const span = findWord(clip)!;
    expect(Math.abs(span.start - startA) / 16000).to.be.below(0.06);
    expect(Math.abs(span.end - (startB + b.length)) / 16000).to.be.below(0.06);
  });

  it('ignores trailing digital silence when estimating the noise floor', () => {
    const word = spokenWord('alexa');
    const clip = noise(52800, 0.003);
    const at = 16000;
    for (let i = 0; i < word.length; i++) clip[at + i] += word[i];
    clip.fill(0, 40000); // a decoder that stopped early leaves zeros
    const span = findWord(clip)!;
    expect(Math.abs(span.start - at) / 16000).to.be.below(0.06);
    expect(Math.abs(span.end - (at + word.length)) / 16000).to.be.below(0.06);
  });

  it('takes the non-zero part as the word when clean speech sits in digital silence', () => {
    // a clean, steady vowel: no contrast among its own frames, zeros around it
    const clip = new Float32Array(16000);
    const at = 5000;
    const length = 4000;
    for (let i = 0; i < length; i++) clip[at + i] = 0.3 * Math.sin((2 * Math.PI * 220 * i) / 16000);
    const span = findWord(clip)!;
    expect(span).to.not.equal(null);
    expect(Math.abs(span.start - at) / 16000).to.be.below(0.026); // one window
    expect(Math.abs(span.end - (at + length)) / 16000).to.be.below(0.026);
  });

  it('returns null for noise only and for digital silence', () => {
    expect(findWord(noise(32000, 0.01))).to.equal(null);
    expect(findWord(new Float32Array(32000))).to.equal(null);
    expect(findWord(new Float32Array(100))).to.equal(null);
  });

  /** A recorder that raises its gain after 0.3 s and gates 0.6 s after the word: hum at −57, −47, then −76 dB. */
  function steppedFloor(word: Float32Array, at: number): Float32Array {
    const wordEnd = at + word.length;
    const gate = wordEnd + 9600;
    const clip = new Float32Array(gate + 4800);
    for (let i = 0; i < clip.length; i++) {
      const amplitude = i < 4800 ? 0.002 : i < gate ? 0.0063 : 0.00022;
      clip[i] = amplitude * Math.sin((2 * Math.PI * 100 * i) / 16000);
    }
    for (let i = 0; i < word.length; i++) clip[at + i] += word[i];
    return clip;
  }

  it('leaves out a raised noise floor around the word (a gain step before it, a gate after it)', () => {
    const word = spokenWord('alexa');
    const at = 14400; // 0.9 s
    const span = findWord(steppedFloor(word, at))!;
    expect(Math.abs(span.start - at) / 16000).to.be.below(0.06);
    expect(Math.abs(span.end - (at + word.length)) / 16000).to.be.below(0.06);
  });

  it('keeps a word-final fricative on such a floor: the /s/ of "glass" is as quiet as the floor but bright', () => {
    const word = spokenWord('view glass');
    const at = 14400;
    const span = findWord(steppedFloor(word, at))!;
    expect(Math.abs(span.end - (at + word.length)) / 16000).to.be.below(0.06);
  });
});
