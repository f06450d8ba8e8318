import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DatasetError } from '../src/errors';
import { readSynthClips } from './support/synthClips';
import { rms, trimSilence } from '../src/data/augment';
import { synthesize, SynthSummary } from '../src/synth/synthesize';
import { GnuspeechRequest, gnuspeechConfig, gnuspeechWav, setConfig } from '../src/synth/gnuspeech';
import { Prosody, RenderPool } from '../src/synth/render';
import { groupVoices, pickProsody, pickVoice } from '../src/synth/plan';
import { rngFor } from '../src/data/random';
import { discoverVoices, Engine, Voice } from '../src/synth/voices';

const ROOT = path.resolve(__dirname, '..');
const male: Voice = { id: 'gnuspeech:male', engine: 'gnuspeech', name: 'male', speaker: 'gnuspeech-male' };
const female: Voice = { ...male, id: 'gnuspeech:female', name: 'female', speaker: 'gnuspeech-female' };
const neutral: Prosody = { rate: 1, pitch: 0, tract: 0 };

/** Duration in seconds of a 16-bit mono WAV from its header (the engine's own rate). */
function wavSeconds(wav: Buffer): number {
  return wav.readUInt32LE(40) / 2 / wav.readUInt32LE(24);
}

describe('kws synth: gnuspeech, the in-process engine', function () {
  this.timeout(120000);
  let tmp: string;
  let pool: RenderPool;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-gnuspeech-test-'));
    pool = new RenderPool(1, tmp);
  });
  after(() => {
    pool.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('renders a word to 16 kHz speech of a plausible length through the common render path', async () => {
    const req: GnuspeechRequest = { voiceType: 'male', text: 'left', rate: 1, pitch: 0, tract: 0 };
    const seconds = wavSeconds(await gnuspeechWav(req, male.id));
    const x = await pool.render(male, 'left', neutral);
    // resampled from the engine's rate to 16 kHz: same duration, 16 000 samples a second
    expect(x.length).to.be.closeTo(seconds * 16000, 2);
    const word = trimSilence(x, 16000);
    expect(word.length / 16000).to.be.within(0.25, 0.8);
    expect(rms(word)).to.be.greaterThan(0.05);
  });

  it('is deterministic: the same request gives the same samples, whatever was rendered between', async () => {
    const p: Prosody = { rate: 1.1, pitch: 0.4, tract: -0.5 };
    const first = await pool.render(male, 'stop', p);
    await pool.render(female, 'go', { rate: 0.9, pitch: -0.7, tract: 0.8 });
    expect(Buffer.from((await pool.render(male, 'stop', p)).buffer).equals(Buffer.from(first.buffer))).to.equal(true);
  });

  it('varies tempo, pitch and vocal-tract length with the prosody', async () => {
    const slow = await pool.render(male, 'down', { ...neutral, rate: 0.85 });
    const fast = await pool.render(male, 'down', { ...neutral, rate: 1.25 });
    expect(fast.length / slow.length).to.be.within(0.6, 0.9);
    const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => v === b[i]);
    const base = await pool.render(male, 'down', neutral);
    expect(same(await pool.render(male, 'down', { ...neutral, pitch: 1 }), base)).to.equal(false);
    expect(same(await pool.render(male, 'down', { ...neutral, tract: 1 }), base)).to.equal(false);
  });

  it("writes its settings into the package's configuration files", () => {
    const stock = {
      controlModel: 'voice_name = male\ntempo = 1.0\npitch_offset = -4.0\nrandom_intonation = 1\n',
      trm: 'output_rate = 44100.0\nvocal_tract_length_offset = 0.0\n',
    };
    const c = gnuspeechConfig({ voiceType: 'female', text: 'yes', rate: 1.2, pitch: 1, tract: -1 }, stock, 15);
    expect(c.controlModel).to.equal('voice_name = female\ntempo = 1.2000\npitch_offset = -1.000\nrandom_intonation = 0\n');
    expect(c.trm).to.equal('output_rate = 22050.0\nvocal_tract_length_offset = -0.900\n');
    expect(() => setConfig('tempo = 1.0\n', 'pitch_offset', 0)).to.throw(DatasetError, /no "pitch_offset"/);
  });

  it('reports an engine failure in one line naming voice and text, then renders again', async () => {
    const before = await pool.render(male, 'yes', neutral);
    for (const [text, why] of [
      ['.', /internal error/],
      ['  ', /nothing to say/],
    ] as const) {
      await pool.render(male, text, neutral).then(
        () => expect.fail('should throw'),
        (err) => {
          expect(err).to.be.instanceOf(DatasetError);
          expect(err.message).to.match(new RegExp(`^gnuspeech failed for voice gnuspeech:male saying "${text.replace('.', '\\.')}": `));
          expect(err.message).to.match(why);
          expect(err.message).to.not.include('\n');
        },
      );
    }
    const after = await pool.render(male, 'yes', neutral);
    expect(Buffer.from(after.buffer).equals(Buffer.from(before.buffer))).to.equal(true);
  });

  it('lists the five voice types as five speakers', async () => {
    const inv = await discoverVoices(['gnuspeech']);
    expect(inv.voices.map((v) => v.id)).to.deep.equal([
      'gnuspeech:baby',
      'gnuspeech:female',
      'gnuspeech:large_child',
      'gnuspeech:male',
      'gnuspeech:small_child',
    ]);
    expect(new Set(inv.voices.map((v) => v.speaker)).size).to.equal(5);
    expect(inv.versions.gnuspeech).to.match(/^@echogarden\/gnuspeech-wasm \d+\.\d+\.\d+$/);
    const all = await discoverVoices();
    expect(all.engines).to.deep.equal(['espeak-ng', 'flite', 'gnuspeech']);
    expect(all.voices.filter((v) => v.engine === 'gnuspeech')).to.deep.equal(inv.voices);
  });
});

