/**
 * Wake-word training on real recordings, in small: long FLAC clips through the loader with the
 * window cut around the aligned word, --negatives, a few training steps on real clips, and the
 * wake-word benchmark's JSON (kws train + kws eval --wakeword on a tiny model and stream).
 */
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WaveFile } from 'wavefile';
import { loadDataset } from '../src/data/dataset';
import { cropAroundWord, loadTrainingData, WORD_TAIL_SEC } from '../src/data/clips';
import { trainKwsModel } from '../src/train/trainer';
import { resolveFeatureConfig } from '../src/features/config';
import { loadModelConfig } from '../src/model/kwsJson';
import { wakewordModelCard } from '../src/cards/wakewordCard';
import '../src/lmu/tf/layer';
import { sharedData } from './support/sharedData';

const root = path.resolve(__dirname, '..');
const FS = 16000;
const kws = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin/kws.js'), ...args], { encoding: 'utf8', cwd: root });

/** Deterministic low noise with a loud 300 Hz "word" over [from, to) seconds. */
function clipWithWord(seconds: number, from: number, to: number, seed = 1): Float32Array {
  const x = new Float32Array(Math.round(seconds * FS));
  let s = seed;
  for (let i = 0; i < x.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    x[i] = 0.002 * ((s / 2 ** 32) * 2 - 1);
    if (i >= from * FS && i < to * FS) x[i] += 0.3 * Math.sin((2 * Math.PI * 300 * i) / FS);
  }
  return x;
}

function writeWav(file: string, x: Float32Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const wav = new WaveFile();
  wav.fromScratch(
    1,
    FS,
    '16',
    Int16Array.from(x, (v) => Math.round(v * 32767)),
  );
  fs.writeFileSync(file, wav.toBuffer());
}

function writeFlac(file: string, x: Float32Array): void {
  const tmp = `${file}.tmp.wav`;
  writeWav(tmp, x);
  const r = spawnSync('sox', [tmp, file]);
  fs.rmSync(tmp);
  expect(r.status, String(r.stderr)).to.equal(0);
}

