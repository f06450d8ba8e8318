/** What a detection stream was playing when a false alarm fired (src/eval/falseAlarmSources.ts), and the stream's record of it. */
import { expect } from 'chai';
import { MATCH_AFTER_SEC } from '../src/eval/detection';
import { detectionStream, PlacedItem } from '../src/eval/detectionStream';
import { falseAlarmSources, tallyFalseAlarms } from '../src/eval/falseAlarmSources';
import { LabelledClip } from '../src/data/sequence';
import { KeywordEvent } from '../src/pipeline/events';

const alarm = (keyword: string, end: number): KeywordEvent => ({ keyword, start: end - 0.5, end, confidence: 0.99 });

describe('false-alarm sources', () => {
  const items: PlacedItem[] = [
    { source: 'speech', from: 0, path: '/talk/a.flac', start: 10, end: 16 },
    { source: 'keyword', label: 'alexa', from: 0, start: 20, end: 22 },
    { source: 'clip', from: 0, start: 22.5, end: 23.5 },
    { source: 'keyword', label: 'jarvis', from: 1, start: 40, end: 42 },
    { source: 'speech', from: 3, path: '/talk/b.flac', start: 50, end: 55 },
    { source: 'speech', from: 0, path: '/talk/a.flac', start: 60, end: 66 }, // the first recording again
  ];

  it('names the item sounding when the alarm fired, or ended at most MATCH_AFTER_SEC before it; the latest to start of several', () => {
    const counts = falseAlarmSources(
      [
        alarm('jarvis', 12), // inside the speech
        alarm('jarvis', 16 + MATCH_AFTER_SEC - 0.01), // just after it
        alarm('jarvis', 21), // on an alexa clip
        alarm('jarvis', 23), // the alexa clip has ended 1 s before, the clip sounds: the clip
        alarm('alexa', 23.5 + MATCH_AFTER_SEC + 0.01), // after everything near: the noise bed
        alarm('jarvis', 41.5), // a second event on its own word
        alarm('alexa', 5), // before anything was inserted
      ],
      items,
    );
    expect(counts).to.deep.equal({ speech: 2, otherKeyword: 1, clip: 1, noise: 2, sameKeyword: 1 });
  });

  it('tells apart alarms on one recording heard again from alarms on other recordings', () => {
    const tally = tallyFalseAlarms(
      [alarm('jarvis', 12), alarm('jarvis', 14), alarm('jarvis', 52), alarm('jarvis', 61), alarm('jarvis', 41), alarm('jarvis', 90)],
      items,
    );
    expect(tally.alarms).to.include({ speech: 4, sameKeyword: 1, noise: 1 });
    expect(tally.distinct).to.deep.equal({ speech: 2, sameKeyword: 1, otherKeyword: 0, clip: 0, noise: 0 });
    expect(tally.items).to.deep.equal([
      { source: 'speech', path: '/talk/a.flac', alarms: 3 },
      { source: 'speech', path: '/talk/b.flac', alarms: 1 },
      { source: 'sameKeyword', alarms: 1 }, // a stream that did not know the clip's file
    ]);
    // one clip is "its own word" for one keyword and "another" for the next: counted under each
    expect(tallyFalseAlarms([alarm('alexa', 21), alarm('jarvis', 21.5)], items).distinct).to.include({ sameKeyword: 1, otherKeyword: 1 });
  });

  it('names what a fired clip says when its corpus logs it, and nothing for files it does not know', () => {
    const said: Record<string, string> = { '/talk/b.flac': 'computing' };
    const tally = tallyFalseAlarms([alarm('jarvis', 52), alarm('jarvis', 12)], items, (file) => said[file]);
    expect(tally.items).to.deep.equal([
      { source: 'speech', path: '/talk/b.flac', text: 'computing', alarms: 1 },
      { source: 'speech', path: '/talk/a.flac', alarms: 1 },
    ]);
  });

  it('counts nothing when nothing fired', () => {
    expect(Object.values(falseAlarmSources([], items)).every((n) => n === 0)).to.equal(true);
  });

  it('the stream records every inserted item in order, each keyword clip around its word', () => {
    const FS = 16000;
    const tone = (sec: number, f: number) => Float32Array.from({ length: sec * FS }, (_, i) => 0.3 * Math.sin((2 * Math.PI * f * i) / FS));
    const labels = ['alexa', '_unknown_', '_silence_', 'jarvis'];
    const clips: LabelledClip[] = [
      { samples: tone(1.5, 300), label: 0, word: { start: 4000, end: 16000 }, path: '/words/alexa.wav' },
      { samples: tone(1, 500), label: 1, word: { start: 0, end: 16000 }, path: '/words/other.wav' },
      { samples: tone(1.5, 400), label: 3, word: { start: 4000, end: 16000 } }, // read from no file
    ];
    const speechFiles = ['/talk/a.flac', '/talk/b.flac'];
    const blocks = [...detectionStream(clips, labels, [tone(3, 50)], [tone(10, 700), tone(12, 900)], { minutes: 3, seed: 4, speechFiles })];
    const items = blocks.flatMap((b) => b.items);
    const truth = blocks.flatMap((b) => b.truth);
    expect(new Set(items.map((i) => i.source))).to.deep.equal(new Set(['keyword', 'clip', 'speech']));
    for (let i = 1; i < items.length; i++) expect(items[i].start).to.be.at.least(items[i - 1].end);
    expect(items.every((i) => i.end > i.start && i.end <= 180)).to.equal(true);
    const keywordItems = items.filter((i) => i.source === 'keyword');
    expect(keywordItems.length).to.equal(truth.length);
    truth.forEach((t, j) => {
      expect(keywordItems[j].label).to.equal(t.keyword);
      expect(keywordItems[j].start).to.be.closeTo(t.start - 0.25, 1e-9);
      expect(keywordItems[j].end).to.be.closeTo(t.end + 0.5, 1e-9);
    });
    for (const s of items.filter((i) => i.source === 'speech')) expect(s.end - s.start).to.be.within(3, 8);
    for (const c of items.filter((i) => i.source === 'clip')) expect(c.end - c.start).to.be.closeTo(1, 1e-9);
    // `from` names the clip or recording: the keyword clips in turn, both speech recordings drawn, the one other clip
    expect(keywordItems.map((i) => i.from)).to.deep.equal(keywordItems.map((_, j) => j % 2));
    expect(keywordItems.map((i) => i.label)).to.deep.equal(keywordItems.map((_, j) => ['alexa', 'jarvis'][j % 2]));
    expect(new Set(items.filter((i) => i.source === 'speech').map((i) => i.from))).to.deep.equal(new Set([0, 1]));
    expect(new Set(items.filter((i) => i.source === 'clip').map((i) => i.from))).to.deep.equal(new Set([0]));
    // and `path` the file: the clip's, the recording's by speechFiles, none for a clip read from no file
    for (const i of items) {
      const expected =
        i.source === 'speech'
          ? speechFiles[i.from]
          : i.source === 'clip'
            ? '/words/other.wav'
            : i.label === 'alexa'
              ? '/words/alexa.wav'
              : undefined;
      expect(i.path, `${i.source} ${i.label ?? ''}`).to.equal(expected);
    }
  });
});
