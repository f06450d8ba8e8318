/**
 * Thresholds never fire on silence: a model that says a keyword on digital silence (or during
 * its first frames after a reset) gets a threshold above what silence reaches, however low the
 * validation stream would let it go; and the verdict names what is wrong with a useless model.
 */
import { expect } from 'chai';
import { DEFAULT_FEATURE_CONFIG } from '../src/features/config';
import { DEFAULT_SMOOTHER_SETTINGS } from '../src/model/smootherConfig';
import { DetectionModel, recordPosteriors, THRESHOLD_GRID } from '../src/eval/detection';
import { whiteNoise, normalizeRms } from '../src/data/augment';
import { quietFalseAlarms, raiseAboveQuiet, recordQuiet } from '../src/eval/quietCheck';
import { rngFor } from '../src/data/random';
import { chooseSafeThresholds } from '../src/train/thresholds';

const LABELS = ['yes', '_unknown_', '_silence_'];

/** A model whose classifier gives `yes` = f(frame, frames since reset), the rest to _silence_. */
function fakeModel(yes: (frame: Float32Array, n: number) => number): DetectionModel {
  const p = new Float32Array(LABELS.length);
  let n = 0;
  return {
    features: DEFAULT_FEATURE_CONFIG,
    normalization: { mean: new Array(13).fill(0), std: new Array(13).fill(1) },
    labels: LABELS,
    keywords: ['yes'],
    smoother: { ...DEFAULT_SMOOTHER_SETTINGS, thresholds: { yes: 0.5 } },
    classifier: {
      step(frame) {
        p[0] = yes(frame, n++);
        p[2] = 1 - p[0];
        return p;
      },
      reset: () => {
        n = 0;
      },
    },
  };
}

const isDigitalSilence = (frame: Float32Array) => frame.every((v) => v === 0);

describe('thresholds and silence', function () {
  this.timeout(30000);

  it('a model that fires only on digital silence: the validation stream alone picks the bottom threshold, the quiet check lifts it above silence', () => {
    const model = fakeModel((frame) => (isDigitalSilence(frame) ? 0.71 : 0.02));
    const noise = normalizeRms(whiteNoise(16000 * 120, rngFor(1, 'test')), 0.01);
    const rec = recordPosteriors(model, [{ audio: noise, truth: [], items: [] }]);
    const quiet = recordQuiet(model, 1);
    const result = chooseSafeThresholds(rec, quiet, model, 1);
    expect(result.raised.yes.from).to.equal(THRESHOLD_GRID[0]); // what the stream alone gave
    expect(result.thresholds.yes).to.be.above(0.71);
    expect(quietFalseAlarms(quiet, model, result.thresholds)).to.deep.equal({});
    expect(quietFalseAlarms(quiet, model, { yes: THRESHOLD_GRID[0] })).to.deep.equal({ yes: ['digital silence'] });
  });

  it("the model's start-up counts: a keyword posterior that outlasts the smoother's warm-up raises the threshold", () => {
    const warmup = DEFAULT_SMOOTHER_SETTINGS.warmupFrames!;
    const model = fakeModel((_f, n) => (n < warmup + 40 ? 0.91 : 0)); // a full smoothing window of 0.91 after the warm-up
    const quiet = recordQuiet(model, 1);
    expect(Object.keys(quietFalseAlarms(quiet, model, { yes: 0.5 }))).to.deep.equal(['yes']);
    const { thresholds, firing } = raiseAboveQuiet(quiet, model, { yes: 0.5 });
    expect(thresholds.yes).to.be.above(0.91);
    expect(firing).to.deep.equal({});
    // Within the warm-up only: counted as 0, no event, nothing to raise.
    const brief = fakeModel((_f, n) => (n < warmup ? 1 : 0));
    expect(raiseAboveQuiet(recordQuiet(brief, 1), brief, { yes: 0.5 }).raised).to.deep.equal({});
  });

  it('a keyword that fires on silence even at the top of the range is reported as still firing', () => {
    const model = fakeModel(() => 1);
    const { thresholds, firing } = raiseAboveQuiet(recordQuiet(model, 1), model, { yes: 0.5 });
    expect(thresholds.yes).to.equal(THRESHOLD_GRID[THRESHOLD_GRID.length - 1]);
    expect(firing.yes).to.include('digital silence');
  });
});
