/**
 * The warm-up: no event in the first frames of a stream, whose posteriors count as 0 in the
 * moving average. Checked on the smoother alone and through a KeywordSpotter built from a real
 * model directory's kws.json.
 */
import { expect } from 'chai';
import * as path from 'path';
import { PosteriorSmoother } from '../src/pipeline/smoother';
import { loadModelConfig } from '../src/model/kwsJson';
import { SmootherConfig } from '../src/model/smootherConfig';
import { FrameClassifier, KeywordSpotter } from '../src/pipeline/spotter';

const LABELS = ['_silence_', '_unknown_', 'yes'];
const TIMING = { sampleRate: 16000, hop: 160, windowSize: 400 };
const config = (warmupFrames?: number): SmootherConfig => ({
  smoothFrames: 4,
  maxFrames: 10,
  refractoryFrames: 20,
  minFrames: 1,
  thresholds: { yes: 0.6 },
  ...(warmupFrames !== undefined && { warmupFrames }),
});

/** Frames at which the smoother fires for a `yes` posterior sequence. */
function firing(s: PosteriorSmoother, yes: number[]): number[] {
  const frame = new Float32Array(LABELS.length);
  const out: number[] = [];
  yes.forEach((p, j) => {
    frame[2] = p;
    if (s.push(frame, j)) out.push(j);
  });
  return out;
}

describe('smoother warm-up', () => {
  it('a burst in the first frames fires without a warm-up and not with one', () => {
    const burst = [1, 1, 1, ...new Array(40).fill(0)];
    expect(firing(new PosteriorSmoother(config(), LABELS, ['yes'], TIMING), burst)).to.deep.equal([0]);
    expect(firing(new PosteriorSmoother(config(10), LABELS, ['yes'], TIMING), burst)).to.deep.equal([]);
  });

  it('warm-up posteriors count as 0: a run that lasts past the warm-up fires once the frames after it reach the threshold; reset() starts a new warm-up', () => {
    const s = new PosteriorSmoother(config(10), LABELS, ['yes'], TIMING);
    // mean over 4 frames, the first 10 counted as 0: frame 10 → 0.225, 11 → 0.45, 12 → 0.675 ≥ 0.6
    expect(firing(s, new Array(30).fill(0.9))).to.deep.equal([12]);
    s.reset();
    expect(firing(s, [1, 1, 1, ...new Array(20).fill(0)])).to.deep.equal([]);
  });

  it('models without the setting get their smoothing window as warm-up; a negative one is refused', () => {
    const shipped = loadModelConfig(path.resolve(__dirname, '..', 'models', 'default'));
    expect(shipped.smoother.warmupFrames).to.equal(shipped.smoother.smoothFrames);
    expect(() => new PosteriorSmoother(config(-1), LABELS, ['yes'], TIMING)).to.throw(/warmupFrames/);
  });

  it('a spotter whose classifier is sure of a keyword in its first frames gives no event there', () => {
    const model = loadModelConfig(path.resolve(__dirname, '..', 'models', 'default'));
    const yes = model.labels.indexOf('yes');
    /** Says "yes" with certainty for the first 20 frames after a reset, then silence. */
    const eager = (): FrameClassifier => {
      let n = 0;
      const p = new Float32Array(model.labels.length);
      return {
        step() {
          p.fill(0);
          p[n++ < 20 ? yes : model.labels.indexOf('_silence_')] = 1;
          return p;
        },
        reset: () => {
          n = 0;
        },
      };
    };
    const events = (smoother: SmootherConfig) => {
      const stream = new KeywordSpotter({ ...model, smoother }, eager).createStream();
      return [...stream.push(new Float32Array(16000)), ...stream.flush()];
    };
    const early = events({ ...model.smoother, warmupFrames: 0 });
    expect(early.map((e) => e.keyword)).to.deep.equal(['yes']); // the stream would fire…
    expect(early[0].end).to.be.below(0.3);
    expect(events(model.smoother)).to.deep.equal([]); // …and the warm-up keeps it quiet
  });
});