describe('wake words: long clips, negatives, training and benchmark', function () {
  this.timeout(120000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-wakeword-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('cuts the window of a long clip so it ends WORD_TAIL_SEC after the aligned word', () => {
    const x = clipWithWord(3, 1.6, 2.3);
    const { samples, word, start } = cropAroundWord(x, 1.5 * FS, WORD_TAIL_SEC * FS);
    expect(samples.length).to.equal(1.5 * FS);
    expect(word).to.not.equal(null);
    // word end 2.3 s → window [1.1, 2.6) s; the word sits at [0.5, 1.2) s inside it (±50 ms: the aligner's 25 ms frames)
    expect(start / FS).to.be.closeTo(1.1, 0.05);
    expect(word!.start / FS).to.be.closeTo(0.5, 0.05);
    expect(word!.end / FS).to.be.closeTo(1.2, 0.05);
    expect(Array.from(samples.subarray(0, 100))).to.deep.equal(Array.from(x.subarray(start, start + 100)));
    // a word near the clip's end: the window stops at the clip's end
    const late = cropAroundWord(clipWithWord(3, 2.4, 2.95), 1.5 * FS, WORD_TAIL_SEC * FS);
    expect(late.start).to.equal(1.5 * FS);
    expect(late.word!.end / FS).to.be.closeTo(1.45, 0.05);
  });

  it('loads FLAC clips of any length: cropped around the word, wordless ones centre-cropped and counted', async () => {
    const data = path.join(tmp, 'long');
    for (let i = 0; i < 6; i++) writeFlac(path.join(data, 'beep', `${i}.flac`), clipWithWord(3, 1.0 + 0.2 * i, 1.5 + 0.2 * i, i + 1));
    writeFlac(path.join(data, 'beep', 'quiet.flac'), clipWithWord(3, 0, 0));
    fs.writeFileSync(path.join(data, 'validation_list.txt'), '');
    const d = await loadTrainingData(data, { clipSec: 1.5, silencePercent: 0, unknownPercent: 0 });
    const clips = d.clips.train;
    expect(clips).to.have.length(7);
    for (const c of clips) expect(c.samples.length).to.equal(1.5 * FS);
    const aligned = clips.filter((c) => c.word);
    expect(aligned).to.have.length(6);
    for (const c of aligned) expect((c.samples.length - c.word!.end) / FS).to.be.closeTo(WORD_TAIL_SEC, 0.05);
    expect(d.warnings.join('\n')).to.match(/1 clip\(s\) longer than the 1.5 s window had no word .*centre-cropped/);
  });

  it('--negatives: every word folder of a negatives root is _unknown_ (even one named like a keyword); its lists, _silence_ and background are used', async () => {
    const main = path.join(tmp, 'main');
    const neg = path.join(tmp, 'neg');
    for (let i = 0; i < 4; i++) writeWav(path.join(main, 'beep', `k${i}.wav`), clipWithWord(1, 0.3, 0.6, i + 1));
    fs.writeFileSync(path.join(main, 'validation_list.txt'), 'beep/k0.wav\n');
    fs.writeFileSync(path.join(main, 'testing_list.txt'), 'beep/k1.wav\n');
    for (let i = 0; i < 3; i++) {
      writeWav(path.join(neg, 'beep', `n${i}.wav`), clipWithWord(1, 0.2, 0.4, 10 + i));
      writeWav(path.join(neg, 'other', `n${i}.wav`), clipWithWord(1, 0.5, 0.7, 20 + i));
    }
    writeWav(path.join(neg, '_silence_', 's0.wav'), clipWithWord(1, 0, 0, 30));
    writeWav(path.join(neg, '_background_noise_', 'hum.wav'), clipWithWord(3, 0, 3, 31));
    fs.writeFileSync(path.join(neg, 'testing_list.txt'), 'other/n0.wav\n');
    const ds = await loadDataset(main, { keywords: ['beep'], negatives: [neg], unknownPercent: 1000, silencePercent: 100 });
    expect(ds.negatives).to.deep.equal([neg]);
    expect(ds.labels).to.deep.equal(['beep', '_unknown_', '_silence_']);
    expect(ds.splits.train.filter((c) => c.label === 'beep').every((c) => c.path.startsWith(main))).to.equal(true);
    const unknownTrain = ds.splits.train
      .filter((c) => c.label === '_unknown_')
      .map((c) => path.relative(neg, c.path))
      .sort();
    expect(unknownTrain).to.deep.equal(['beep/n0.wav', 'beep/n1.wav', 'beep/n2.wav', 'other/n1.wav', 'other/n2.wav']);
    expect(ds.splits.test.filter((c) => c.label === '_unknown_').map((c) => path.relative(neg, c.path))).to.deep.equal(['other/n0.wav']);
    expect(ds.splits.train.some((c) => c.label === '_silence_' && c.path.endsWith('s0.wav'))).to.equal(true);
    expect(ds.background.map((b) => path.relative(neg, b.path))).to.deep.equal(['_background_noise_/hum.wav']);
  });

  it('a few training steps on a handful of real wake-word clips lower the loss', async function () {
    const recordings = sharedData(this, 'wakewords');
    const data = await loadTrainingData(recordings, {
      keywords: ['alexa', 'jarvis'],
      clipSec: 1.5,
      maxPerLabel: 6,
      seed: 1,
      splits: ['train', 'validation'],
    });
    expect(data.clips.train.filter((c) => c.label < 2).length).to.equal(12);
    const result = await trainKwsModel(
      data,
      {
        features: resolveFeatureConfig({ coefficients: 13 }),
        model: { lmu: { order: 8, theta: 100, memoryD: 2, hiddenUnits: 16, inputToHidden: true }, headUnits: 8 },
        epochs: 8,
        batchSize: 8,
        learningRate: 1e-2,
        patience: 20,
        seed: 1,
        augmentation: { maxShift: 0, noiseProb: 0, snrDb: [20, 20], gainDb: [0, 0] },
        backend: 'wasm',
      },
      { quiet: true },
    );
    const losses = result.history.map((h) => h.loss);
    expect(losses[losses.length - 1]).to.be.lessThan(0.85 * losses[0]);
  });

  it('kws train --negatives records them; kws eval --wakeword --json reports miss rates per keyword and SNR', function () {
    this.timeout(240000);
    const recordings = sharedData(this, 'wakewords');
    const real = path.join(tmp, 'real');
    const lists = { validation: [] as string[], test: [] as string[] };
    for (const k of ['alexa', 'jarvis']) {
      const files = fs
        .readdirSync(path.join(recordings, k))
        .filter((f) => f.endsWith('.flac'))
        .sort()
        .slice(0, 8);
      fs.mkdirSync(path.join(real, k), { recursive: true });
      files.forEach((f, i) => {
        fs.copyFileSync(path.join(recordings, k, f), path.join(real, k, f));
        if (i === 0) lists.validation.push(`${k}/${f}`);
        if (i === 1 || i === 2) lists.test.push(`${k}/${f}`);
      });
    }
    fs.writeFileSync(path.join(real, 'validation_list.txt'), lists.validation.join('\n') + '\n');
    fs.writeFileSync(path.join(real, 'testing_list.txt'), lists.test.join('\n') + '\n');
    const neg = path.join(tmp, 'neg');
    const model = path.join(tmp, 'model');
    const t = kws(
      'train',
      '--data',
      real,
      '--negatives',
      neg,
      '--clip-sec',
      '1.5',
      '--epochs',
      '1',
      '--order',
      '8',
      '--memory-d',
      '2',
      '--hidden',
      '16',
      '--head',
      '8',
      '--coefficients',
      '13',
      '--unknown-percent',
      '100',
      '--out',
      model,
      '--quiet',
    );
    expect(t.status, t.stderr).to.equal(0);
    const config = JSON.parse(fs.readFileSync(path.join(model, 'kws.json'), 'utf8'));
    expect(config.training.negatives).to.deep.equal([neg]);
    expect(config.training.clipSec).to.equal(1.5);
    const e = kws(
      'eval',
      '--wakeword',
      '--model',
      model,
      '--data',
      real,
      '--negatives',
      neg,
      '--hours',
      '0.05',
      '--json',
      '--figures',
      tmp,
    );
    expect(e.status, e.stderr).to.equal(0);
    const report = JSON.parse(e.stdout);
    expect(report.testClips).to.deep.equal({ alexa: 2, jarvis: 2 });
    expect(report.results.map((r: { snrDb: number }) => r.snrDb)).to.deep.equal([10, 20]);
    for (const r of report.results) {
      expect(r.hours).to.be.closeTo(0.05, 0.02);
      for (const k of ['alexa', 'jarvis']) {
        expect(r.perKeyword[k].inserted).to.be.greaterThan(0);
        const miss = r.perKeyword[k].missAt1FaPerHour * r.perKeyword[k].inserted; // words missed
        expect(miss).to.be.closeTo(Math.round(miss), 1e-9);
        expect(r.perKeyword[k].missAt1FaPer10Hours).to.equal(null); // stream < 10 h
        expect(r.perKeyword[k].missAtHalfFaPerHour).to.equal(null); // stream < 2 h
      }
      expect(r.average.missAt1FaPerHour).to.be.closeTo(
        (r.perKeyword.alexa.missAt1FaPerHour + r.perKeyword.jarvis.missAt1FaPerHour) / 2,
        1e-12,
      );
      expect(r.det.length).to.be.greaterThan(10);
    }
    expect(report.notes.join(' ')).to.include('miss rate at 0.5 FA/h and 1 FA/10 h not reported');
    expect(report.figures).to.have.length(2);
    for (const f of report.figures) expect(fs.readFileSync(f, 'utf8')).to.match(/^<svg/);

    // the model card is made of these measured numbers
    const card = wakewordModelCard({
      models: [{ name: 'tiny', config: loadModelConfig(model), report }],
      command: 'npm run train:wakewords',
      synthCommands: ['kws synth …'],
      seconds: 60,
      figures: ['wakeword-det-10db.svg'],
      root: tmp,
      ablationDir: 'data/ablation',
    });
    expect(card).to.include('Picovoice Inc., wake-word-benchmark');
    expect(card).to.include('Porcupine 2.7 %');
    expect(card).to.include(`${config.params} parameters`);
    expect(card).to.include(`| **average** | **${(100 * report.results[0].average.missAt1FaPerHour).toFixed(1)} %**`);
    expect(card).to.include('| keyword | miss @ 1 FA/h, 10 dB | miss @ 0.5 FA/h, 10 dB | miss @ 1 FA/10 h, 10 dB | miss @ 1 FA/h, 20 dB |');
    expect(card).to.include('this model: **n/a**, not measured (the stream is under 2 h)');
    expect(card).to.include(`kws train --data ${real} --negatives ${neg}`);
    expect(card).to.match(/\| tiny \(shipped\) \| 10 \|/); // the shipped row (not mined); wake-word train clips: 2 keywords × (8 − 1 validation − 2 test)
  });
});
