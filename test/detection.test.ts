import { expect } from 'chai';
import {
  chooseThresholds,
  DetectionModel,
  detCurve,
  matchEvents,
  MATCH_AFTER_SEC,
  missRateAt,
  RecordedStream,
  refineDet,
  refineOperatingPoint,
  scoreDetections,
} from '../src/eval/detection';
import { TruthEvent } from '../src/eval/detectionStream';

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
  return recorded(
    [
      [300, 330, 'yes', 0.35],
      [315, 360, 'no', 0.95],
    ],
    { keyword: 'no', start: 3.0, end: 3.4 },
  );
}

/** A recorded stream of FRAMES frames, zero but for runs [from, to) of one label's posterior, with one word in its truth. */
function recorded(runs: Array<[number, number, string, number]>, word: TruthEvent): RecordedStream {
  const C = LABELS.length;
  const posteriors = new Float32Array(FRAMES * C);
  for (const [from, to, label, p] of runs) for (let f = from; f < to; f++) posteriors[f * C + LABELS.indexOf(label)] = p;
  return {
    posteriors,
    frames: FRAMES,
    classes: C,
    truth: [word],
    items: [{ source: 'keyword', label: word.keyword, start: word.start, end: word.end }],
    hours: FRAMES / 100 / 3600,
  };
}

/**
 * "no" said once (frames 600–640) with a posterior of 0.965, and speech without it that "no"
 * answers at 0.955 (frames 200–240): between the grid's 0.95 and 0.975 lies a threshold that
 * finds the word without the false alarm.
 */
function closeCall(): RecordedStream {
  return recorded(
    [
      [200, 240, 'no', 0.955],
      [600, 640, 'no', 0.965],
    ],
    { keyword: 'no', start: 6.0, end: 6.4 },
  );
}

describe('detection metrics', () => {
  it('refines the operating point between two grid thresholds: the word found with no false alarm', () => {
    const rec = closeCall();
    const grid = detCurve(rec, model(), [0.95, 0.975]);
    expect(missRateAt(grid, 'no', 0)).to.equal(1); // on the grid alone: 0.95 fires on the speech, 0.975 misses the word
    const added = refineOperatingPoint(rec, model(), grid, 'no', 0);
    expect(added.length).to.be.within(1, 6);
    const refined = refineDet(rec, model(), grid, [0]);
    expect(missRateAt(refined, 'no', 0)).to.equal(0);
    const t = chooseThresholds(refined, KEYWORDS, 0).no;
    expect(t).to.be.above(0.955).and.at.most(0.965);
    expect(scoreDetections(rec, model(), { yes: 1, no: t }).no).to.include({ missed: 0, falseAlarms: 0 });
    // sorted by threshold, grid points kept, no threshold twice
    expect(refined.map((p) => p.threshold)).to.deep.equal([...refined.map((p) => p.threshold)].sort((a, b) => a - b));
    expect(refined).to.deep.include(grid[0]);
    const keys = refined.map((p) => `${p.keyword} ${p.threshold}`);
    expect(new Set(keys).size).to.equal(keys.length);
  });

  it('adds nothing where the grid already holds the operating point or no threshold keeps the budget', () => {
    const rec = closeCall();
    const grid = detCurve(rec, model(), [0.95, 0.975]);
    expect(refineOperatingPoint(rec, model(), grid, 'no', 1e9)).to.deep.equal([]); // 0.95, the lowest, keeps it
    expect(refineOperatingPoint(rec, model(), detCurve(rec, model(), [0.5, 0.9]), 'no', 0)).to.deep.equal([]); // both fire on the speech
  });

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
