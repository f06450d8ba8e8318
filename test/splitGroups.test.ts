/** Split groups: copies of one recording found and kept once, one speaker's takes kept in one split (kws groups, --groups). */
import { expect } from 'chai';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { changeSpeed } from '../src/data/augment';
import { loadDataset, whichSet } from '../src/data/dataset';
import { Rng } from '../src/data/random';
import { findCopies, groupsOf } from '../src/data/sameRecording';
import {
  numberedRuns,
  readSplitGroups,
  readSplitGroupsFile,
  recordedGroupsFile,
  recordedGroupsPath,
  SplitGroupsFile,
  writeSplitGroups,
} from '../src/data/splitGroups';
import { loadDataForModel } from '../src/eval/evaluate';
import { KwsModelConfig } from '../src/model/kwsJson';
import { DatasetError } from '../src/errors';
import { writeClip } from '../src/synth/wav';
import { speechLike } from './support/features';
import { ROOT } from './support/pipeline';
import { sharedData } from './support/sharedData';

const FS = 16000;
const made: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-groups-test-'));
  made.push(dir);
  return dir;
}
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** `take` saved again: shifted by `shift` samples (padding in front), quieter, with a little noise (a re-encoded copy is not sample-equal). */
function copyOf(take: Float32Array, shift: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(take.length + shift);
  for (let i = 0; i < out.length; i++) out[i] = (i >= shift ? 0.8 * take[i - shift] : 0) + 1e-3 * rng.uniform(-1, 1);
  return out;
}

/** Another take by "the same speaker": the same syllables said at another pace (speed factor `pace`), other noise. */
const retake = (seed: number, pace: number) => changeSpeed(speechLike(1.5, FS, seed), pace);

describe('split groups: copies of one recording', () => {
  const take = speechLike(1.5, FS, 1);
  const clips = [
    take,
    retake(2, 1.04),
    copyOf(take, 288, 3),
    speechLike(1.2, FS, 4).map((v) => -0.5 * v),
    copyOf(take, 5120, 5),
    retake(6, 0.97),
  ];

  it('finds the shifted, re-encoded copies of a take and not the other takes of the same words', () => {
    const copies = findCopies(clips, { neighbours: clips.length - 1 });
    const pairs = copies.map((c) => `${c.a}-${c.b}`).sort();
    expect(pairs).to.deep.equal(['0-2', '0-4', '2-4']);
    for (const c of copies) expect(c.correlation).to.be.above(0.95);
    expect(groupsOf(copies)).to.deep.equal([[0, 2, 4]]);
  });

  it('joins pairs into groups transitively', () => {
    expect(
      groupsOf([
        { a: 5, b: 1 },
        { a: 3, b: 4 },
        { a: 1, b: 9 },
      ]),
    ).to.deep.equal([
      [1, 5, 9],
      [3, 4],
    ]);
    expect(groupsOf([])).to.deep.equal([]);
  });
});

describe('split groups: numbered runs', () => {
  it('puts files named by consecutive whole numbers in blocks of n, per folder', () => {
    const rels = ['alexa/0.flac', 'alexa/7.flac', 'alexa/8.flac', 'alexa/10.flac', 'alexa/abc.flac', 'jarvis/1.flac', 'jarvis/2.wav'];
    expect(numberedRuns(rels, 8)).to.deep.equal([
      ['alexa/0.flac', 'alexa/7.flac'],
      ['alexa/8.flac', 'alexa/10.flac'],
      ['jarvis/1.flac', 'jarvis/2.wav'],
    ]);
  });
});

