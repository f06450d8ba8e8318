/**
 * Hostile sample values: NaN/Inf, DC offset, full-scale clipping, hours of digital silence.
 * Features and posteriors must stay finite, and no event may fire that the audio does not warrant.
 *
 * What "no spurious events" means with the hand-made energy model (test/support/models.ts): it fires when
 * the normalised MFCC c0 (overall log mel energy) stayed high for ~0.3 s, once per loud stretch.
 * So the fair claims are:
 *   - silence (any length) and NaN/Inf (sanitised to 0 by every source) give no event at all;
 *   - full-scale clipped bursts give exactly one event per burst, inside it — clipping adds none;
 *   - a constant DC offset is not silence for MFCCs: the Hann-windowed DC leaks into the lowest
 *     mel band, so c0 rises and this model sees one "loud" stretch starting where the DC does.
 *     The claim is therefore: at most that one event, none later however long it lasts.
 *     (A trained model never saw DC; a DC blocker before the front end would remove the question
 *     — Kaldi removes DC per frame — but that changes features and belongs with retraining.)
 */
import { expect } from 'chai';
import * as path from 'path';
import { Readable } from 'stream';
import { openWav } from '../src/audio/wav';
import { pcmStream } from '../src/audio/pcm';
import { AudioSource } from '../src/audio/source';
import { MfccExtractor } from '../src/features/mfcc';
import { StreamingClassifier } from '../src/lmu/runtime';
import { loadRuntimeWeights } from '../src/model/runtimeFile';
import { KeywordEvent } from '../src/pipeline/events';
import { loadModelConfig } from '../src/model/kwsJson';
import { FrameClassifier, KeywordSpotter } from '../src/pipeline/spotter';
import { wavBytes, writeTemp } from './support/wav';
import { makeEnergyModel } from './support/pipeline';

const RATE = 16000;

/** The energy model with a classifier wrapper that counts non-finite posteriors. */
async function checkedSpotter(): Promise<{ spotter: KeywordSpotter; badPosteriors: () => number }> {
  const dir = await makeEnergyModel();
  const config = loadModelConfig(dir);
  const weights = loadRuntimeWeights(path.join(dir, config.files.runtime));
  let bad = 0;
  const wrap = (c: StreamingClassifier): FrameClassifier => ({
    step(frame) {
      const p = c.step(frame);
      for (let i = 0; i < p.length; i++) if (!Number.isFinite(p[i])) bad++;
      return p;
    },
    reset: () => c.reset(),
  });
  return { spotter: new KeywordSpotter(config, () => wrap(new StreamingClassifier(weights))), badPosteriors: () => bad };
}

/** Streams `seconds` of f(sampleIndex) through a fresh stream in 1 s chunks (one buffer reused). */
function streamSignal(spotter: KeywordSpotter, seconds: number, f: (i: number) => number): KeywordEvent[] {
  const stream = spotter.createStream();
  const chunk = new Float32Array(RATE);
  const events: KeywordEvent[] = [];
  for (let s = 0; s < seconds; s++) {
    for (let j = 0; j < RATE; j++) chunk[j] = f(s * RATE + j);
    events.push(...stream.push(chunk));
  }
  return [...events, ...stream.flush()];
}

/** Counts non-finite MFCC values over `seconds` of f. */
function nonFiniteFeatures(seconds: number, f: (i: number) => number): number {
  const mfcc = new MfccExtractor();
  const chunk = new Float32Array(RATE);
  let bad = 0;
  const check = (frame: Float32Array) => {
    for (let k = 0; k < frame.length; k++) if (!Number.isFinite(frame[k])) bad++;
  };
  for (let s = 0; s < seconds; s++) {
    for (let j = 0; j < RATE; j++) chunk[j] = f(s * RATE + j);
    mfcc.pushInto(chunk, check);
  }
  mfcc.flushInto(check);
  return bad;
}

/** 0.5 s bursts of a full-scale 509 Hz square wave every 2 s (from 1 s), silence between. */
const squareBursts = (i: number) => {
  const t = (i / RATE) % 2;
  return t >= 1 && t < 1.5 ? (Math.sin(i * 0.2) >= 0 ? 1 : -1) : 0;
};
/** Same timing, `values` in turn in place of the bursts. */
const burstsOf = (values: number[]) => (i: number) => {
  const t = (i / RATE) % 2;
  return t >= 1 && t < 1.5 ? values[i % values.length] : 0;
};
/** Bursts of NaN/±Inf/float32-max: what a raw Float32Array from a broken driver may hold. */
const garbageBursts = burstsOf([NaN, Infinity, -Infinity, 3.4e38]);
/** Bursts of NaN/±Inf only (3.4e38 in a file is a clipped full-scale sample, not garbage). */
const nonFiniteBursts = burstsOf([NaN, Infinity, -Infinity]);

