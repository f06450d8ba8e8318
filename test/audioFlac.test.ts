import { expect } from 'chai';
import { execFileSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { AudioFormatError } from '../src/errors';
import { openAudio } from '../src/audio/open';
import { openFlac } from '../src/audio/flac';
import { sharedData } from './support/sharedData';
import { collect, levelDb, scratchDir, tone, wavBytes, writeTemp } from './support/wav';

/** Encodes a WAV to FLAC with sox (installed by pretest). */
function soxFlac(wavPath: string, flacPath: string, ...args: string[]): string {
  execFileSync('sox', [wavPath, ...args, flacPath]);
  return flacPath;
}

async function formatError(run: () => Promise<unknown>): Promise<AudioFormatError> {
  try {
    await run();
  } catch (e) {
    expect(e).to.be.instanceOf(AudioFormatError);
    return e as AudioFormatError;
  }
  return expect.fail('expected an AudioFormatError');
}

describe('audio: FLAC and openAudio', function () {
  this.timeout(30000);
  const x = tone(1000, 44100, 1);
  const wav = writeTemp('flac-src.wav', wavBytes(x, 44100, '24', 2));
  const flac = soxFlac(wav, join(scratchDir(), 'tone.flac'));
  const ref = levelDb(tone(1000, 16000, 1), 2000);

  it('reads a sox-made 44.1 kHz stereo 24-bit FLAC as 16 kHz mono at the right level', async () => {
    const warnings: string[] = [];
    const src = await openFlac(flac, { onWarning: (w) => warnings.push(w) });
    expect(src.durationSec).to.be.closeTo(1, 1e-6);
    const y = await collect(src);
    // The wasm decoder drops the last FLAC frame (≤ one block, 4608 samples at 44.1 kHz).
    expect(y.length).to.be.within(16000 - Math.ceil((4608 * 16000) / 44100), 16000);
    expect(Math.abs(levelDb(y, 2000) - ref)).to.be.below(0.5);
    expect(warnings).to.deep.equal([]);
  });

  it('openAudio picks the decoder by content, not by extension', async () => {
    const flacNamedWav = writeTemp('really-flac.wav', readFileSync(flac));
    const wavNamedFlac = writeTemp('really-wav.flac', readFileSync(wav));
    expect((await collect(await openAudio(flacNamedWav))).length).to.be.above(14000);
    expect((await collect(await openAudio(wavNamedFlac))).length).to.equal(16000);
    const junk = writeTemp('junk.flac', Buffer.from('plain text, not audio at all'));
    const e = await formatError(() => openAudio(junk));
    expect(e.message).to.equal(`${junk}: not a WAV or FLAC file (unrecognised content)`);
  });

  it('corrupt FLAC → one AudioFormatError naming the file', async () => {
    const bytes = readFileSync(flac);
    const headerOnly = writeTemp('header-only.flac', bytes.subarray(0, 20));
    expect((await formatError(() => openAudio(headerOnly))).message).to.match(/header-only\.flac: truncated FLAC header/);
    const garbage = Buffer.concat([bytes.subarray(0, 42), Buffer.alloc(20000, 0x5a)]);
    const corrupt = writeTemp('garbage.flac', garbage);
    const src = await openAudio(corrupt, { onWarning: () => {} });
    expect((await formatError(() => collect(src))).message).to.match(/garbage\.flac: corrupt FLAC: no audio decodes/);
    const empty = writeTemp('empty.flac', '');
    expect((await formatError(() => openAudio(empty))).message).to.match(/empty\.flac: empty file/);
  });

  it('keeps what decodes when a FLAC loses sync part-way, with one warning', async () => {
    const bytes = Buffer.from(readFileSync(flac));
    bytes.fill(0xff, Math.floor(bytes.length * 0.5), Math.floor(bytes.length * 0.5) + 4000);
    const broken = writeTemp('broken.flac', bytes);
    const warnings: string[] = [];
    const y = await collect(await openAudio(broken, { onWarning: (w) => warnings.push(w) }));
    expect(y.length).to.be.within(2000, 15000);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/broken\.flac: FLAC decoding failed part-way .* kept the [\d.]+ s of 1\.00 s that decoded/);
  });

  it('real recordings: exactly the 7 damaged alexa files warn, the rest decode in full', async function () {
    const dir = sharedData(this, 'wakewords', 'alexa');
    const damaged: string[] = [];
    for (const f of readdirSync(dir)
      .filter((n) => n.endsWith('.flac'))
      .sort()) {
      const warnings: string[] = [];
      const src = await openAudio(join(dir, f), { onWarning: (w) => warnings.push(w) });
      const y = await collect(src);
      expect(y.length).to.be.above(0);
      if (warnings.length) {
        expect(warnings[0]).to.match(/lost sync/);
        damaged.push(f);
      } else {
        expect(y.length / 16000).to.be.closeTo(src.durationSec!, 0.3);
      }
    }
    expect(damaged.sort()).to.deep.equal(['126.flac', '127.flac', '142.flac', '229.flac', '272.flac', '274.flac', '32.flac']);
  });
});
