import { expect } from 'chai';
import { mkdirSync } from 'fs';
import { join } from 'path';
import { AudioFormatError } from '../src/errors';
import { openWav } from '../src/audio/wav';
import { openAudio } from '../src/audio/open';
import { BitDepthCode, collect, levelDb, scratchDir, tone, wavBytes, writeTemp } from './support/wav';
import { WaveFile } from 'wavefile';
import { SampleDecoder } from '../src/audio/sampleDecoder';
import { mixInterleaved } from '../src/audio/toMono';

const quiet = { onWarning: () => {} };

/** Expects `run` to reject with one AudioFormatError naming `file` and matching `problem`. */
async function expectFormatError(run: () => Promise<unknown>, file: string, problem: RegExp): Promise<void> {
  try {
    await run();
  } catch (e) {
    expect(e).to.be.instanceOf(AudioFormatError);
    expect((e as AudioFormatError).file).to.equal(file);
    expect((e as Error).message).to.match(problem);
    expect((e as Error).message.startsWith(file)).to.equal(true);
    return;
  }
  expect.fail(`expected an AudioFormatError for ${file}`);
}

/** Patches a little-endian integer into a copy of a byte array. */
function patched(bytes: Uint8Array, offset: number, value: number, size: 2 | 4): Uint8Array {
  const b = Buffer.from(bytes);
  if (size === 2) b.writeUInt16LE(value, offset);
  else b.writeUInt32LE(value, offset);
  return b;
}

