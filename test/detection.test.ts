import { expect } from 'chai';
import * as path from 'path';
import {
  chooseThresholds,
  DetectionModel,
  detCurve,
  falseAlarmsAt,
  matchEvents,
  MATCH_AFTER_SEC,
  missRateAt,
  operatingPoint,
  RecordedStream,
  refineDet,
  refineOperatingPoint,
  scoreDetections,
} from '../src/eval/detection';
import { TruthEvent } from '../src/eval/detectionStream';
import { keywordMiss, strongestNegatives } from '../src/eval/wakewordBench';

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
    items: [{ source: 'keyword', label: word.keyword, from: 0, start: word.start, end: word.end }],
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

  it('the operating point is the fewest misses within the budget at the lowest such threshold, and its false alarms are the ones it counts', () => {
    const rec = closeCall();
    const points = detCurve(rec, model(), [0.5, 0.9, 0.95, 0.96, 0.975]);
    // 0.5–0.95 find the word and fire on the speech (0.955); 0.96 finds the word (0.965) alone; 0.975 finds nothing
    expect(operatingPoint(points, 'no', 1e9)).to.include({ threshold: 0.5, frr: 0 });
    expect(operatingPoint(points, 'no', 0)).to.include({ threshold: 0.96, frr: 0 });
    expect(operatingPoint(points, 'yes', 0)).to.include({ threshold: 0.5 }); // never fires: the lowest threshold
    expect(operatingPoint(points, 'no', -1)).to.equal(null);
    expect(missRateAt(points, 'no', -1)).to.equal(1);
    const loose = operatingPoint(points, 'no', 1e9)!;
    const alarms = falseAlarmsAt(rec, model(), loose);
    expect(alarms.length).to.equal(Math.round(loose.faPerHour * rec.hours));
    expect(alarms.map((e) => e.keyword)).to.deep.equal(['no']);
    expect(alarms[0].end).to.be.within(2.0, 2.4 + MATCH_AFTER_SEC); // on the speech (frames 200–240), not the word at 6 s
    expect(falseAlarmsAt(rec, model(), operatingPoint(points, 'no', 0)!)).to.deep.equal([]);
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

describe("wake-word benchmark: what a keyword's 0.5 FA/h threshold is set by", () => {
  /**
   * "no" said once (0.995) over 4 h of stream: one running-speech recording heard twice answers at
   * 0.97, a negatives' clip at 0.96. Two alarms in 4 h is the 0.5 FA/h budget, so its threshold
   * sits between 0.96 and 0.97, and its alarms are that one recording, twice.
   */
  function heardTwice(): RecordedStream {
    const rec = recorded(
      [
        [100, 140, 'no', 0.97],
        [300, 340, 'no', 0.97],
        [600, 640, 'no', 0.995],
        [800, 840, 'no', 0.96],
      ],
      { keyword: 'no', start: 6.0, end: 6.4 },
    );
    rec.items = [
      { source: 'speech', from: 0, start: 0.8, end: 1.6 },
      { source: 'speech', from: 0, start: 2.8, end: 3.6 },
      { source: 'keyword', label: 'no', from: 0, start: 5.8, end: 6.6 },
      { source: 'clip', from: 2, start: 7.8, end: 8.6 },
    ];
    return { ...rec, hours: 4 };
  }

  it('names the source and the distinct recordings of the false alarms left at the 0.5 FA/h operating point', () => {
    const rec = heardTwice();
    const det = detCurve(rec, model(), [0.5, 0.955, 0.965, 0.975]);
    const no = keywordMiss(rec, model(), det, 'no', () => true);
    expect(no).to.include({ inserted: 1, missAtHalfFaPerHour: 0 });
    expect(no.falseAlarmsAtHalfFaPerHour!.threshold).to.equal(0.965);
    expect(no.falseAlarmsAtHalfFaPerHour!.alarms).to.include({ speech: 2, clip: 0 });
    expect(no.falseAlarmsAtHalfFaPerHour!.distinct).to.include({ speech: 1, clip: 0 });
    const text = strongestNegatives('no', no.falseAlarmsAtHalfFaPerHour!);
    expect(text).to.equal('at 0.5 FA/h, no (threshold 0.965) fired 2 time(s), on: running speech (--speech) 2 (1 distinct)');
    // a clip its corpus logs is named with what it says: the sound-alike that set the threshold
    const named = {
      ...no.falseAlarmsAtHalfFaPerHour!,
      items: [{ source: 'clip' as const, path: path.resolve('n/_unknown_/a.wav'), text: 'know', alarms: 2 }],
    };
    expect(strongestNegatives('no', named)).to.match(/; most on n\/_unknown_\/a\.wav "know" \(2\)$/);
    // a stream too short for the budget reads neither the miss rate nor its negatives
    const short = keywordMiss(rec, model(), det, 'no', (budget) => budget >= 1);
    expect(short.missAtHalfFaPerHour).to.equal(null);
    expect(short).to.not.have.property('falseAlarmsAtHalfFaPerHour');
  });
});
