/**
 * Integer samples mean n / 2^(b−1) in every reader: a FLAC and a WAV of the same full-scale
 * integers give the same samples, −2^(b−1) reads as exactly −1 and no clipping is reported;
 * only input that really exceeds full scale (float > 1) is clipped with a warning.
 */
import { expect } from 'chai';
import { execFileSync } from 'child_process';
import { join } from 'path';
import { WaveFile } from 'wavefile';
import { openAudio } from '../src/audio/open';
import { sharedData } from './support/sharedData';
import { collect, scratchDir, wavBytes, writeTemp } from './support/wav';

const RATE = 16000; // the target rate, so no resampling sits between the decoder and the samples

/** Every integer of a b-bit sample at least once (a random draw of them for 24 bits), both extremes first. */
function fullScaleIntegers(bits: number): Int32Array {
  const full = 2 ** (bits - 1);
  const n = bits <= 16 ? 2 * full : 40000;
  const out = new Int32Array(n + 2);
  out[0] = -full;
  out[1] = full - 1;
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    if (bits <= 16) out[i + 2] = -full + i;
    else {
      seed = (seed * 1103515245 + 12345) >>> 0;
      out[i + 2] = (seed % (2 * full)) - full;
    }
  }
  return out;
}

/** A WAV of the integers (8-bit WAV is unsigned: n + 128) and sox's FLAC of that WAV. */
function wavAndFlac(bits: 8 | 16 | 24): { wav: string; flac: string; integers: Int32Array } {
  const integers = fullScaleIntegers(bits);
  const w = new WaveFile();
  w.fromScratch(
    1,
    RATE,
    String(bits),
    Array.from(integers, (n) => (bits === 8 ? n + 128 : n)),
  );
  const wav = writeTemp(`full-scale-${bits}.wav`, w.toBuffer());
  const flac = join(scratchDir(), `full-scale-${bits}.flac`);
  execFileSync('sox', [wav, flac]);
  return { wav, flac, integers };
}

async function read(path: string): Promise<{ samples: Float32Array; warnings: string[] }> {
  const warnings: string[] = [];
  const samples = await collect(await openAudio(path, { onWarning: (m) => warnings.push(m) }));
  return { samples, warnings };
}

describe('audio: integer full scale (FLAC = WAV, sample for sample)', function () {
  this.timeout(30000);

  for (const bits of [8, 16, 24] as const) {
    it(`${bits}-bit: the FLAC gives exactly the WAV's samples, n / 2^${bits - 1}, without a clipping warning`, async () => {
      const { wav, flac, integers } = wavAndFlac(bits);
      const fromWav = await read(wav);
      const fromFlac = await read(flac);
      const full = 2 ** (bits - 1);
      expect(fromWav.samples[0]).to.equal(-1);
      expect(fromWav.samples[1]).to.equal(Math.fround((full - 1) / full));
      // The wasm decoder never returns a file's last frame (≤ 4608 samples): compare what it gives.
      expect(fromFlac.samples.length).to.be.within(integers.length - 4608, integers.length);
      for (let i = 0; i < fromFlac.samples.length; i++) {
        if (fromFlac.samples[i] !== fromWav.samples[i]) {
          expect.fail(`sample ${i} (integer ${integers[i]}): FLAC ${fromFlac.samples[i]}, WAV ${fromWav.samples[i]}`);
        }
      }
      expect(fromFlac.warnings).to.deep.equal([]);
      expect(fromWav.warnings).to.deep.equal([]);
    });
  }

  it('a real Speech Commands FLAC holding the sample −32768 reads it as exactly −1, without a warning', async function () {
    const file = join(sharedData(this, 'speech_commands', 'down'), '4290ca61_nohash_0.flac');
    const { samples, warnings } = await read(file);
    expect(samples.reduce((m, v) => Math.min(m, v), 0)).to.equal(-1);
    expect(warnings).to.deep.equal([]);
  });

  it('float WAV beyond ±1.0 is still clipped, with one warning', async () => {
    const x = Float32Array.from({ length: 1600 }, (_, i) => (i === 800 ? 1.5 : 0.25));
    const path = writeTemp('over-full-scale.wav', wavBytes(x, RATE, '32f'));
    const { samples, warnings } = await read(path);
    expect(samples[800]).to.equal(1);
    expect(warnings).to.deep.equal([`${path}: float samples beyond ±1.0 from 0.000 s clipped`]);
  });
});
