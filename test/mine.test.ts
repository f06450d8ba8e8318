/**
 * Hard-negative mining (issue 15): the windows where a toy model's smoothed posterior crosses the
 * scaled threshold, cut from the stream so they end just after the peak; only training material
 * is mined; kws mine's output layout and its one-line refusals.
 */
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { backgroundSpeechSplit, VALIDATION_LIST, TESTING_LIST } from '../src/data/dataset';
import { DEFAULT_FEATURE_CONFIG } from '../src/features/config';
import { DEFAULT_SMOOTHER_SETTINGS } from '../src/model/smootherConfig';
import { DetectionModel } from '../src/eval/detection';
import { MINED_TAIL_SEC, MinedWindow, mineStream } from '../src/mine/windows';
import { loadMiningMaterial } from '../src/mine/material';
import { MINED_JSON, mineHardNegatives } from '../src/mine/mine';
import { readClip } from '../src/data/dataset';
import { writeClip } from '../src/synth/wav';
import { energyDetectorWeights, LABELS, wavNormalization, writeModelDir } from './support/models';

const FS = 16000;
const ROOT = path.resolve(__dirname, '..');
const { hop, windowSize } = DEFAULT_FEATURE_CONFIG;
const W = DEFAULT_SMOOTHER_SETTINGS.smoothFrames;

/** A model whose `yes` posterior at frame f is script(f), whatever it hears. */
function scriptedModel(script: (frame: number) => number, threshold: number): DetectionModel {
  const labels = ['_silence_', '_unknown_', 'yes'];
  const out = new Float32Array(3);
  let frame = 0;
  return {
    features: { ...DEFAULT_FEATURE_CONFIG },
    normalization: { mean: new Array(13).fill(0), std: new Array(13).fill(1) },
    labels,
    keywords: ['yes'],
    smoother: { ...DEFAULT_SMOOTHER_SETTINGS, thresholds: { yes: threshold } },
    classifier: {
      step: () => {
        out[2] = script(frame++);
        out[0] = 1 - out[2];
        return out;
      },
      reset: () => {
        frame = 0;
      },
    },
  };
}

/** Sample i of the stream is i / 2^20 (exact in float32), so a window tells where it was cut. */
function rampBlocks(blockSamples: number, blocks: number): Array<{ audio: Float32Array }> {
  return Array.from({ length: blocks }, (_, b) => ({
    audio: Float32Array.from({ length: blockSamples }, (_, i) => (b * blockSamples + i) / 2 ** 20),
  }));
}

function noisy(samples: number, level: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: samples }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return level * ((s / 2 ** 32) * 2 - 1);
  });
}

function wav(file: string, x: Float32Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeClip(file, x);
}

