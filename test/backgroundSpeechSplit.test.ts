import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  BACKGROUND_SPEECH_TESTING_PERCENT,
  BACKGROUND_SPEECH_VALIDATION_PERCENT,
  backgroundSpeechSplit,
  loadDataset,
  speakerOfFile,
  SPEECH_UNKNOWN_FOLDER,
  Split,
  UNKNOWN_LABEL,
} from '../src/data/dataset';
import { DatasetError } from '../src/errors';
import { loadTrainingData } from '../src/data/clips';
import { writeClip } from '../src/synth/wav';
import { sharedData } from './support/sharedData';

const FS = 16000;

function clip(file: string, samples: number, level: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeClip(file, new Float32Array(samples).fill(level));
}

/** A folder of 10 "yes" and 10 "no" clips and a speech folder `talk/` of `speakers` LibriSpeech-named recordings of `seconds` s, for `run`. */
async function withCorpus(
  first: number,
  speakers: number,
  seconds: number,
  run: (root: string, speechDir: string) => Promise<void>,
): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-speech-'));
  try {
    for (const w of ['yes', 'no']) for (let i = 0; i < 10; i++) clip(path.join(root, w, `s${i}_nohash_0.wav`), FS / 2, 0.1);
    const speechDir = path.join(root, 'talk');
    for (let s = 0; s < speakers; s++) clip(path.join(speechDir, `${first + s}-1-0000.wav`), seconds * FS, 0.01);
    await run(root, speechDir);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

describe('background speech is split by speaker', function () {
  it('names the speaker of LibriSpeech and Speech Commands files; any other file is its own speaker', () => {
    expect(speakerOfFile('/x/1034-121119-0000.flac')).to.equal('1034');
    expect(speakerOfFile('1034-9-12.wav')).to.equal('1034');
    expect(speakerOfFile('ab12cd_nohash_3.flac')).to.equal('ab12cd');
    expect(speakerOfFile('kitchen-talk.wav')).to.equal('kitchen-talk');
  });

  it('puts every recording of a speaker in one split, with about the stated shares', () => {
    const speakers = Array.from({ length: 2000 }, (_, i) => String(100 + i));
    const count: Record<Split, number> = { train: 0, validation: 0, test: 0 };
    for (const s of speakers) {
      const split = backgroundSpeechSplit(`${s}-1-0000.flac`);
      expect(backgroundSpeechSplit(`${s}-77-0031.flac`)).to.equal(split);
      count[split]++;
    }
    expect(count.validation / 20).to.be.closeTo(BACKGROUND_SPEECH_VALIDATION_PERCENT, 3);
    expect(count.test / 20).to.be.closeTo(BACKGROUND_SPEECH_TESTING_PERCENT, 3);
  });

  it('training sequences get only the training speakers; each split its own speakers for its streams', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-speech-split-'));
    try {
      for (const w of ['yes', 'no']) for (let i = 0; i < 3; i++) clip(path.join(root, w, `s${i}_nohash_0.wav`), FS / 2, 0.1);
      const speechDir = path.join(root, 'talk');
      const expected: Record<Split, number> = { train: 0, validation: 0, test: 0 };
      for (let s = 0; s < 30; s++) {
        // each speaker's recording has its own length, so the test can tell them apart
        const name = `${200 + s}-1-0000.wav`;
        clip(path.join(speechDir, name), FS + 16 * s, 0.01);
        expected[backgroundSpeechSplit(name)]++;
      }
      expect(expected.validation, 'the fixture needs speakers in every split').to.be.above(0);
      expect(expected.test).to.be.above(0);
      const data = await loadTrainingData(root, { keywords: ['yes', 'no'], speech: [speechDir] });
      for (const split of ['train', 'validation', 'test'] as const) expect(data.speech[split], split).to.have.length(expected[split]);
      const lengths = (a: Float32Array[]) => new Set(a.map((x) => x.length));
      const held = lengths([...data.speech.validation, ...data.speech.test]);
      for (const b of data.background) expect(held.has(b.length), 'a held-out speaker in the training background').to.equal(false);
      expect(data.background).to.have.length(data.noise.length + expected.train);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('cuts training _unknown_ clips from the training speakers only, none in the held-out splits', () =>
    withCorpus(300, 30, 3, async (root, speechDir) => {
      const ds = await loadDataset(root, { keywords: ['yes', 'no'], speech: [speechDir], speechUnknownPercent: 50 });
      const cuts = (split: Split) => ds.splits[split].filter((c) => c.folder === SPEECH_UNKNOWN_FOLDER);
      expect(cuts('train')).to.have.length(Math.ceil((ds.counts.train.yes + ds.counts.train.no) / 2));
      for (const c of cuts('train')) {
        expect(c.label).to.equal(UNKNOWN_LABEL);
        expect(backgroundSpeechSplit(c.path)).to.equal('train');
        expect(c.segment!.durationSec).to.equal(ds.clipSec);
      }
      expect([...cuts('validation'), ...cuts('test')]).to.have.length(0);
      const none = await loadDataset(root, { keywords: ['yes', 'no'], speechUnknownPercent: 50 }).catch((e: Error) => e);
      expect(none).to.be.instanceOf(DatasetError);
      expect((none as Error).message).to.match(/--speech/);
    }));

  it('adds running-speech training sequences (as % of the keyword clips) only with training speech', () =>
    withCorpus(400, 10, 2, async (root, speechDir) => {
      const data = await loadTrainingData(root, { keywords: ['yes', 'no'], speech: [speechDir], runningSpeechPercent: 50 });
      const running = data.clips.train.filter((c) => c.running);
      const keywordClips = data.clips.train.filter((c) => c.label < 2).length;
      expect(running).to.have.length(Math.round(keywordClips / 2));
      for (const c of running) expect(data.labels[c.label]).to.equal(UNKNOWN_LABEL);
      expect([...data.clips.validation, ...data.clips.test].some((c) => c.running)).to.equal(false);
      const none = await loadTrainingData(root, { keywords: ['yes', 'no'], runningSpeechPercent: 50 }).catch((e: Error) => e);
      expect(none).to.be.instanceOf(DatasetError);
      expect((none as Error).message).to.match(/--speech/);
    }));

  it('splits the shared LibriSpeech folder into three speaker-disjoint parts', function () {
    const dir = sharedData(this, 'librispeech');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.flac'));
    const bySplit = new Map<Split, Set<string>>();
    for (const f of files) {
      const split = backgroundSpeechSplit(f);
      if (!bySplit.has(split)) bySplit.set(split, new Set());
      bySplit.get(split)!.add(speakerOfFile(f));
    }
    expect([...bySplit.keys()].sort()).to.deep.equal(['test', 'train', 'validation']);
    const all = [...bySplit.values()].reduce((n, s) => n + s.size, 0);
    expect(new Set(files.map(speakerOfFile)).size).to.equal(all); // no speaker in two splits
    expect(bySplit.get('validation')!.size).to.be.at.least(10);
    expect(bySplit.get('test')!.size).to.be.at.least(10);
  });
});
