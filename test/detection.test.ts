import { expect } from 'chai';
import { DetectionModel, detCurve, matchEvents, MATCH_AFTER_SEC, RecordedStream, scoreDetections } from '../src/eval/detection';

const LABELS = ['_silence_', '_unknown_', 'yes', 'no'];
const KEYWORDS = ['yes', 'no'];
const FRAMES = 1000; // 10 s of 10 ms frames

function model(): DetectionModel {
  return {
    features: { sampleRate: 16000, hop: 160, windowSize: 400 } as DetectionModel['features'],
    normalization: {} as DetectionModel['normalization'],
    labels: LABELS,
    keywords: KEYWORDS,
    smoother: { smoothFrames: 4, maxFrames: 10, refractoryFrames: 100, minFrames: 1, onsetRatio: 0.5, thresholds: { yes: 0.9, no: 0.9 } },
    classifier: {
      step: () => {
        throw new Error('replays never run the classifier');
      },
      reset: () => undefined,
    },
  };
}

/**
 * One spoken "no" (frames 300–340). The classifier half-believes "yes" at the word's start
 * (0.35) and is sure of "no" from frame 315 (0.95): at a low threshold "yes" crosses first.
 */
function noTakenForYesFirst(): RecordedStream {
  const C = LABELS.length;
  const posteriors = new Float32Array(FRAMES * C);
  for (let f = 300; f < 330; f++) posteriors[f * C + 2] = 0.35;
  for (let f = 315; f < 360; f++) posteriors[f * C + 3] = 0.95;
  return { posteriors, frames: FRAMES, classes: C, truth: [{ keyword: 'no', start: 3.0, end: 3.4 }], hours: FRAMES / 100 / 3600 };
}

describe('detection metrics', () => {
  it('the spotter with every keyword at 0.3 fires "yes" on the "no" and its refractory period swallows the "no"', () => {
    const s = scoreDetections(noTakenForYesFirst(), model(), { yes: 0.3, no: 0.3 });
    expect(s.no.missed).to.equal(1);
    expect(s.yes.falseAlarms).to.equal(1);
  });

  it("DET: each keyword's line is its own detector, so lowering thresholds never adds misses another keyword caused", () => {
    const rec = noTakenForYesFirst();
    const points = detCurve(rec, model(), [0.3, 0.9]);
    const at = (keyword: string, threshold: number) => points.find((p) => p.keyword === keyword && p.threshold === threshold)!;
    expect(at('no', 0.9).frr).to.equal(0);
    expect(at('no', 0.3).frr).to.equal(0); // a sweep of all thresholds together gave 1 here
    expect(at('yes', 0.3).faPerHour).to.be.closeTo(1 / rec.hours, 1e-9); // "yes" on the "no" is still its false alarm
    expect(at('yes', 0.9).faPerHour).to.equal(0);
  });

  it('an event matches a word of its keyword when it ends in [word start, word end + MATCH_AFTER_SEC]', () => {
    const truth = [{ keyword: 'no', start: 3.0, end: 3.4 }];
    const event = (end: number) => ({ keyword: 'no', start: 3.0, end, confidence: 1 });
    expect(matchEvents([event(3.4 + MATCH_AFTER_SEC)], truth, KEYWORDS, 1).no).to.include({ missed: 0, falseAlarms: 0 });
    expect(matchEvents([event(3.4 + MATCH_AFTER_SEC + 0.01)], truth, KEYWORDS, 1).no).to.include({ missed: 1, falseAlarms: 1 });
    expect(matchEvents([event(2.99)], truth, KEYWORDS, 1).no).to.include({ missed: 1, falseAlarms: 1 });
    expect(matchEvents([{ ...event(3.4), keyword: 'yes' }], truth, KEYWORDS, 1)).to.deep.include({
      no: { inserted: 1, missed: 1, falseAlarms: 0, frr: 1, faPerHour: 0 },
      yes: { inserted: 0, missed: 0, falseAlarms: 1, frr: 0, faPerHour: 1 },
    });
  });
});
