import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WaveFile } from 'wavefile';
import { DatasetError } from '../src/errors';
import { readSynthClips } from './support/synthClips';
import { rms } from '../src/data/augment';
import { loadDataset, readClip, readClipTexts } from '../src/data/dataset';
import { loadTrainingData } from '../src/data/clips';
import { synthesize, SynthOptions, SynthSummary } from '../src/synth/synthesize';
import { RenderPool } from '../src/synth/render';
import { discoverVoices, parseEspeakVoiceTable, parseFliteVoiceList } from '../src/synth/voices';
import { unknownWordsFor, sentencesWithout } from '../src/synth/words';

const VOICES = ['gmw/en-US+m3', 'gmw/en-US+f2', 'gmw/en-GB-x-rp+croak'];
const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-synth-test-'));
  dirs.push(dir);
  return dir;
}

function tiny(outDir: string, extra: Partial<SynthOptions> = {}): Promise<SynthSummary> {
  return synthesize({
    keywords: ['yes', 'no'],
    outDir,
    perWord: 8,
    unknownCount: 6,
    silenceCount: 4,
    seed: 42,
    backgroundSec: 2,
    voices: VOICES,
    engines: ['espeak-ng'],
    ...extra,
  });
}

/** Every file under dir, relative, sorted. */
function walk(dir: string, rel = ''): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? walk(dir, path.join(rel, d.name)) : [path.join(rel, d.name)]))
    .sort();
}

