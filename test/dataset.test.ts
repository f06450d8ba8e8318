import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WaveFile } from 'wavefile';
import { AudioFormatError, DatasetError } from '../src/errors';
import { loadDataset, readClip, readClipRef, SILENCE_LABEL, speakerOfFile, UNKNOWN_LABEL, whichSet } from '../src/data/dataset';
import { whiteNoise } from '../src/data/augment';
import { Rng } from '../src/data/random';
import { writeClip } from '../src/synth/wav';

const FS = 16000;

const made: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-dataset-test-'));
  made.push(dir);
  return dir;
}
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function clip(root: string, rel: string, seconds = 0.1): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeClip(path.join(root, rel), new Float32Array(Math.round(seconds * FS)).fill(0.1));
}

/** yes/no with 20 speakers each, bed/bird as other words, 3 s of background noise and a README. */
function fakeSpeechCommands(withLists: boolean): string {
  const root = tempDir();
  for (const word of ['yes', 'no']) for (let s = 0; s < 20; s++) clip(root, `${word}/spk${s}_nohash_0.wav`);
  for (const word of ['bed', 'bird']) for (let s = 0; s < 8; s++) clip(root, `${word}/spk${s}_nohash_0.wav`);
  fs.mkdirSync(path.join(root, '_background_noise_'));
  writeClip(
    path.join(root, '_background_noise_', 'white_noise.wav'),
    whiteNoise(3 * FS, new Rng(1)).map((v) => v * 0.1),
  );
  fs.writeFileSync(path.join(root, '_background_noise_', 'README.md'), 'noise\n');
  if (withLists) {
    const val = [0, 1, 2, 3].flatMap((s) => [`yes/spk${s}_nohash_0.wav`, `no/spk${s}_nohash_0.wav`, `bed/spk${s}_nohash_0.wav`]);
    const test = [4, 5].flatMap((s) => [`yes/spk${s}_nohash_0.wav`, `no/spk${s}_nohash_0.wav`, `bird/spk${s}_nohash_0.wav`]);
    fs.writeFileSync(path.join(root, 'validation_list.txt'), [...val, 'yes/gone_nohash_0.wav'].join('\n') + '\n');
    fs.writeFileSync(path.join(root, 'testing_list.txt'), test.join('\n') + '\n');
  }
  return root;
}

describe('dataset: whichSet', () => {
  it('matches Speech Commands which_set (values from its Python code)', () => {
    expect(whichSet('yes/0a7c2a8d_nohash_0.wav')).to.equal('train'); // 56.8 %
    expect(whichSet('a/0ab3b47d_nohash_0.wav')).to.equal('validation'); // 9.13 %
    expect(whichSet('x/0c40e715_nohash_0.wav')).to.equal('test'); // 16.4 %
    expect(whichSet('x/1b4c9b89_nohash_0.wav')).to.equal('test'); // 12.2 %
    expect(whichSet('x/1a892463_nohash_0.wav')).to.equal('train'); // 81.8 %
    expect(whichSet('x/0c40e715_nohash_0.wav', 20, 10)).to.equal('validation');
  });

  it('puts every clip of one speaker in the same split', () => {
    const splits = new Set([0, 1, 2, 3, 4].map((n) => whichSet(`any/0c40e715_nohash_${n}.wav`)));
    expect(splits.size).to.equal(1);
  });
});

