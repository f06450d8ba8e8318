import { expect } from 'chai';
import { PosteriorSmoother } from '../src/pipeline/smoother';
import { SmootherConfig, withThresholds } from '../src/model/smootherConfig';
import { parseThresholdOverrides } from '../src/cli/spotterOptions';
import { KeywordEvent } from '../src/pipeline/events';
import { ConfigError } from '../src/errors';

const LABELS = ['_silence_', '_unknown_', 'yes', 'no'];
const KEYWORDS = ['yes', 'no'];
const TIMING = { sampleRate: 16000, hop: 160, windowSize: 400 };

function config(over: Partial<SmootherConfig> = {}): SmootherConfig {
  return {
    smoothFrames: 4,
    maxFrames: 10,
    refractoryFrames: 20,
    minFrames: 1,
    onsetRatio: 0.5,
    thresholds: { yes: 0.6, no: 0.6 },
    ...over,
  };
}

/** Posterior frames: `yes` follows the given sequence, everything else is 0. */
function run(smoother: PosteriorSmoother, yes: number[], no: number[] = []): Array<KeywordEvent & { frame: number }> {
  const out: Array<KeywordEvent & { frame: number }> = [];
  const frame = new Float32Array(LABELS.length);
  for (let j = 0; j < Math.max(yes.length, no.length); j++) {
    frame.fill(0);
    frame[2] = yes[j] ?? 0;
    frame[3] = no[j] ?? 0;
    const ev = smoother.push(frame, j);
    if (ev) out.push({ ...ev, frame: j });
  }
  return out;
}

const repeat = (v: number, n: number) => new Array<number>(n).fill(v);