describe('kws synth: a tiny corpus', function () {
  this.timeout(60000);
  let a: string, b: string;
  let summary: SynthSummary;

  before(async () => {
    a = tempDir();
    b = tempDir();
    summary = await tiny(a);
    await tiny(b, { jobs: 3 }); // parallelism must not change the files
  });
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the Speech Commands layout with lists, background noise and synth.json', () => {
    const files = walk(a);
    for (const label of ['yes', 'no', '_unknown_', '_silence_']) {
      expect(files.filter((f) => f.startsWith(`${label}/`)).length, label).to.equal(
        summary.counts[label].train + summary.counts[label].validation + summary.counts[label].test,
      );
    }
    expect(summary.counts.yes.train + summary.counts.yes.validation + summary.counts.yes.test).to.equal(8);
    expect(files.filter((f) => f.startsWith('_background_noise_/'))).to.deep.equal([
      '_background_noise_/babble.wav',
      '_background_noise_/brown_noise.wav',
      '_background_noise_/pink_noise.wav',
      '_background_noise_/speech_background.wav',
      '_background_noise_/white_noise.wav',
    ]);
    expect(files).to.include.members(['synth.json', 'validation_list.txt', 'testing_list.txt', 'synth_clips.tsv']);
    const json = JSON.parse(fs.readFileSync(path.join(a, 'synth.json'), 'utf8'));
    expect(json.seed).to.equal(42);
    expect(json.clipSec).to.equal(1);
    expect(json.toolVersions['espeak-ng']).to.match(/1\.\d+/);
  });

  it('writes 16 kHz mono 16-bit clips of 1 s, keyword clips clearly not silent', async () => {
    for (const f of walk(a).filter((x) => /^(yes|no|_unknown_|_silence_)\//.test(x))) {
      const wav = new WaveFile(fs.readFileSync(path.join(a, f)));
      const fmt = wav.fmt as { sampleRate: number; numChannels: number; bitsPerSample: number };
      expect([fmt.sampleRate, fmt.numChannels, fmt.bitsPerSample], f).to.deep.equal([16000, 1, 16]);
      const x = await readClip(path.join(a, f));
      expect(x.length, f).to.equal(16000);
      if (!f.startsWith('_silence_')) expect(rms(x), f).to.be.greaterThan(0.01);
    }
    const bg = await readClip(path.join(a, '_background_noise_', 'white_noise.wav'));
    expect(bg.length).to.equal(2 * 16000);
  });

  it('splits by speaker: no speaker in two splits, each held-out split has its own speaker', () => {
    const rows = readSynthClips(a).clips;
    const splitOfVoice = new Map<string, Set<string>>();
    for (const [, , split, voice] of rows) {
      if (!voice) continue;
      splitOfVoice.set(voice, new Set([...(splitOfVoice.get(voice) ?? []), split]));
    }
    for (const [voice, splits] of splitOfVoice) expect([...splits], voice).to.have.length(1);
    const { train, validation, test } = summary.speakers;
    expect([train.length, validation.length, test.length]).to.deep.equal([1, 1, 1]);
    expect(new Set([...train, ...validation, ...test]).size).to.equal(3);
    // the lists agree with the table
    const listed = fs.readFileSync(path.join(a, 'validation_list.txt'), 'utf8').trim().split('\n').sort();
    expect(listed).to.deep.equal(
      rows
        .filter((r) => r[2] === 'validation')
        .map((r) => r[0])
        .sort(),
    );
  });

  it('is deterministic: the same seed gives identical files, whatever --jobs', () => {
    const files = walk(a);
    expect(walk(b)).to.deep.equal(files);
    for (const f of files) expect(fs.readFileSync(path.join(b, f)).equals(fs.readFileSync(path.join(a, f))), f).to.equal(true);
  });

  it('loads with the dataset loader using its lists', async () => {
    const ds = await loadDataset(a, { keywords: ['yes', 'no'] });
    expect(ds.splitSource).to.equal('lists');
    expect(ds.clipSec).to.equal(1);
    const listed = new Set(fs.readFileSync(path.join(a, 'testing_list.txt'), 'utf8').trim().split('\n'));
    for (const c of ds.splits.test.filter((x) => x.label === 'yes')) expect(listed.has(`yes/${path.basename(c.path)}`)).to.equal(true);
    expect(ds.background.find((x) => x.path.endsWith('speech_background.wav'))!.kind).to.equal('speech');
  });

  it('records where each word is (measured on the clean speech) and the loader and training data use it', async () => {
    const { header, clips } = readSynthClips(a);
    const [f, s, e, label] = ['file', 'word_start_sec', 'word_end_sec', 'label'].map((c) => header.indexOf(c));
    const spoken = clips.filter((r) => r[label] !== '_silence_');
    expect(spoken.length).to.be.greaterThan(10);
    for (const r of spoken) {
      const [start, end] = [Number(r[s]), Number(r[e])];
      expect(start, r[f]).to.be.at.least(0);
      expect(end - start, r[f]).to.be.within(0.1, 0.9); // a short word, inside the 1 s clip
      expect(end, r[f]).to.be.at.most(1);
      // the loud part of the clip is inside the recorded span (noise is ≥ 0 dB below the speech)
      const x = await readClip(path.join(a, r[f]));
      const inside = rms(x.subarray(Math.round(start * 16000), Math.round(end * 16000)));
      expect(inside, r[f]).to.be.greaterThan(rms(x) * 0.99);
    }
    for (const r of clips.filter((c) => c[label] === '_silence_')) expect([r[s] ?? '', r[e] ?? '']).to.deep.equal(['', '']); // trim() ate the last row's tabs

    const ds = await loadDataset(a, { keywords: ['yes', 'no'] });
    const yes = ds.splits.train.find((c) => c.label === 'yes')!;
    const row = spoken.find((r) => r[f] === `yes/${path.basename(yes.path)}`)!;
    expect(yes.wordSec).to.deep.equal({ startSec: Number(row[s]), endSec: Number(row[e]) });
    const data = await loadTrainingData(a, { keywords: ['yes', 'no'], splits: ['train'] });
    const labelled = data.clips.train[ds.splits.train.indexOf(yes)];
    expect(labelled.word).to.deep.equal({ start: Math.round(Number(row[s]) * 16000), end: Math.round(Number(row[e]) * 16000) });
  });

  it('logs what each clip says, and readClipTexts reads it back by file', () => {
    const { header, clips } = readSynthClips(a);
    const [f, text] = ['file', 'text'].map((c) => header.indexOf(c));
    const texts = readClipTexts(a);
    const spoken = clips.filter((r) => r[text]);
    expect(spoken.length).to.be.greaterThan(10);
    for (const r of spoken) expect(texts.get(r[f]), r[f]).to.equal(r[text]);
    expect(texts.get(spoken.find((r) => r[f].startsWith('yes/'))![f])).to.equal('yes');
    expect(readClipTexts(tempDir()).size).to.equal(0); // a folder without the log: real recordings
  });

  it('a different seed gives different clips', async () => {
    const c = tempDir();
    await tiny(c, { seed: 43, perWord: 2, unknownCount: 0, silenceCount: 0 });
    const bytes = (dir: string) =>
      walk(dir)
        .filter((f) => f.startsWith('yes/'))
        .map((f) => fs.readFileSync(path.join(dir, f)));
    const before = bytes(a);
    const now = bytes(c);
    expect(now).to.have.length(2);
    for (const x of now) expect(before.some((y) => y.equals(x))).to.equal(false);
  });

  it('makes longer clips for a phrase that needs them', async () => {
    const c = tempDir();
    const s = await tiny(c, { keywords: ['start dictation'], perWord: 1, unknownCount: 1, silenceCount: 0, backgroundSec: 1 });
    expect(s.clipSec).to.be.greaterThan(1);
    expect(s.keywords).to.deep.equal([{ text: 'start dictation', label: 'start_dictation' }]);
    const f = walk(c).find((x) => x.startsWith('start_dictation/'))!;
    expect((await readClip(path.join(c, f))).length).to.equal(Math.round(s.clipSec * 16000));
    expect(s.unknownWords.similar).to.include.members(['start', 'dictation']);
  });

  it('refuses a non-empty output folder and bad keywords', async () => {
    await tiny(a).then(
      () => expect.fail('should refuse'),
      (err) => expect(err.message).to.match(/not empty.*--force/),
    );
    await tiny(tempDir(), { keywords: ['n0'] }).then(
      () => expect.fail('should refuse'),
      (err) => expect(err.message).to.match(/letters/),
    );
  });
});