describe('hard-negative mining', function () {
  this.timeout(60000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-mine-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('keeps the windows where the smoothed posterior crosses the scaled threshold, ending MINED_TAIL_SEC after the peak', () => {
    // raw posterior 0.5 over frames [300, 340): its W-frame average peaks at 0.5 from frame 300 + W − 1 on,
    // above 0.5 × 0.8 = 0.4 but below 0.8; 0.35 over [450, 490) never reaches 0.4; 1.0 over [600, 640) is a false alarm.
    const script = (f: number) => (f >= 300 && f < 340 ? 0.5 : f >= 450 && f < 490 ? 0.35 : f >= 600 && f < 640 ? 1 : 0);
    const windows: MinedWindow[] = [];
    const clipSamples = 1.5 * FS;
    const mined = mineStream(scriptedModel(script, 0.8), rampBlocks(40000, 3), {
      thresholdScale: 0.5,
      clipSamples,
      onWindow: (w) => windows.push(w),
    });
    expect(mined.falseAlarms).to.deep.equal({ yes: 1 });
    expect(mined.windows).to.deep.equal({ yes: 2 });
    expect(windows.map((w) => w.keyword)).to.deep.equal(['yes', 'yes']);
    const [first, second] = windows;
    expect(first.peakFrame).to.equal(300 + W - 1);
    expect(first.peak).to.equal(0.5);
    expect(second.peakFrame).to.equal(600 + W - 1);
    expect(second.peak).to.equal(1);
    for (const w of windows) {
      const end = w.peakFrame * hop + windowSize + Math.round(MINED_TAIL_SEC * FS);
      expect(w.audio.length).to.equal(clipSamples);
      expect(w.startSample).to.equal(end - clipSamples);
      // the very samples of the stream, across the block boundary at 40000
      expect(w.audio[0]).to.equal(w.startSample / 2 ** 20);
      expect(w.audio[clipSamples - 1]).to.equal((end - 1) / 2 ** 20);
      expect(w.firedSample).to.be.within(hop, clipSamples - (end - w.peakFrame * hop - windowSize));
    }
    expect(first.startSample).to.be.below(40000);
    expect(first.startSample + clipSamples).to.be.above(40000);
  });

  it('opens a window at every false alarm, also when the posterior never falls far enough to re-arm the scaled smoother', () => {
    // 0.3 from frame 100 on stays above the scaled onset level (0.5 × 0.4): only the full-threshold smoother re-arms
    const script = (f: number) => ((f >= 300 && f < 340) || (f >= 600 && f < 640) ? 1 : f >= 100 ? 0.3 : 0);
    const windows: MinedWindow[] = [];
    const mined = mineStream(scriptedModel(script, 0.8), rampBlocks(40000, 3), {
      thresholdScale: 0.5,
      clipSamples: FS,
      onWindow: (w) => windows.push(w),
    });
    expect(mined.falseAlarms).to.deep.equal({ yes: 2 });
    expect(windows.map((w) => w.peakFrame)).to.deep.equal([300 + W - 1, 600 + W - 1]);
  });

  it('mines training material only: no held-out speaker, no held-out _unknown_ clip', async () => {
    const speechDir = path.join(tmp, 'talk');
    const expectedTrain: number[] = [];
    const heldOut: number[] = [];
    for (let s = 0; s < 30; s++) {
      // each speaker's recording has its own length, so the test can tell them apart
      const name = `${500 + s}-1-0000.wav`;
      const length = 2 * FS + 16 * s;
      wav(path.join(speechDir, name), noisy(length, 0.1, s + 1));
      (backgroundSpeechSplit(name) === 'train' ? expectedTrain : heldOut).push(length);
    }
    expect(heldOut.length, 'the fixture needs held-out speakers').to.be.above(0);
    const negatives = path.join(tmp, 'negatives');
    for (let i = 0; i < 6; i++) {
      const x = new Float32Array(FS);
      x.set(noisy(FS / 2, 0.3, 100 + i), FS / 4); // a "word" in the middle
      wav(path.join(negatives, 'bed', `n${i}_nohash_0.wav`), x);
    }
    fs.writeFileSync(path.join(negatives, VALIDATION_LIST), 'bed/n0_nohash_0.wav\nbed/n1_nohash_0.wav\n');
    fs.writeFileSync(path.join(negatives, TESTING_LIST), 'bed/n2_nohash_0.wav\n');
    const material = await loadMiningMaterial({ speech: [speechDir], negatives: [negatives] });
    expect(material.speech.map((x) => x.length).sort()).to.deep.equal(expectedTrain.sort());
    for (const x of material.speech) expect(heldOut).not.to.include(x.length);
    expect(material.clips).to.have.length(3);
    expect(material.counts).to.include({
      unknownClips: 3,
      speechRecordings: expectedTrain.length,
      noiseRecordings: 0,
      syntheticNoise: true,
    });
  });

  it("writes the windows as train-split _unknown_ clips of the model's window, with mined.json; deterministic for a seed", async () => {
    // normalised with demo.wav's statistics, the energy model fires on every loud stretch
    const normalization = await wavNormalization(DEFAULT_FEATURE_CONFIG.coefficients);
    const model = writeModelDir(path.join(tmp, 'energy'), energyDetectorWeights('yes'), {
      labels: LABELS,
      keywords: ['yes'],
      normalization,
    });
    const speechDir = path.join(tmp, 'speech');
    for (let s = 0; s < 10; s++) wav(path.join(speechDir, `${700 + s}-1-0000.wav`), noisy(4 * FS, 0.2, s + 7));
    const mine = (out: string, maxClips?: number) => mineHardNegatives(model, out, { speech: [speechDir], hours: 0.02, seed: 4, maxClips });
    const a = await mine(path.join(tmp, 'mined-a'));
    const b = await mine(path.join(tmp, 'mined-b'));
    expect(a.windows.found, 'the energy model fires on loud speech').to.be.above(1);
    expect(a.windows.written).to.equal(a.windows.found);
    expect(b).to.deep.equal(a);
    const out = path.join(tmp, 'mined-a');
    const files = fs.readdirSync(path.join(out, '_unknown_')).sort();
    expect(files).to.have.length(a.windows.written);
    for (const f of files) {
      expect(f).to.match(/^mined_\d+_nohash_0\.wav$/);
      expect((await readClip(path.join(out, '_unknown_', f))).length).to.equal(FS); // the model's window: 1 s (no clipSec recorded)
      expect(fs.readFileSync(path.join(out, '_unknown_', f))).to.deep.equal(fs.readFileSync(path.join(tmp, 'mined-b', '_unknown_', f)));
    }
    expect(fs.readFileSync(path.join(out, VALIDATION_LIST), 'utf8')).to.equal('');
    expect(fs.readFileSync(path.join(out, TESTING_LIST), 'utf8')).to.equal('');
    const json = JSON.parse(fs.readFileSync(path.join(out, MINED_JSON), 'utf8'));
    expect(json.sources.split).to.equal('train');
    expect(json.falseAlarms.perHour).to.be.closeTo(json.falseAlarms.total / json.hours, 1e-9);
    // --max-clips keeps the strongest and deletes the rest (mining again into the same folder)
    const capped = await mine(out, 1);
    expect(capped.windows.written).to.equal(1);
    expect(fs.readdirSync(path.join(out, '_unknown_'))).to.have.length(1);
  });

  describe('kws mine refuses in one line', () => {
    const kws = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(ROOT, 'bin/kws.js'), 'mine', ...args], { encoding: 'utf8', cwd: ROOT });
    const oneLine = (r: ReturnType<typeof kws>, pattern: RegExp) => {
      expect(r.status).to.equal(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).to.have.length(1);
      expect(lines[0]).to.match(pattern);
    };
    it('without --speech or --negatives', () => {
      oneLine(kws('--model', path.join(tmp, 'energy'), '--out', path.join(tmp, 'x')), /^kws: nothing to mine: give --speech/);
    });
    it('asked for a held-out split', () => {
      oneLine(
        kws('--model', path.join(tmp, 'energy'), '--out', path.join(tmp, 'x'), '--speech', path.join(tmp, 'speech'), '--split', 'test'),
        /^kws: --split test: kws mine uses training material only/,
      );
    });
    it('with a model directory that does not load', () => {
      const broken = path.join(tmp, 'broken');
      fs.mkdirSync(broken, { recursive: true });
      fs.writeFileSync(path.join(broken, 'kws.json'), '{ not json');
      oneLine(
        kws('--model', broken, '--out', path.join(tmp, 'x'), '--speech', path.join(tmp, 'speech')),
        /^kws: .*broken.*kws\.json: not valid JSON/,
      );
      oneLine(
        kws('--model', path.join(tmp, 'nowhere'), '--out', path.join(tmp, 'x'), '--speech', path.join(tmp, 'speech')),
        /model directory not found/,
      );
    });
  });
});
