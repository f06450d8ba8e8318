/** The spotter warns once per source when the audio's band stops below the model's training band. */
import { expect } from 'chai';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { openAudio } from '../src/audio/open';
import { DEFAULT_FEATURE_CONFIG } from '../src/features/config';
import { narrowBandWarning } from '../src/pipeline/narrowBand';
import { KeywordSpotter } from '../src/pipeline/spotter';
import { DEMO_WAV, makeEnergyModel, tmpDir } from './support/pipeline';

describe('pipeline: narrow-band input warning', function () {
  this.timeout(30000);

  it('the trained rate comes from the model: below it warns, at or above it does not', () => {
    const at = (sampleRate: number) => ({ ...DEFAULT_FEATURE_CONFIG, sampleRate });
    expect(narrowBandWarning(11025, at(16000))).to.equal(
      '11025 Hz input: the model was trained on 16 kHz audio; expect misses — train with band-limited data for narrow-band input',
    );
    expect(narrowBandWarning(16000, at(22050))).to.match(/^16000 Hz input: the model was trained on 22\.05 kHz audio;/);
    expect(narrowBandWarning(8000, at(8000))).to.equal(null);
    expect(narrowBandWarning(44100, at(16000))).to.equal(null);
    expect(narrowBandWarning(undefined, at(16000))).to.equal(null);
  });

  it("KeywordSpotter.detect sends it to the spotter's onWarning, naming the source, once", async () => {
    const warnings: string[] = [];
    const spotter = await KeywordSpotter.load(await makeEnergyModel(), { onWarning: (m) => warnings.push(m) });
    const demo8k = path.join(tmpDir(), 'narrow-band-8k.wav');
    execFileSync('sox', [DEMO_WAV, '-r', '8000', demo8k]);
    for await (const _ of spotter.detect(await openAudio(demo8k))) void _;
    expect(warnings).to.have.length(1);
    expect(warnings[0].startsWith(`${demo8k}: 8000 Hz input: `), warnings[0]).to.equal(true);
    for await (const _ of spotter.detect(await openAudio(DEMO_WAV))) void _;
    expect(warnings).to.have.length(1);
  });
});
