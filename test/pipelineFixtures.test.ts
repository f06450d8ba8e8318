/**
 * The regression fixtures are what they claim: small 16 kHz mono 16-bit WAVs, and every
 * expected keyword span in manifest.json holds speech while the pauses around it are quiet.
 */
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { WaveFile } from 'wavefile';
import { loadManifest } from '../src/regress/manifest';
import { KEYWORDS } from './support/models';

const DIR = path.resolve(__dirname, '..', 'fixtures');

function rmsDb(x: Int16Array, from: number, to: number): number {
  const a = Math.max(0, Math.round(from * 16000));
  const b = Math.min(x.length, Math.round(to * 16000));
  let s = 0;
  for (let i = a; i < b; i++) s += (x[i] / 32768) ** 2;
  return 10 * Math.log10(s / Math.max(1, b - a) + 1e-12);
}

describe('fixtures/', () => {
  const manifest = loadManifest(path.join(DIR, 'manifest.json'));
  const samples = (file: string) => {
    const w = new WaveFile(fs.readFileSync(file));
    const fmt = w.fmt as { sampleRate: number; numChannels: number };
    expect([fmt.sampleRate, fmt.numChannels, w.bitDepth], file).to.deep.equal([16000, 1, '16']);
    return w.getSamples(false, Int16Array) as unknown as Int16Array;
  };

  it('are 16 kHz mono 16-bit, under 2 MB in all, and include demo, noise-only and no-keyword files', () => {
    const names = manifest.files.map((f) => f.name);
    expect(names).to.include.members(['demo.wav', 'noise-only.wav', 'no-keywords.wav']);
    let bytes = 0;
    for (const f of manifest.files) {
      samples(f.file);
      bytes += fs.statSync(f.file).size;
    }
    expect(bytes).to.be.below(2 * 1024 * 1024);
    const empty = manifest.files.filter((f) => f.events.length === 0).map((f) => f.name);
    expect(empty).to.have.members(['noise-only.wav', 'no-keywords.wav']);
  });

  it('cover every default keyword, each span loud and its surrounding pauses quiet', () => {
    const seen = new Set<string>();
    for (const f of manifest.files) {
      const x = samples(f.file);
      for (const e of f.events) {
        seen.add(e.keyword);
        const inside = rmsDb(x, e.start, e.end);
        const before = rmsDb(x, e.start - 0.3, e.start - 0.02);
        const after = rmsDb(x, e.end + 0.02, e.end + 0.3);
        const where = `${f.name} ${e.keyword}@${e.start}`;
        expect(inside - before, where).to.be.above(12);
        expect(inside - after, where).to.be.above(12);
      }
    }
    expect([...seen].sort()).to.deep.equal([...KEYWORDS].sort());
  });
});