describe('split groups: the dataset follows them', () => {
  /** Names in `word/` whose own hash splits differ, so a group that moves them together is visible. */
  function namesInEverySplit(word: string): Record<string, string> {
    const bySplit: Record<string, string> = {};
    for (let i = 0; Object.keys(bySplit).length < 3; i++) {
      const rel = `${word}/take${i}.wav`;
      bySplit[whichSet(rel)] ??= rel;
    }
    return bySplit;
  }

  it('skips the extra copies everywhere and keeps a group in the split of its smallest path', async () => {
    const root = tempDir();
    const yes = namesInEverySplit('yes');
    const rels = [...Object.values(yes), ...Array.from({ length: 12 }, (_, i) => `yes/other${i}.wav`), 'no/a.wav', 'no/b.wav'];
    for (const rel of rels) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeClip(path.join(root, rel), new Float32Array(1600).fill(0.1));
    }
    const speaker = [yes.train, yes.validation, yes.test].sort();
    const groups: SplitGroupsFile = {
      about: 'test',
      command: 'test',
      sameRecording: [['yes/other0.wav', 'yes/other1.wav', 'yes/other2.wav']],
      sameSpeaker: [speaker, ['yes/gone.wav', 'yes/other5.wav']],
    };
    const file = path.join(root, 'groups.json');
    writeSplitGroups(file, groups);
    const data = await loadDataset(root, { keywords: ['yes', 'no'], groups: file, unknownPercent: 0, silencePercent: 0 });
    const where = (rel: string) =>
      (['train', 'validation', 'test'] as const).filter((s) => data.splits[s].some((c) => c.path === path.join(root, rel)));
    expect(where('yes/other0.wav')).to.have.length(1);
    expect(where('yes/other1.wav'), 'an extra copy is in no split').to.deep.equal([]);
    expect(where('yes/other2.wav')).to.deep.equal([]);
    const home = whichSet(speaker[0]);
    for (const rel of speaker) expect(where(rel), rel).to.deep.equal([home]);
    expect(where('yes/other5.wav'), "a file grouped with one that is gone takes the group's split").to.deep.equal([
      whichSet('yes/gone.wav'),
    ]);
    expect(data.warnings).to.include(`2 copies of recordings skipped, each take kept once (${file})`);
    expect(data.warnings.some((w) => w.startsWith(`1 clip(s) named in ${file} are not in ${root}`))).to.equal(true);
    expect(data.groups).to.equal(path.resolve(file));
    const without = await loadDataset(root, { keywords: ['yes', 'no'], unknownPercent: 0, silencePercent: 0 });
    expect(without.groups).to.equal(undefined);
    expect(without.splits.train.length + without.splits.validation.length + without.splits.test.length).to.equal(rels.length);
  });

  it("is read again, for evaluation, from the model's kws.json record, which a clone anywhere can follow", async () => {
    expect(recordedGroupsPath(path.join(ROOT, 'splits', 'wakewords.json'))).to.equal('splits/wakewords.json');
    expect(recordedGroupsFile('splits/wakewords.json')).to.equal(path.join(ROOT, 'splits', 'wakewords.json'));
    const outside = path.join(os.tmpdir(), 'elsewhere.json');
    expect(recordedGroupsPath(outside)).to.equal(outside);
    expect(recordedGroupsFile(outside)).to.equal(outside);
    const root = tempDir();
    for (const rel of ['yes/a.wav', 'yes/b.wav', 'no/c.wav']) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeClip(path.join(root, rel), new Float32Array(1600).fill(0.1));
    }
    const file = path.join(root, 'groups.json');
    writeSplitGroups(file, { about: '', command: '', sameRecording: [['yes/a.wav', 'yes/b.wav']], sameSpeaker: [] });
    const config = {
      keywords: ['yes', 'no'],
      labels: ['yes', 'no', '_unknown_', '_silence_'],
      training: { groups: file },
    } as unknown as KwsModelConfig;
    const clipsOf = async (c: KwsModelConfig) => {
      const data = await loadDataForModel(c, root, 'train', { unknownPercent: 0, silencePercent: 0 }).catch(() => null);
      return data
        ? (['train', 'validation', 'test'] as const).flatMap((s) => data.dataset.splits[s].map((x) => path.basename(x.path))).sort()
        : [];
    };
    expect(await clipsOf(config)).to.not.include('b.wav');
    expect(await clipsOf({ ...config, training: {} })).to.include('b.wav');
  });

  it('rejects a file that is not a groups file with one error naming it', () => {
    const dir = tempDir();
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"sameRecording": [["a"]]}');
    expect(() => readSplitGroups(bad)).to.throw(DatasetError, `${bad}: not a split groups file`);
    expect(() => readSplitGroups(path.join(dir, 'none.json'))).to.throw(DatasetError, 'cannot read the split groups (ENOENT)');
  });
});

describe('split groups: the shared wake-word recordings', () => {
  it('splits/wakewords.json names only files that exist; each take is kept once, and every group sits in one split', async function () {
    const recordings = sharedData(this, 'wakewords');
    const file = path.join(ROOT, 'splits', 'wakewords.json');
    const groups = readSplitGroupsFile(file);
    const data = await loadDataset(recordings, { groups: file, unknownPercent: 0, silencePercent: 0 });
    expect(
      data.warnings.filter((w) => w.includes('are not in')),
      'every file it names exists',
    ).to.deep.equal([]);
    const splitOf = new Map(
      (['train', 'validation', 'test'] as const).flatMap((s) => data.splits[s].map((c) => [path.relative(recordings, c.path), s] as const)),
    );
    for (const g of groups.sameRecording)
      expect(
        g.filter((rel) => splitOf.has(rel)),
        'one copy of each take',
      ).to.deep.equal([g[0]]);
    for (const g of groups.sameSpeaker) expect(new Set(g.map((rel) => splitOf.get(rel))).size, g.join()).to.equal(1);
    const copies = groups.sameRecording.reduce((n, g) => n + g.length - 1, 0);
    expect(data.warnings).to.include(`${copies} copies of recordings skipped, each take kept once (${file})`);
  });
});

describe('kws groups', function () {
  this.timeout(60000);

  it('writes the groups file of a data folder and says what each word folder holds', () => {
    const root = tempDir();
    const take = speechLike(1, FS, 1);
    const files: Record<string, Float32Array> = {
      'hey/0.wav': take,
      'hey/1.wav': copyOf(take, 400, 2),
      'hey/2.wav': retake(3, 1.04),
      'hey/9.wav': retake(4, 0.97),
      'ho/x.wav': speechLike(1, FS, 5),
    };
    for (const [rel, x] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeClip(path.join(root, rel), x);
    }
    const out = path.join(root, 'groups.json');
    const stdout = execFileSync(
      process.execPath,
      [path.join(ROOT, 'bin', 'kws.js'), 'groups', '--data', root, '--out', out, '--run-block', '4', '--quiet'],
      {
        encoding: 'utf8',
      },
    );
    expect(stdout).to.include('hey: 4 files, 3 distinct takes (1 groups of copies, the largest 2), 1 numbered runs');
    expect(stdout).to.include('ho: 1 files, 1 distinct takes');
    const written = JSON.parse(fs.readFileSync(out, 'utf8')) as SplitGroupsFile;
    expect(written.sameRecording).to.deep.equal([['hey/0.wav', 'hey/1.wav']]);
    expect(written.sameSpeaker).to.deep.equal([['hey/0.wav', 'hey/1.wav', 'hey/2.wav']]);
    expect(written.command).to.include('kws groups --data');
    expect(readSplitGroups(out).keyOf('hey/2.wav')).to.equal('hey/0.wav');
  });
});
