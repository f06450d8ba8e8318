import { expect } from 'chai';
import { PassThrough, Readable } from 'stream';
import { AudioFormatError, ConfigError } from '../src/errors';
import { pcmStream } from '../src/audio/pcm';
import { collect, levelDb, tone } from './support/wav';

/** A readable that delivers `bytes` in pieces of the given sizes (cycled). */
function piecewise(bytes: Buffer, sizes: number[]): Readable {
  const pieces: Buffer[] = [];
  for (let o = 0, k = 0; o < bytes.length; k++) {
    pieces.push(bytes.subarray(o, o + sizes[k % sizes.length]));
    o += sizes[k % sizes.length];
  }
  return Readable.from(pieces);
}

function s16le(x: Float32Array, channels = 1): Buffer {
  const b = Buffer.alloc(x.length * 2 * channels);
  for (let i = 0; i < x.length; i++) for (let c = 0; c < channels; c++) b.writeInt16LE(Math.round(x[i] * 32767), (i * channels + c) * 2);
  return b;
}

describe('audio: pcmStream', () => {
  const x = tone(1000, 16000, 0.5);

  it('reads s16le split at odd byte boundaries exactly like in one piece', async () => {
    const bytes = s16le(x);
    const whole = await collect(pcmStream(Readable.from([bytes]), { sampleRate: 16000, encoding: 's16le', channels: 1 }));
    const odd = await collect(pcmStream(piecewise(bytes, [1, 3, 7, 1001]), { sampleRate: 16000, encoding: 's16le', channels: 1 }));
    expect(odd).to.deep.equal(whole);
    expect(whole.length).to.equal(x.length);
    for (let i = 0; i < x.length; i += 13) expect(whole[i]).to.be.closeTo(x[i], 1 / 16384);
  });

  it('reads f32le stereo at 48 kHz, mixed and resampled to 16 kHz', async () => {
    const y48 = tone(1000, 48000, 0.5);
    const b = Buffer.alloc(y48.length * 8);
    for (let i = 0; i < y48.length; i++) {
      b.writeFloatLE(y48[i], i * 8);
      b.writeFloatLE(y48[i], i * 8 + 4);
    }
    const src = pcmStream(piecewise(b, [5, 4099]), { sampleRate: 48000, encoding: 'f32le', channels: 2, name: 'socket' });
    expect(src.name).to.equal('socket');
    const y = await collect(src);
    expect(y.length).to.equal(8000);
    expect(Math.abs(levelDb(y, 2000) - levelDb(x, 2000))).to.be.below(0.5);
  });

  it('warns about a trailing partial frame', async () => {
    const warnings: string[] = [];
    const y = await collect(
      pcmStream(Readable.from([Buffer.concat([s16le(x), Buffer.from([1])])]), {
        sampleRate: 16000,
        encoding: 's16le',
        channels: 1,
        onWarning: (w) => warnings.push(w),
      }),
    );
    expect(y.length).to.equal(x.length);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/^-: stream ended inside a sample frame; 1 trailing bytes/);
  });

  it('turns a failing input stream into an AudioFormatError', async () => {
    const s = new PassThrough();
    s.write(s16le(x.subarray(0, 100)));
    setTimeout(() => s.destroy(new Error('connection reset')), 10);
    try {
      await collect(pcmStream(s, { sampleRate: 16000, encoding: 's16le', channels: 1 }));
      expect.fail('should reject');
    } catch (e) {
      expect(e).to.be.instanceOf(AudioFormatError);
      expect((e as Error).message).to.match(/connection reset/);
    }
  });

  it('rejects impossible settings with a ConfigError', () => {
    const r = Readable.from([]);
    expect(() => pcmStream(r, { sampleRate: 0, encoding: 's16le', channels: 1 })).to.throw(ConfigError, /sample rate/);
    expect(() => pcmStream(r, { sampleRate: 16000, encoding: 's16le', channels: 0 })).to.throw(ConfigError, /channels/);
    expect(() => pcmStream(r, { sampleRate: 16000, encoding: 'u8' as 's16le', channels: 1 })).to.throw(ConfigError, /encoding/);
  });
});