describe('audio: openWav', () => {
  const ref = levelDb(tone(1000, 16000, 0.5), 1000);

  const depths: [BitDepthCode, number][] = [
    ['8', 1.0],
    ['16', 0.1],
    ['24', 0.1],
    ['32', 0.1],
    ['32f', 0.1],
    ['64', 0.1],
    ['8a', 0.5],
    ['8m', 0.5],
  ];
  for (const [depth, tolDb] of depths) {
    it(`reads ${depth} WAV as 16 kHz mono at the right level`, async () => {
      const path = writeTemp(`tone-${depth}.wav`, wavBytes(tone(1000, 16000, 0.5), 16000, depth));
      const src = await openWav(path, quiet);
      expect(src.sampleRate).to.equal(16000);
      expect(src.durationSec).to.be.closeTo(0.5, 1e-9);
      const y = await collect(src);
      expect(y.length).to.equal(8000);
      expect(Math.abs(levelDb(y, 1000) - ref)).to.be.below(tolDb);
      // Same samples as the source tone, not just the same level (catches sign/offset bugs).
      const x = tone(1000, 16000, 0.5);
      let err = 0;
      for (let i = 0; i < y.length; i++) err = Math.max(err, Math.abs(y[i] - x[i]));
      expect(err).to.be.below(depth === '8' ? 0.02 : depth.startsWith('8') ? 0.03 : 1e-3);
    });
  }

  for (const rate of [8000, 11025, 22050, 44100, 48000, 96000]) {
    it(`resamples ${rate} Hz to 16 kHz keeping a 1 kHz tone within 0.5 dB`, async () => {
      const path = writeTemp(`rate-${rate}.wav`, wavBytes(tone(1000, rate, 0.5), rate, '16'));
      const src = await openWav(path, quiet);
      expect(src.durationSec).to.be.closeTo(0.5, 1e-4);
      const y = await collect(src);
      expect(y.length).to.equal(Math.ceil((Math.round(rate * 0.5) * 16000) / rate));
      expect(Math.abs(levelDb(y, 2000) - ref)).to.be.below(0.5);
    });
  }

  it('mixes stereo and multichannel to mono by averaging the channels', async () => {
    const x = tone(1000, 16000, 0.25);
    const stereo = await collect(await openWav(writeTemp('st.wav', wavBytes(x, 16000, '32f', 2, [1, 0])), quiet));
    for (let i = 0; i < x.length; i++) expect(stereo[i]).to.be.closeTo(x[i] / 2, 1e-6);
    const six = await collect(await openWav(writeTemp('six.wav', wavBytes(x, 16000, '32f', 6, [1, 1, 1, -1, 0, 1])), quiet));
    for (let i = 0; i < x.length; i++) expect(six[i]).to.be.closeTo(x[i] / 2, 1e-6);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE by its sub-format (float and integer)', async () => {
    const x = tone(1000, 16000, 0.1);
    // wavefile writes >2 channels with a 40-byte fmt; make it a proper extensible header.
    const asExtensible = (bytes: Uint8Array, sub: number) => patched(patched(bytes, 20, 0xfffe, 2), 44, sub, 4);
    const float = asExtensible(wavBytes(x, 16000, '32f', 3), 3);
    const int24 = asExtensible(wavBytes(x, 16000, '24', 3), 1);
    for (const [name, bytes] of [
      ['ext-float.wav', float],
      ['ext-int24.wav', int24],
    ] as const) {
      const y = await collect(await openWav(writeTemp(name, bytes), quiet));
      for (let i = 0; i < x.length; i += 7) expect(y[i]).to.be.closeTo(x[i], 1e-4);
    }
  });

  it('emits chunks before the whole file is read (streams the data chunk)', async () => {
    const path = writeTemp('long.wav', wavBytes(tone(300, 48000, 3), 48000, '24', 2));
    const src = await openWav(path, { ...quiet, readBytes: 16384 });
    let chunks = 0;
    for await (const c of src) if (c.length) chunks++;
    expect(chunks).to.be.greaterThan(20); // 864 kB of data in 16 kB pieces
  });

  it('sanitizes NaN/Infinity float samples to 0 with one warning', async () => {
    const x = tone(1000, 16000, 0.1);
    x[10] = NaN;
    x[20] = Infinity;
    x[30] = -Infinity;
    const path = writeTemp('nan.wav', wavBytes(x, 16000, '32f'));
    const warnings: string[] = [];
    const src = await openWav(path, { onWarning: (w) => warnings.push(w) });
    const y = await collect(src);
    expect([y[10], y[20], y[30]]).to.deep.equal([0, 0, 0]);
    expect(y.every(Number.isFinite)).to.equal(true);
    expect(warnings).to.have.length(1);
    expect(warnings[0])
      .to.include(path)
      .and.match(/NaN\/Infinity/);
    expect(src.warnings).to.deep.equal(warnings);
  });

  it('reads a truncated data chunk up to where the file ends, with a warning (strict: error)', async () => {
    const full = wavBytes(tone(1000, 16000, 0.5), 16000, '16');
    const path = writeTemp('trunc.wav', full.subarray(0, full.length - 4001)); // also cuts a sample in half
    const warnings: string[] = [];
    const y = await collect(await openWav(path, { onWarning: (w) => warnings.push(w) }));
    expect(y.length).to.equal(8000 - 2001);
    expect(warnings.join('\n'))
      .to.match(/claims 16000 bytes but the file holds only 11999/)
      .and.match(/incomplete sample frame/);
    await expectFormatError(() => openWav(path, { strict: true }), path, /claims 16000 bytes/);
  });

  it('takes a data size larger than the whole file as truncation: warns and reads what is there', async () => {
    const good = wavBytes(tone(1000, 16000, 0.1), 16000, '16');
    const path = writeTemp('huge-claim.wav', patched(good, 40, 0x7ffffff0, 4));
    const warnings: string[] = [];
    const y = await collect(await openWav(path, { onWarning: (w) => warnings.push(w) }));
    expect(y.length).to.equal(1600);
    expect(warnings[0]).to.match(/claims 2147483632 bytes/);
    await expectFormatError(() => openWav(path, { strict: true }), path, /claims 2147483632 bytes/);
  });

  describe('bad input → one AudioFormatError naming the file', () => {
    const good = wavBytes(tone(1000, 16000, 0.1), 16000, '16');
    const cases: [string, Uint8Array | string, RegExp][] = [
      ['empty file', new Uint8Array(0), /empty file/],
      ['not a WAV', 'hello, I am a text file, not audio at all', /not a WAV file/],
      ['truncated header (10 bytes)', good.subarray(0, 10), /truncated header/],
      ['truncated header (no data chunk)', good.subarray(0, 30), /truncated header/],
      ['zero channels', patched(good, 22, 0, 2), /zero channels/],
      ['sample rate 0', patched(good, 24, 0, 4), /sample rate 0 Hz/],
      ['sample rate 10^9', patched(good, 24, 1e9, 4), /sample rate 1000000000 Hz/],
      ['unknown format code', patched(good, 20, 0x1234, 2), /format code 0x1234/],
      ['ADPCM', patched(good, 20, 2, 2), /MS ADPCM/],
      ['inconsistent block align', patched(good, 32, 7, 2), /block align 7/],
    ];
    for (const [label, bytes, problem] of cases) {
      it(label, async () => {
        const path = writeTemp(`bad-${label.replace(/\W+/g, '-')}.wav`, bytes);
        await expectFormatError(() => openWav(path), path, problem);
        await expectFormatError(() => openAudio(path), path, label === 'not a WAV' ? /not a WAV or FLAC/ : problem);
      });
    }
    it('missing file', async () => {
      const path = join(scratchDir(), 'does-not-exist.wav');
      await expectFormatError(() => openWav(path), path, /no such file/);
    });
    it('directory instead of a file', async () => {
      const path = join(scratchDir(), 'a-directory.wav');
      mkdirSync(path, { recursive: true });
      await expectFormatError(() => openWav(path), path, /is a directory/);
    });
  });

  it('close() before or during iteration releases the file and stops the stream', async () => {
    const path = writeTemp('close.wav', wavBytes(tone(1000, 16000, 2), 16000, '16'));
    const early = await openWav(path, quiet);
    await early.close();
    await early.close(); // safe twice
    const src = await openWav(path, { ...quiet, readBytes: 3200 });
    let n = 0;
    for await (const c of src) {
      n += c.length;
      if (n >= 3200) await src.close();
    }
    expect(n).to.be.below(32000);
  });
});

describe('audio: SampleDecoder typed-array fast path', () => {
  // wavefile is the reference codec; the 16-bit and float views must give exactly its values
  for (const [depth, bytesPerSample] of [
    ['16', 2],
    ['32f', 4],
  ] as const) {
    it(`${depth}: equals wavefile's decoding, stereo, from an odd byte offset`, () => {
      const frames = 3000;
      const buf = new Uint8Array(1 + frames * 2 * bytesPerSample);
      const values = Array.from({ length: frames * 2 }, (_, i) => (depth === '16' ? ((i * 7919) % 65536) - 32768 : Math.sin(i) * 1.2));
      const w = new WaveFile();
      w.fromScratch(2, 16000, depth, values);
      buf.set((w as unknown as { data: { samples: Uint8Array } }).data.samples, 1);
      const bytes = buf.subarray(1); // unaligned, as pieces of a file read are
      const got = new SampleDecoder(depth, 2, 16000).decode(bytes);
      const scale = depth === '16' ? 1 / 32768 : 1;
      const raw = w.getSamples(true, Float64Array) as unknown as Float64Array;
      const expected = mixInterleaved(raw, 2, scale);
      expect(Array.from(got.samples)).to.deep.equal(Array.from(expected.samples));
      expect(got.clipped).to.equal(expected.clipped);
      if (depth === '32f') expect(got.clipped).to.be.greaterThan(0);
    });
  }
});