describe('dataset: loadDataset', () => {
  it('uses validation_list/testing_list and balances unknown and silence at 10 % of the keyword clips', async () => {
    const ds = await loadDataset(fakeSpeechCommands(true), { keywords: ['yes', 'no'] });
    expect(ds.splitSource).to.equal('lists');
    expect(ds.labels).to.deep.equal(['yes', 'no', UNKNOWN_LABEL, SILENCE_LABEL]);
    expect(ds.counts.validation).to.deep.equal({ yes: 4, no: 4, _unknown_: 1, _silence_: 1 });
    expect(ds.counts.test).to.deep.equal({ yes: 2, no: 2, _unknown_: 1, _silence_: 1 });
    expect(ds.counts.train).to.deep.equal({ yes: 14, no: 14, _unknown_: 3, _silence_: 3 });
    const val = ds.splits.validation
      .filter((c) => c.label === 'yes')
      .map((c) => path.basename(c.path))
      .sort();
    expect(val).to.deep.equal(['spk0_nohash_0.wav', 'spk1_nohash_0.wav', 'spk2_nohash_0.wav', 'spk3_nohash_0.wav']);
    expect(ds.splits.validation.find((c) => c.label === UNKNOWN_LABEL)!.folder).to.equal('bed');
    expect(ds.warnings.join(' ')).to.match(/1 listed clip.*yes\/gone_nohash_0\.wav/);
    expect(ds.background.map((b) => path.basename(b.path))).to.deep.equal(['white_noise.wav']);
  });

  it('cuts _silence_ clips of clipSec from the background noise', async () => {
    const ds = await loadDataset(fakeSpeechCommands(true), { keywords: ['yes', 'no'], clipSec: 1, silencePercent: 50 });
    const silence = ds.splits.train.filter((c) => c.label === SILENCE_LABEL);
    expect(silence).to.have.length(14);
    for (const s of silence) {
      expect(s.segment!.startSec).to.be.within(0, 2);
      const x = await readClipRef(s);
      expect(x.length).to.equal(FS);
      expect(Math.max(...x.map(Math.abs))).to.be.greaterThan(0.05);
    }
  });

  it('is the same for the same seed and draws other unknown clips for another seed', async () => {
    const root = fakeSpeechCommands(false);
    const pick = async (seed: number) =>
      (await loadDataset(root, { keywords: ['yes'], unknownPercent: 30, seed })).splits.train
        .filter((c) => c.label === UNKNOWN_LABEL)
        .map((c) => c.path);
    expect(await pick(1)).to.deep.equal(await pick(1));
    expect(await pick(1)).to.not.deep.equal(await pick(2));
  });

  it('splits by file-name hash without lists, and takes every word folder as keyword by default', async () => {
    const root = fakeSpeechCommands(false);
    const ds = await loadDataset(root);
    expect(ds.splitSource).to.equal('hash');
    expect(ds.keywords).to.deep.equal(['bed', 'bird', 'no', 'yes']);
    for (const split of ['train', 'validation', 'test'] as const) {
      for (const c of ds.splits[split].filter((x) => x.label === 'yes')) expect(whichSet(c.path)).to.equal(split);
    }
    expect(ds.warnings.join(' ')).to.match(/_unknown_ class is empty/);
  });

  it('lists clips of any format and length, e.g. FLAC wake words with spaces in the keyword', async () => {
    const root = tempDir();
    for (let i = 0; i < 5; i++) {
      fs.mkdirSync(path.join(root, 'smart_mirror'), { recursive: true });
      fs.writeFileSync(path.join(root, 'smart_mirror', `${i}.flac`), 'fLaC');
      fs.mkdirSync(path.join(root, 'jarvis'), { recursive: true });
      fs.writeFileSync(path.join(root, 'jarvis', `${i}.flac`), 'fLaC');
    }
    fs.writeFileSync(path.join(root, 'jarvis', 'notes.txt'), 'not audio');
    const ds = await loadDataset(root, { keywords: ['smart mirror'] });
    const all = [...ds.splits.train, ...ds.splits.validation, ...ds.splits.test];
    expect(all.filter((c) => c.label === 'smart_mirror')).to.have.length(5);
    expect(all.every((c) => c.path.endsWith('.flac') || c.path === '')).to.equal(true);
    expect(ds.warnings.join(' ')).to.match(/digital silence/);
  });

  it('throws DatasetError for a missing folder, a file, an empty folder, no word folders, an absent keyword', async () => {
    const root = fakeSpeechCommands(false);
    const empty = tempDir();
    const onlyNoise = tempDir();
    fs.mkdirSync(path.join(onlyNoise, '_background_noise_'));
    writeClip(path.join(onlyNoise, '_background_noise_', 'a.wav'), new Float32Array(FS));
    const cases: Array<[string, string[] | undefined, RegExp]> = [
      [path.join(root, 'nope'), undefined, /no such data folder/],
      [path.join(root, 'yes', 'spk0_nohash_0.wav'), undefined, /is a file/],
      [empty, undefined, /no word folders/],
      [onlyNoise, undefined, /no word folders/],
      [root, ['yes', 'maybe'], /no audio for keyword maybe \(word folders found: bed, bird, no, yes\)/],
    ];
    for (const [dir, keywords, message] of cases) {
      const err = await loadDataset(dir, { keywords }).then(
        () => null,
        (e: Error) => e,
      );
      expect(err, dir).to.be.instanceOf(DatasetError);
      expect(err!.message, dir).to.match(message);
    }
  });

  it("extra roots give training clips only: validation and test stay the primary root's", async () => {
    const primary = fakeSpeechCommands(true);
    const extra = fakeSpeechCommands(true);
    const alone = await loadDataset(primary, { keywords: ['yes', 'no'], seed: 1 });
    const both = await loadDataset(primary, { keywords: ['yes', 'no'], seed: 1, extraData: [extra] });
    // (_silence_ is cut from any root's background noise, so only word clips say where they came from)
    const inExtra = (refs: { path: string; label: string }[]) =>
      refs.filter((r) => r.label !== SILENCE_LABEL && r.path.startsWith(extra + path.sep)).length;
    expect(inExtra(both.splits.train)).to.be.greaterThan(0);
    for (const split of ['validation', 'test'] as const) {
      expect(inExtra(both.splits[split]), split).to.equal(0);
      expect(both.counts[split], split).to.deep.equal(alone.counts[split]);
    }
    // the extra root's own held-out speakers do not leak into training either
    const extraHeldOut = both.splits.train.filter(
      (r) => r.path.startsWith(extra + path.sep) && /spk[0-5]_/.test(r.path) && !/bed|bird/.test(r.folder),
    );
    expect(extraHeldOut).to.deep.equal([]);
  });

  it('trainSpeakerShare keeps whole speakers of the training split, nested across shares, and leaves held-out splits whole', async () => {
    const root = fakeSpeechCommands(true);
    const speakersOf = (refs: { path: string; label: string }[], words: string[]) =>
      new Set(refs.filter((r) => words.includes(r.label)).map((r) => speakerOfFile(r.path)));
    const speakers = (refs: { path: string; label: string }[]) => speakersOf(refs, ['yes', 'no']);
    const load = (share: number) => loadDataset(root, { keywords: ['yes', 'no'], seed: 1, trainSpeakerShare: share });
    const [all, half, quarter] = await Promise.all([load(1), load(0.5), load(0.25)]);
    const [nAll, nHalf, nQuarter] = [all, half, quarter].map((d) => speakers(d.splits.train).size);
    expect(nAll).to.equal(14); // spk6 … spk19
    expect(nHalf).to.be.within(4, 10);
    expect(nQuarter).to.be.within(1, nHalf - 1);
    for (const s of speakers(quarter.splits.train)) expect(speakers(half.splits.train).has(s), s).to.equal(true);
    // a kept speaker keeps every clip: both of its keywords
    expect(speakersOf(half.splits.train, ['no'])).to.deep.equal(speakersOf(half.splits.train, ['yes']));
    for (const split of ['validation', 'test'] as const) expect(half.counts[split], split).to.deep.equal(all.counts[split]);
  });

  it('--noise and --speech folders join the background as noise and speech; a missing or empty one is a DatasetError', async () => {
    const root = fakeSpeechCommands(true);
    const noiseDir = tempDir();
    const speechDir = tempDir();
    writeClip(
      path.join(noiseDir, 'fan.wav'),
      whiteNoise(2 * FS, new Rng(2)).map((v) => v * 0.05),
    );
    writeClip(
      path.join(speechDir, 'talk.wav'),
      whiteNoise(2 * FS, new Rng(3)).map((v) => v * 0.05),
    );
    const ds = await loadDataset(root, { keywords: ['yes', 'no'], noise: [noiseDir], speech: [speechDir] });
    expect(ds.background.find((b) => b.path.endsWith('fan.wav'))?.kind).to.equal('noise');
    expect(ds.background.find((b) => b.path.endsWith('talk.wav'))?.kind).to.equal('speech');
    await loadDataset(root, { noise: [path.join(noiseDir, 'nope')] }).then(
      () => expect.fail('no error'),
      (e) =>
        expect(e)
          .to.be.instanceOf(DatasetError)
          .with.property('message')
          .match(/nope: no such noise folder/),
    );
    await loadDataset(root, { speech: [tempDir()] }).then(
      () => expect.fail('no error'),
      (e) =>
        expect(e)
          .to.be.instanceOf(DatasetError)
          .with.property('message')
          .match(/no audio files in this speech folder/),
    );
  });
});

