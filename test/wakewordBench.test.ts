/**
 * The wake-word benchmark's background on tiny generated data (no shared data, no training): a
 * hand-made model, a data folder with one wake word, a negatives corpus, a LibriSpeech-named speech
 * folder and a real-noise folder. Only held-out material may reach the stream, the report must say
 * how much distinct material it rests on, and bad --speech / --noise folders are one error line.
 */
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { backgroundSpeechSplit, Split } from '../src/data/dataset';
import { writeClip } from '../src/synth/wav';
import { writeSplitGroups } from '../src/data/splitGroups';
import { loadModelConfig } from '../src/model/kwsJson';
import { loadDataForModel } from '../src/eval/evaluate';
import { benchMaterial } from '../src/eval/benchMaterial';
import { benchWakeword, budgetFits, FA_PER_10_HOURS, FA_PER_2_HOURS, FA_PER_HOUR, wakewordTable } from '../src/eval/wakewordBench';
import { falseAlarmsText, MaterialLedger } from '../src/eval/streamMaterial';
import { wakewordModelCard } from '../src/cards/wakewordCard';
import { energyDetectorWeights, writeModelDir } from './support/models';
import { tone } from './support/wav';

const root = path.resolve(__dirname, '..');
const FS = 16000;
const LABELS = ['beep', '_unknown_', '_silence_'];
const kws = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin/kws.js'), ...args], { encoding: 'utf8', cwd: root });

/** `seconds` of quiet with a `freq` Hz tone over [0.3, 0.6) s: a "word" the aligner finds. */
function word(file: string, freq: number, seconds = 1): void {
  const x = new Float32Array(seconds * FS).fill(0.001);
  x.set(tone(freq, FS, 0.3, 0.3), 0.3 * FS);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeClip(file, x);
}

/** A long recording of `samples` samples (its length tells it apart from the others). */
function recording(file: string, samples: number, freq: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeClip(file, tone(freq, FS, samples / FS, 0.1));
}

/** LibriSpeech-style speaker ids from 100 up whose speech lands in `split`. */
function speakersIn(split: Split, n: number): number[] {
  const ids: number[] = [];
  for (let id = 100; ids.length < n; id++) if (backgroundSpeechSplit(`${id}-1-0000.wav`) === split) ids.push(id);
  return ids;
}