describe('PosteriorSmoother', () => {
  it('averages over the frames seen so far at the stream start (Chen et al.)', () => {
    const s = new PosteriorSmoother(config({ minFrames: 2 }), LABELS, KEYWORDS, TIMING);
    expect(run(s, [1, 1, 0, 0, 0])[0].frame).to.equal(1);
  });

  it('averages over smoothFrames: fires on the frame the mean reaches the threshold', () => {
    // p = 0 × 10 then 1: mean over 4 frames reaches 0.75 ≥ 0.6 at the 3rd frame of ones (index 12).
    const s = new PosteriorSmoother(config(), LABELS, KEYWORDS, TIMING);
    const evs = run(s, [...repeat(0, 10), ...repeat(1, 10), ...repeat(0, 30)]);
    expect(evs).to.have.length(1);
    expect(evs[0].keyword).to.equal('yes');
    expect(evs[0].frame).to.equal(12);
    expect(evs[0].confidence).to.be.closeTo(0.75, 1e-6);
  });

  it('a short spike averaged away does not fire', () => {
    const s = new PosteriorSmoother(config(), LABELS, KEYWORDS, TIMING);
    expect(run(s, [...repeat(0, 10), 1, 1, ...repeat(0, 10)])).to.have.length(0); // mean peaks at 0.5
  });

  it('start = first frame above ρ·threshold, end = end of the firing frame', () => {
    // mean over 4: frame 10 → 0.25, 11 → 0.5 (≥ 0.3 onset: run starts), 12 → 0.75 fires.
    const s = new PosteriorSmoother(config(), LABELS, KEYWORDS, TIMING);
    const [ev] = run(s, [...repeat(0, 10), ...repeat(1, 10)]);
    expect(ev.start).to.be.closeTo((11 * 160) / 16000, 1e-12);
    expect(ev.end).to.be.closeTo((12 * 160 + 400) / 16000, 1e-12);
  });

  it('minFrames: the smoothed posterior must hold above threshold that many frames', () => {
    const seq = [...repeat(0, 10), ...repeat(1, 4), ...repeat(0, 20)]; // above 0.6 on frames 12, 13, 14
    expect(run(new PosteriorSmoother(config({ minFrames: 3 }), LABELS, KEYWORDS, TIMING), seq)[0].frame).to.equal(14);
    expect(run(new PosteriorSmoother(config({ minFrames: 4 }), LABELS, KEYWORDS, TIMING), seq)).to.have.length(0);
  });

  it('one long utterance gives one event (re-arms only after falling below the onset)', () => {
    const s = new PosteriorSmoother(config({ refractoryFrames: 5 }), LABELS, KEYWORDS, TIMING);
    expect(run(s, [...repeat(0, 5), ...repeat(0.9, 200), ...repeat(0, 10)])).to.have.length(1);
  });

  it('refractory period: a second utterance too soon is ignored, a later one fires', () => {
    const utter = [...repeat(1, 6), ...repeat(0, 6)]; // falls below onset between utterances
    const s = new PosteriorSmoother(config({ refractoryFrames: 30 }), LABELS, KEYWORDS, TIMING);
    const evs = run(s, [...repeat(0, 10), ...utter, ...utter, ...utter, ...utter]); // rises at 10, 22, 34, 46
    expect(evs.map((e) => e.frame)).to.deep.equal([12, 48]);
  });

  it('refractory is shared by all keywords; the highest smoothed posterior wins a tie', () => {
    const s = new PosteriorSmoother(config(), LABELS, KEYWORDS, TIMING);
    const evs = run(s, [...repeat(0, 5), ...repeat(0.8, 10), ...repeat(0, 30)], [...repeat(0, 5), ...repeat(0.95, 10), ...repeat(0, 30)]);
    expect(evs).to.have.length(1);
    expect(evs[0].keyword).to.equal('no');
  });

  it('confidence is the max of the smoothed posterior over maxFrames', () => {
    // With minFrames 6 the event fires after the mean peaked at 1.0 and began to fall.
    const s = new PosteriorSmoother(config({ minFrames: 6, smoothFrames: 2 }), LABELS, KEYWORDS, TIMING);
    const [ev] = run(s, [...repeat(0, 5), 1, 1, 1, 0.7, 0.7, 0.7, 0.7, ...repeat(0, 10)]);
    expect(ev.confidence).to.be.closeTo(1, 1e-6);
  });

  it('per-keyword thresholds come from the config and can be overridden', () => {
    const seq = [...repeat(0, 5), ...repeat(0.7, 10), ...repeat(0, 20)];
    expect(run(new PosteriorSmoother(config(), LABELS, KEYWORDS, TIMING), seq)).to.have.length(1);
    const strict = withThresholds(config(), KEYWORDS, { yes: 0.8 });
    expect(strict.thresholds).to.deep.equal({ yes: 0.8, no: 0.6 });
    expect(run(new PosteriorSmoother(strict, LABELS, KEYWORDS, TIMING), seq)).to.have.length(0);
    expect(() => withThresholds(config(), KEYWORDS, { maybe: 0.5 })).to.throw(ConfigError, /unknown keyword "maybe"/);
    expect(() => withThresholds(config(), KEYWORDS, { yes: 1.5 })).to.throw(ConfigError, /\[0, 1\]/);
  });

  it('parses kw=value overrides and rejects malformed ones', () => {
    expect(parseThresholdOverrides(['yes=0.8', ' no = 0.25'])).to.deep.equal({ yes: 0.8, no: 0.25 });
    expect(() => parseThresholdOverrides(['yes'])).to.throw(ConfigError, /keyword=value/);
    expect(() => parseThresholdOverrides(['yes=high'])).to.throw(ConfigError);
  });

  it('NaN/Inf posteriors count as 0 and never poison the running mean', () => {
    const s = new PosteriorSmoother(config(), LABELS, KEYWORDS, TIMING);
    const evs = run(s, [NaN, Infinity, ...repeat(0, 10), ...repeat(1, 6), ...repeat(0, 10)]);
    expect(evs).to.have.length(1);
    expect(evs[0].frame).to.equal(14);
  });

  it('running sums stay exact over a long stream (no drift)', () => {
    const s = new PosteriorSmoother(config({ smoothFrames: 7 }), LABELS, KEYWORDS, TIMING);
    const frame = new Float32Array(LABELS.length);
    let x = 1;
    for (let j = 0; j < 200_000; j++) {
      x = (x * 16807) % 2147483647;
      frame[2] = (x / 2147483647) * 0.5; // stays below the 0.6 threshold
      expect(s.push(frame, j)).to.equal(null);
    }
    frame[2] = 1;
    const fired = [0, 1, 2, 3, 4, 5, 6].map((k) => s.push(frame, 200_000 + k)).findIndex((e) => e !== null);
    // Mean over 7 of (k+1) ones and (6−k) values < 0.5 reaches 0.6 no later than k = 4 (5/7 ≈ 0.71).
    expect(fired).to.be.within(1, 4);
    // Event times are exact at a large frame index (integers, no float accumulation).
    const late = new PosteriorSmoother(config(), LABELS, KEYWORDS, TIMING);
    const big = 3_600_000; // 10 hours of 10 ms frames
    const ev = late.push(frame, big); // the first frame's mean is over the one frame seen: fires
    expect(ev!.end).to.equal((big * 160 + 400) / 16000);
    expect(ev!.start).to.equal(big / 100);
  });

  it('reset() forgets history', () => {
    const s = new PosteriorSmoother(config(), LABELS, KEYWORDS, TIMING);
    const seq = [...repeat(0, 5), ...repeat(1, 6)];
    const first = run(s, seq);
    s.reset();
    expect(run(s, seq)).to.deep.equal(first);
  });

  it('rejects bad settings with ConfigError', () => {
    expect(() => new PosteriorSmoother(config({ smoothFrames: 0 }), LABELS, KEYWORDS, TIMING)).to.throw(ConfigError);
    expect(() => new PosteriorSmoother(config({ onsetRatio: 0 }), LABELS, KEYWORDS, TIMING)).to.throw(ConfigError);
    expect(() => new PosteriorSmoother(config(), LABELS, ['maybe'], TIMING)).to.throw(ConfigError, /not one of the labels/);
  });
});