async function events(spotter: KeywordSpotter, source: AudioSource): Promise<KeywordEvent[]> {
  const out: KeywordEvent[] = [];
  for await (const e of spotter.detect(source)) out.push(e);
  return out;
}

describe('hostile input: sample values', function () {
  this.timeout(60000);
  let spotter: KeywordSpotter;
  let badPosteriors: () => number;
  before(async () => ({ spotter, badPosteriors } = await checkedSpotter()));

  it('2 hours of digital silence: finite features and posteriors, no event', () => {
    expect(nonFiniteFeatures(2 * 3600, () => 0)).to.equal(0);
    expect(streamSignal(spotter, 2 * 3600, () => 0)).to.deep.equal([]);
    expect(badPosteriors()).to.equal(0);
  });

  it('full-scale clipped bursts: one event per burst, each inside its burst', () => {
    const evs = streamSignal(spotter, 20, squareBursts);
    expect(evs).to.have.length(10);
    evs.forEach((e, k) => {
      expect(e.start).to.be.within(1 + 2 * k, 1.5 + 2 * k);
      expect(e.end).to.be.within(e.start, 1.6 + 2 * k);
    });
    // 10 minutes of full-scale square wave: one loud stretch, one event.
    const square = (i: number) => (Math.sin(i * 0.2) >= 0 ? 1 : -1);
    expect(streamSignal(spotter, 600, square)).to.have.length(1);
    expect(nonFiniteFeatures(60, square)).to.equal(0);
    expect(badPosteriors()).to.equal(0);
  });

  it('DC offset: finite features; at most the one event where the DC starts, none later in 10 minutes', () => {
    for (const dc of [0.5, -1, 1]) {
      expect(
        nonFiniteFeatures(10, () => dc),
        `dc ${dc}`,
      ).to.equal(0);
      const evs = streamSignal(spotter, 600, () => dc);
      expect(evs.length, `dc ${dc}`).to.be.at.most(1);
      for (const e of evs) expect(e.start, `dc ${dc}`).to.be.below(1);
    }
    // DC that starts after 5 s of silence: again at most one event, where it starts.
    const late = streamSignal(spotter, 600, (i) => (i >= 5 * RATE ? 0.5 : 0));
    expect(late.length).to.be.at.most(1);
    for (const e of late) expect(e.start).to.be.within(4.9, 6);
    expect(badPosteriors()).to.equal(0);
  });

  it('NaN/±Inf/huge samples pushed raw into a stream: finite posteriors, no event, later bursts still found on time', () => {
    expect(streamSignal(spotter, 20, garbageBursts)).to.deep.equal([]);
    expect(badPosteriors()).to.equal(0);
    // garbage for 10 s, then the clipped bursts: the same events as after 10 s of silence.
    const after = (first: (i: number) => number) => streamSignal(spotter, 30, (i) => (i < 10 * RATE ? first(i) : squareBursts(i)));
    expect(after(garbageBursts)).to.deep.equal(after(() => 0));
  });

  it('NaN/Inf in a float WAV and in f32le stdin: sanitised to silence with one warning — no event, same as zeros', async () => {
    const n = 20 * RATE;
    const garbage = Float32Array.from({ length: n }, (_, i) => nonFiniteBursts(i));
    const wav = writeTemp('hostile-nan.wav', wavBytes(garbage, RATE, '32f'));
    const warnings: string[] = [];
    expect(await events(spotter, await openWav(wav, { onWarning: (w) => warnings.push(w) }))).to.deep.equal([]);
    expect(warnings.filter((w) => /NaN\/Infinity/.test(w))).to.have.length(1);

    const stdinWarnings: string[] = [];
    const bytes = Buffer.from(garbage.buffer);
    const pieces = [bytes.subarray(0, 4001), bytes.subarray(4001)]; // split inside a sample
    const source = pcmStream(Readable.from(pieces), {
      sampleRate: RATE,
      encoding: 'f32le',
      channels: 1,
      onWarning: (w) => stdinWarnings.push(w),
    });
    expect(await events(spotter, source)).to.deep.equal([]);
    expect(stdinWarnings.some((w) => /NaN\/Infinity/.test(w))).to.equal(true);
  });
});
