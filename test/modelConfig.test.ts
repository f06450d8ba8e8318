import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { ModelError } from '../src/errors';
import { loadModelConfig, MODEL_CONFIG_FILE } from '../src/model/kwsJson';
import { KeywordSpotter } from '../src/pipeline/spotter';
import { openAudio } from '../src/audio/open';
import { DEMO_WAV, makeEnergyModel, tmpDir } from './support/pipeline';

/** A copy of the energy model directory with kws.json's features edited. */
async function withFeatures(name: string, edit: (features: Record<string, unknown>) => void): Promise<string> {
  const src = await makeEnergyModel();
  const dir = path.join(tmpDir(), name);
  fs.cpSync(src, dir, { recursive: true });
  const file = path.join(dir, MODEL_CONFIG_FILE);
  const cfg = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(cfg.features);
  fs.writeFileSync(file, JSON.stringify(cfg));
  return dir;
}

describe('kws.json features', () => {
  it('a model without features.sampleScale (trained before it existed) reads raw samples: scale 1', async () => {
    const dir = await withFeatures('no-scale', (f) => delete f.sampleScale);
    expect(loadModelConfig(dir).features.sampleScale).to.equal(1);
  });

  it('a bad features entry is one ModelError naming kws.json', async () => {
    for (const [name, edit] of [
      ['zero-scale', (f: Record<string, unknown>) => (f.sampleScale = 0)],
      ['odd-fft', (f: Record<string, unknown>) => (f.fftSize = 500)],
      ['no-coefficients', (f: Record<string, unknown>) => delete f.coefficients],
    ] as const) {
      const dir = await withFeatures(name, edit);
      expect(() => loadModelConfig(dir), name).to.throw(ModelError, new RegExp(`${name}/kws\\.json: features\\.`));
    }
  });

  it('the spotter feeds the model features of samples × sampleScale', async () => {
    // The energy model fires on loud frames: at 1/1000 of the scale demo.wav is too quiet to fire it
    const events = async (dir: string) => {
      const spotter = await KeywordSpotter.load(dir);
      const out = [];
      for await (const e of spotter.detect(await openAudio(DEMO_WAV))) out.push(e);
      return out.length;
    };
    const asTrained = await withFeatures('scale-1', (f) => (f.sampleScale = 1));
    const quiet = await withFeatures('scale-milli', (f) => (f.sampleScale = 0.001));
    expect(await events(asTrained)).to.be.greaterThan(0);
    expect(await events(quiet)).to.equal(0);
  });
});