describe('dataset: readClip', () => {
  it('reads 16 kHz 16-bit mono exactly and converts stereo 8 kHz to 16 kHz mono', async () => {
    const dir = tempDir();
    const x = Float32Array.from({ length: 800 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / FS));
    writeClip(path.join(dir, 'm.wav'), x);
    const y = await readClip(path.join(dir, 'm.wav'));
    expect(y.length).to.equal(800);
    for (let i = 0; i < 800; i++) expect(y[i]).to.be.closeTo(x[i], 1 / 16384);
    const wav = new WaveFile();
    const n = 8000;
    const left = Int16Array.from({ length: n }, (_, i) => Math.round(16000 * Math.sin((2 * Math.PI * 300 * i) / 8000)));
    wav.fromScratch(2, 8000, '16', [left, left]);
    fs.writeFileSync(path.join(dir, 's.wav'), wav.toBuffer());
    const z = await readClip(path.join(dir, 's.wav'));
    expect(z.length).to.equal(2 * n);
    const r = Math.sqrt(z.subarray(200, 15800).reduce((s, v) => s + v * v, 0) / 15600);
    expect(r).to.be.closeTo(16000 / 32768 / Math.SQRT2, 0.01);
  });

  it('reads FLAC through the same reader, says which file is not audio, and keeps what decodes of a damaged FLAC', async () => {
    const dir = tempDir();
    const x = Float32Array.from({ length: 32000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / FS));
    writeClip(path.join(dir, 'a.wav'), x);
    const sox = spawnSync('sox', [path.join(dir, 'a.wav'), path.join(dir, 'a.flac')]);
    expect(sox.status, String(sox.stderr)).to.equal(0);
    const y = await readClip(path.join(dir, 'a.flac'));
    expect(y.length).to.equal(32000);
    for (let i = 0; i < 32000; i += 97) expect(y[i]).to.be.closeTo(x[i], 1 / 16384);
    const fails = async (file: string) =>
      readClip(file).then(
        () => null,
        (e: Error) => e,
      );
    fs.writeFileSync(path.join(dir, 'bad.wav'), 'this is not audio at all');
    const bad = await fails(path.join(dir, 'bad.wav'));
    expect(bad).to.be.instanceOf(AudioFormatError);
    expect(bad!.message).to.match(/bad\.wav: not a WAV or FLAC file/);
    fs.writeFileSync(path.join(dir, 'x.flac'), 'fLaC and more');
    const corrupt = await fails(path.join(dir, 'x.flac'));
    expect(corrupt).to.be.instanceOf(AudioFormatError);
    expect(corrupt!.message).to.match(/x\.flac: .*FLAC/);
    // garbage in the second half: decoding loses sync part-way, the first part stays, one warning names the file
    const bytes = Buffer.from(fs.readFileSync(path.join(dir, 'a.flac')));
    for (let i = bytes.length >> 1; i < bytes.length; i++) bytes[i] = (i * 37) & 0xff;
    fs.writeFileSync(path.join(dir, 'cut.flac'), bytes);
    const warnings: string[] = [];
    const kept = await readClip(path.join(dir, 'cut.flac'), (w) => warnings.push(w));
    expect(kept.length).to.be.within(4000, 31999);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/cut\.flac: /);
  });
});