describe('kws synth: voices and words', () => {
  it('finds espeak-ng variants and flite voices, skipping MBROLA and limited-domain voices', async () => {
    const inv = await discoverVoices();
    const ids = inv.voices.map((v) => v.id);
    expect(ids).to.include.members(['espeak-ng:gmw/en-US+f2', 'espeak-ng:gmw/en-US+whisper', 'flite:slt']);
    expect(ids.some((id) => id.includes('mb/'))).to.equal(false);
    expect(ids).to.not.include('flite:awb_time');
    expect(inv.voices.find((v) => v.id === 'flite:kal16')!.speaker).to.equal('flite-kal');
    const speakerOf = (id: string) => inv.voices.find((v) => v.id === id)!.speaker;
    expect(speakerOf('espeak-ng:gmw/en-US+robosoft3')).to.equal(speakerOf('espeak-ng:gmw/en-GB-x-rp+robosoft'));
    expect(speakerOf('espeak-ng:gmw/en-US+m3')).to.not.equal(speakerOf('espeak-ng:gmw/en-US+m4'));
  });

  it('says how to install the engines asked for when they are missing, and by default uses what is there', async () => {
    const saved = process.env.PATH;
    process.env.PATH = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-empty-path-'));
    try {
      await discoverVoices(['espeak-ng', 'flite']).then(
        () => expect.fail('should throw'),
        (err) => {
          expect(err).to.be.instanceOf(DatasetError);
          expect(err.message).to.match(/espeak-ng and flite, not installed.*apt-get install espeak-ng flite.*--engines gnuspeech\)$/);
        },
      );
      // gnuspeech is an npm package, not a program on PATH
      const inv = await discoverVoices();
      expect(inv.engines).to.deep.equal(['gnuspeech']);
      expect(inv.versions['espeak-ng']).to.equal(null);
    } finally {
      fs.rmSync(process.env.PATH!, { recursive: true, force: true });
      process.env.PATH = saved;
    }
  });

  it('reports a failing TTS command in one line and keeps rendering', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-pool-'));
    const pool = new RenderPool(1, tmp);
    try {
      const broken = { id: 'espeak-ng:mb/mb-us1', engine: 'espeak-ng' as const, name: 'mb/mb-us1', speaker: 'x' };
      await pool.render(broken, 'yes', { rate: 1, pitch: 0 }).then(
        () => expect.fail('should throw'),
        (err) => {
          expect(err).to.be.instanceOf(DatasetError);
          expect(err.message).to.match(/espeak-ng failed \(exit \d+\) for voice espeak-ng:mb\/mb-us1 saying "yes": .*mbrola/i);
        },
      );
      const ok = await pool.render({ ...broken, id: 'espeak-ng:gmw/en-US', name: 'gmw/en-US' }, "don't stop", { rate: 1, pitch: 0 });
      expect(rms(ok)).to.be.greaterThan(0.01);
    } finally {
      pool.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("parses the tools' voice listings", () => {
    const table =
      ' Pty Language       Age/Gender VoiceName          File                 Other Languages\n' +
      ' 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)\n' +
      ' 5  variant         --/M      Mr_Serious         !v/Mr serious        \n';
    expect(parseEspeakVoiceTable(table)).to.deep.equal([
      { language: 'en-us', name: 'English_(America)', file: 'gmw/en-US' },
      { language: 'variant', name: 'Mr_Serious', file: '!v/Mr serious' },
    ]);
    expect(parseFliteVoiceList('Voices available: kal awb_time slt \n')).to.deep.equal(['kal', 'awb_time', 'slt']);
  });

  it('keeps keywords out of the unknown words and background sentences', () => {
    const u = unknownWordsFor(['yes', 'no', 'go'], ['yes', 'table', 'going', 'go']);
    expect(u.similar).to.include('yet').and.not.include('go');
    expect(u.common).to.deep.equal(['table']);
    expect(sentencesWithout(['cat'], ['the cat sat', 'a dog ran', 'concatenate'])).to.deep.equal(['a dog ran', 'concatenate']);
  });
});