describe('wake-word benchmark: held-out real speech and real noise in the background', function () {
  this.timeout(120000);
  let tmp: string;
  const dir = (name: string) => path.join(tmp, name);
  const testSpeakers = speakersIn('test', 2);
  const validationSpeakers = speakersIn('validation', 1);
  const trainSpeakers = speakersIn('train', 3);
  /** Samples of each speaker's recording: distinct per speaker. */
  const speakerSamples = (id: number) => 2 * FS + 100 * id;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-wwbench-'));
    for (let i = 0; i < 4; i++) word(path.join(dir('data'), 'beep', `k${i}.wav`), 1000);
    fs.writeFileSync(path.join(dir('data'), 'testing_list.txt'), 'beep/k0.wav\nbeep/k1.wav\n');
    for (let i = 0; i < 4; i++) word(path.join(dir('neg'), 'other', `n${i}.wav`), 500);
    fs.writeFileSync(path.join(dir('neg'), 'testing_list.txt'), 'other/n0.wav\nother/n1.wav\n');
    fs.writeFileSync(path.join(dir('neg'), 'validation_list.txt'), 'other/n2.wav\n');
    // what kws synth writes there: speech of training voices (in every split), and noise
    for (const [i, name] of ['speech_background.wav', 'speech_more.wav'].entries())
      recording(path.join(dir('neg'), '_background_noise_', name), 3 * FS + 7 + i, 250);
    recording(path.join(dir('neg'), '_background_noise_', 'white_noise.wav'), 3 * FS + 11, 4000);
    for (const id of [...testSpeakers, ...validationSpeakers, ...trainSpeakers])
      recording(path.join(dir('talk'), `${id}-1-0000.wav`), speakerSamples(id), 200);
    for (const id of trainSpeakers) recording(path.join(dir('trainOnly'), `${id}-1-0000.wav`), speakerSamples(id), 200);
    recording(path.join(dir('noise'), 'street.wav'), 4 * FS + 13, 60);
    fs.mkdirSync(dir('empty'));
    writeModelDir(dir('model'), energyDetectorWeights('beep', LABELS), { labels: LABELS });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('gives the stream only the test speakers of --speech and the --noise recordings, never the corpora speech or training speakers', async () => {
    const config = loadModelConfig(dir('model'));
    const folders = { dataDir: dir('data'), negatives: [dir('neg')], speech: [dir('talk')], noise: [dir('noise')] };
    const data = await loadDataForModel(config, dir('data'), 'test', {
      ...folders,
      unknownPercent: 1e9,
      silencePercent: 0,
      splits: ['test'],
    });
    const m = benchMaterial(data, data.clips.test, folders);
    expect(m.speech.map((x) => x.length).sort()).to.deep.equal(testSpeakers.map(speakerSamples).sort());
    // each recording's file beside it, so the benchmark can name what fired
    expect(m.speechFiles.map((f, i) => [path.basename(f), m.speech[i].length])).to.have.deep.members(
      testSpeakers.map((id) => [`${id}-1-0000.wav`, speakerSamples(id)]),
    );
    for (const heard of [...data.speech.train, ...data.speech.validation]) expect(m.speech).to.not.include(heard);
    expect(m.leftOut).to.equal(2); // speech_*.wav: in every split, but training voices
    expect(m.noise.map((x) => x.length)).to.deep.equal([4 * FS + 13]); // the real noise alone, not white_noise.wav
    expect(m.pools.map((p) => [p.kind, p.items])).to.deep.equal([
      ['realSpeech', 2],
      ['negatives', 2],
      ['realNoise', 1],
      ['wakeWords', 2],
    ]);
  });

  it('--split validation: the validation clips of every folder, none of the test material', async () => {
    fs.writeFileSync(path.join(dir('data'), 'validation_list.txt'), 'beep/k2.wav\n');
    try {
      const report = await benchWakeword(dir('model'), dir('data'), {
        negatives: [dir('neg')],
        speech: [dir('talk')],
        noise: [dir('noise')],
        hours: 0.02,
        split: 'validation',
      });
      expect(report.split).to.equal('validation');
      expect(report.testClips).to.deep.equal({ beep: 1 });
      const pools = Object.fromEntries(report.material.map((p) => [p.kind, p]));
      expect(pools.realSpeech.items).to.equal(validationSpeakers.length);
      expect(pools.realSpeech.sec).to.equal(speakerSamples(validationSpeakers[0]) / FS);
      expect(pools.realSpeech.what).to.include('validation split');
      expect(pools.negatives.items, "the negatives' validation clip n2").to.equal(1);
      expect(wakewordTable(report)[0]).to.include('validation clips: beep 1');
    } finally {
      fs.rmSync(path.join(dir('data'), 'validation_list.txt'));
    }
    const r = kws('eval', '--wakeword', '--split', 'train', '--model', dir('model'), '--data', dir('data'), '--negatives', dir('neg'));
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/^kws: --wakeword --split train: the benchmark is made of held-out clips \(test or validation\)\n$/);
  });

  it('--groups: the test split follows the split groups given (each take once), and the report names them', async () => {
    const groups = path.join(tmp, 'groups.json');
    writeSplitGroups(groups, { about: '', command: '', sameRecording: [['beep/k0.wav', 'beep/k1.wav']], sameSpeaker: [] });
    const base = { negatives: [dir('neg')], hours: 0.02 };
    const plain = await benchWakeword(dir('model'), dir('data'), base);
    expect(plain.testClips).to.deep.equal({ beep: 2 });
    expect(plain.groups).to.equal(null);
    const grouped = await benchWakeword(dir('model'), dir('data'), { ...base, groups });
    expect(grouped.testClips, 'the copy of k0 is left out').to.deep.equal({ beep: 1 });
    expect(grouped.groups).to.equal(groups);
  });

  it('reports the stream hours per SNR, what it rests on (distinct seconds) and false alarms as a count on under an hour of speech', async () => {
    const report = await benchWakeword(dir('model'), dir('data'), {
      negatives: [dir('neg')],
      speech: [dir('talk')],
      noise: [dir('noise')],
      hours: 0.1, // six 60 s blocks: enough speech cuts that a leak of the corpora's speech would show
    });
    const heldOutSec = testSpeakers.map(speakerSamples).reduce((a, b) => a + b, 0) / FS;
    const speech = report.material.find((p) => p.kind === 'realSpeech')!;
    expect(speech).to.include({ items: 2, sec: heldOutSec, role: 'speech' });
    expect(speech.what).to.match(/2 held-out speaker/);
    expect(report.speech).to.deep.equal([dir('talk')]);
    expect(report.noise).to.deep.equal([dir('noise')]);
    expect(report.results.map((r) => r.snrDb)).to.deep.equal([10, 20]);
    for (const r of report.results) {
      expect(r.hours).to.be.closeTo(0.1, 1e-9);
      const use = Object.fromEntries(r.material.map((u) => [u.kind, u]));
      expect(use.realNoise.streamSec).to.be.closeTo(r.hours * 3600, 1e-6); // the whole bed is real noise
      expect(use.realNoise.distinctSec).to.be.at.most(4 + 13 / FS + 1e-9);
      for (const kind of ['realSpeech', 'negatives']) {
        expect(use[kind].streamSec, kind).to.be.greaterThan(0);
        expect(use[kind].distinctSec, kind).to.be.at.most(
          Math.min(use[kind].streamSec, report.material.find((p) => p.kind === kind)!.sec) + 1e-9,
        );
      }
      expect(r.atThresholds.falseAlarms).to.equal(Math.round(r.atThresholds.faPerHour * r.hours));
      // every false alarm is put down to one thing the stream played
      expect(Object.values(r.atThresholds.sources!).reduce((a, b) => a + b, 0)).to.equal(r.atThresholds.falseAlarms);
    }
    const text = wakewordTable(report).join('\n');
    expect(text).to.match(/10 dB SNR, 0\.10 h stream/);
    expect(text).to.match(/real speech of 2 held-out speaker\(s\) \(--speech, test split\): \d+ s of the stream from \d+ s distinct/);
    expect(text).to.match(/noise bed: real noise \(--noise\)/);
    expect(text).to.match(/at the model's thresholds: \d+ false alarm\(s\) in 0\.10 h of stream resting on \d+ s of distinct speech/);
    expect(text).to.match(/rests on \d+ s of distinct speech — under an hour/);
    expect(text).to.match(
      /false alarms fired on: running speech \(--speech\) \d+, the negatives' clips \d+, another wake word \d+, its own wake word, again \d+, the noise alone \d+/,
    );
    expect(text).to.match(/2 speech recording\(s\) of the corpora' _background_noise_ left out/);

    const cardOf = () =>
      wakewordModelCard({
        models: [{ name: 'tiny', config: loadModelConfig(dir('model')), report }],
        command: 'npm run train:wakewords',
        synthCommands: [],
        seconds: null,
        figures: [],
        root: tmp,
        ablationDir: 'ablation',
      });
    const card = cardOf();
    expect(card).to.include('--negatives neg --speech talk --noise noise --hours 0.1`');
    expect(card).to.match(/- 10 dB, 0\.10 h stream:\n {2}- real speech of 2 held-out speaker\(s\)/);
    expect(card).to.match(/ {2}- at the model's thresholds: \d+ false alarm\(s\) in 0\.10 h of stream resting on \d+ s of distinct speech/);
    expect(card).to.match(/ours is real speech of 2 held-out speaker\(s\) .* over real recorded noise/);
    // a 0.1 h stream cannot hold 0.5 FA/h: no keyword's strongest negatives are read
    expect(report.results.every((r) => Object.values(r.perKeyword).every((m) => !m.falseAlarmsAtHalfFaPerHour))).to.equal(true);
    // on a stream that could, the table and the card name them
    const fired = {
      threshold: 0.9,
      alarms: { speech: 2, clip: 1, otherKeyword: 0, sameKeyword: 0, noise: 0 },
      distinct: { speech: 1, clip: 1, otherKeyword: 0, sameKeyword: 0, noise: 0 },
      items: [
        { source: 'speech' as const, path: path.join(process.cwd(), 'talk', 'x.flac'), alarms: 2 },
        { source: 'clip' as const, path: path.join(process.cwd(), 'neg', 'y.wav'), alarms: 1 },
      ],
    };
    report.results[0].perKeyword.beep.falseAlarmsAtHalfFaPerHour = fired;
    const line = `at 0.5 FA/h, beep (threshold 0.9) fired 3 time(s), on: running speech (--speech) 2 (1 distinct), the negatives' clips 1 (1 distinct); most on ${path.join('talk', 'x.flac')} (2), ${path.join('neg', 'y.wav')} (1)`;
    expect(wakewordTable(report).join('\n')).to.include(`  ${line}`);
    expect(cardOf()).to.include(`  - ${line}`);
  });

  it('counts distinct seconds once however often a recording is cut, and a cut that wraps around its end', () => {
    const x = new Float32Array(100);
    const ledger = new MaterialLedger([{ kind: 'realSpeech', audio: [x] }]);
    ledger.onItem(x, 90, 20); // [90, 100) and [0, 10)
    ledger.onItem(x, 5, 10); // [5, 15)
    ledger.onItem(new Float32Array(50), 0, 50); // no pool's: a wake-word clip
    expect(ledger.uses()).to.deep.equal([{ kind: 'realSpeech', streamSec: 30 / FS, distinctSec: 25 / FS }]);
    ledger.onItem(x, 40, 500);
    expect(ledger.uses()[0].distinctSec).to.equal(100 / FS);
    expect(falseAlarmsText(3, 10, 1440)).to.equal('3 false alarm(s) in 10.00 h of stream resting on 24.0 min of distinct speech');
    expect(falseAlarmsText(3, 10, 7200)).to.match(/^0\.30 false alarms per hour \(3 in 10\.00 h/);
  });

  for (const [what, args, message] of [
    ['a --speech folder that does not exist', ['--speech', 'missing'], /missing: no such speech folder/],
    ['a --noise folder without audio', ['--noise', 'empty'], /empty: no audio files in this noise folder/],
    [
      'a --speech folder with no held-out speaker',
      ['--speech', 'trainOnly'],
      /trainOnly: none of its speakers is held out for the test split/,
    ],
  ] as const) {
    it(`kws eval --wakeword: ${what} is one error line and exit code 1`, () => {
      const folderArgs = args.map((a, i) => (i === 1 ? dir(a) : a));
      const r = kws(
        'eval',
        '--wakeword',
        '--model',
        dir('model'),
        '--data',
        dir('data'),
        '--negatives',
        dir('neg'),
        ...folderArgs,
        '--hours',
        '0.01',
      );
      expect(r.status, r.stderr).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.match(/^kws: [^\n]+\n$/);
      expect(r.stderr).to.match(message);
    });
  }
});

describe('wake-word benchmark budgets', () => {
  it('reads a budget under 1 FA/h only on a stream that can hold one false alarm at it; 1 FA/h always', () => {
    expect(budgetFits(0.05, FA_PER_HOUR)).to.equal(true);
    expect(budgetFits(1.9, FA_PER_2_HOURS)).to.equal(false);
    expect(budgetFits(2, FA_PER_2_HOURS)).to.equal(true);
    expect(budgetFits(9.9, FA_PER_10_HOURS)).to.equal(false);
    expect(budgetFits(10, FA_PER_10_HOURS)).to.equal(true);
  });
});