describe('kws synth: engine shares', () => {
  const voice = (engine: Engine, n: number): Voice => ({ id: `${engine}:${n}`, engine, name: String(n), speaker: `${engine}-${n}` });
  const share = (voices: Voice[]) => {
    const groups = groupVoices(voices);
    const count: Record<string, number> = {};
    for (let i = 0; i < 3000; i++) {
      const v = pickVoice(groups, rngFor(1, 'share', i));
      count[v.engine] = (count[v.engine] ?? 0) + 1 / 3000;
    }
    return count;
  };
  const espeak = Array.from({ length: 30 }, (_, i) => voice('espeak-ng', i));
  const flite = Array.from({ length: 4 }, (_, i) => voice('flite', i));
  const gnuspeech = Array.from({ length: 5 }, (_, i) => voice('gnuspeech', i));

  it('gives flite and gnuspeech a sixth of the clips each beside espeak-ng, flite a fifth without gnuspeech', () => {
    const three = share([...espeak, ...flite, ...gnuspeech]);
    expect(three.gnuspeech).to.be.closeTo(1 / 6, 0.03);
    expect(three.flite).to.be.closeTo(1 / 6, 0.03);
    expect(share([...espeak, ...flite]).flite).to.be.closeTo(0.2, 0.03);
    expect(share([...flite, ...gnuspeech]).gnuspeech).to.be.closeTo(0.5, 0.04);
  });

  it('draws a vocal-tract length for gnuspeech voices only', () => {
    expect(pickProsody(gnuspeech[0], rngFor(1, 'p')).tract).to.be.within(-1, 1);
    expect(pickProsody(espeak[0], rngFor(1, 'p'))).to.not.have.property('tract');
  });
});

describe('kws synth --engines', function () {
  this.timeout(120000);
  const dirs: string[] = [];
  const tempDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-engines-test-'));
    dirs.push(d);
    return d;
  };
  const gnuspeechOnly = (outDir: string): Promise<SynthSummary> =>
    synthesize({
      keywords: ['yes', 'no'],
      outDir,
      perWord: 5,
      unknownCount: 3,
      silenceCount: 1,
      seed: 7,
      backgroundSec: 1,
      engines: ['gnuspeech'],
    });
  let a: string;
  let summary: SynthSummary;

  before(async () => {
    a = tempDir();
    summary = await gnuspeechOnly(a);
  });
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('restricts the voices to the engines named, and synth.json records them with their versions', async () => {
    const { header, clips } = readSynthClips(a);
    const [voice, tract] = ['voice', 'tract'].map((c) => header.indexOf(c));
    const spoken = clips.filter((r) => r[voice]);
    expect(spoken.length).to.equal(13);
    for (const r of spoken) {
      expect(r[voice]).to.match(/^gnuspeech:/);
      expect(Math.abs(Number(r[tract]))).to.be.at.most(1);
    }
    const json = JSON.parse(fs.readFileSync(path.join(a, 'synth.json'), 'utf8'));
    expect(json.engines).to.deep.equal(['gnuspeech']);
    expect(json.toolVersions).to.deep.equal({ 'espeak-ng': null, flite: null, gnuspeech: summary.toolVersions.gnuspeech });
    expect(json.toolVersions.gnuspeech).to.match(/gnuspeech-wasm \d/);
    // five speakers: one for validation, one for test, three for training
    expect([summary.speakers.train.length, summary.speakers.validation.length, summary.speakers.test.length]).to.deep.equal([3, 1, 1]);
    const flite = await discoverVoices(['flite']);
    expect(new Set(flite.voices.map((v) => v.engine))).to.deep.equal(new Set(['flite']));
  });

  it('gives identical files for the same seed', async () => {
    const b = tempDir();
    await gnuspeechOnly(b);
    const files = (d: string) => fs.readdirSync(path.join(d, 'yes')).sort();
    expect(files(b)).to.deep.equal(files(a));
    for (const label of ['yes', 'no', '_unknown_']) {
      for (const f of fs.readdirSync(path.join(a, label))) {
        expect(fs.readFileSync(path.join(b, label, f)).equals(fs.readFileSync(path.join(a, label, f))), `${label}/${f}`).to.equal(true);
      }
    }
  });

  it('refuses an unknown engine in one line (CLI)', () => {
    const r = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'bin', 'kws.js'),
        'synth',
        '--keywords',
        'yes',
        '--out',
        path.join(tempDir(), 'x'),
        '--engines',
        'espeak-ng,festival',
      ],
      { encoding: 'utf8' },
    );
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal('kws: --engines: unknown engine "festival" (espeak-ng, flite, gnuspeech)\n');
  });
});
