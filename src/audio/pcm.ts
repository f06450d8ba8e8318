import { Readable } from 'stream';
import { AudioFormatError, ConfigError } from '../errors';
import { WarningAudioSource, MonoTo16k, makeSource } from './decodedStream';
import { SampleDecoder } from './sampleDecoder';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './wavHeader';
import { SourceOptions, Warnings } from './warnings';

export interface PcmOptions extends SourceOptions {
  sampleRate: number;
  encoding: 's16le' | 'f32le';
  channels: number;
  /** Name used in messages and events; default '-'. */
  name?: string;
}

/**
 * Raw headerless PCM from stdin, a pipe or a socket as a 16 kHz mono AudioSource.
 * Stream chunks may split a sample frame anywhere: the incomplete tail is carried into the
 * next chunk, and a tail left at end of stream is dropped with a warning.
 */
export function pcmStream(readable: Readable, opts: PcmOptions): WarningAudioSource {
  const name = opts.name ?? '-';
  if (!(Number.isInteger(opts.channels) && opts.channels >= 1 && opts.channels <= 64))
    throw new ConfigError(`${name}: channels must be an integer 1–64, got ${opts.channels}`);
  if (!(opts.sampleRate >= MIN_SAMPLE_RATE && opts.sampleRate <= MAX_SAMPLE_RATE))
    throw new ConfigError(`${name}: sample rate must be ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz, got ${opts.sampleRate}`);
  if (opts.encoding !== 's16le' && opts.encoding !== 'f32le')
    throw new ConfigError(`${name}: encoding must be 's16le' or 'f32le', got ${opts.encoding}`);

  const warnings = new Warnings(name, opts.onWarning);
  const decoder = new SampleDecoder(opts.encoding === 's16le' ? '16' : '32f', opts.channels, opts.sampleRate);
  const to16k = new MonoTo16k(opts.sampleRate, warnings);
  const frame = decoder.bytesPerFrame;

  async function* chunks(): AsyncGenerator<Float32Array> {
    let carry = Buffer.alloc(0);
    try {
      for await (const piece of readable) {
        const data: Buffer = carry.length ? Buffer.concat([carry, piece]) : Buffer.from(piece);
        const whole = data.length - (data.length % frame);
        carry = Buffer.from(data.subarray(whole));
        if (whole) yield to16k.push(decoder.decode(data.subarray(0, whole)));
      }
    } catch (e) {
      throw new AudioFormatError(name, `input stream failed: ${(e as Error).message ?? e}`);
    }
    if (carry.length) warnings.warn(`stream ended inside a sample frame; ${carry.length} trailing bytes ignored`);
    yield to16k.flush();
  }
  return makeSource(name, opts.sampleRate, undefined, warnings, chunks, () => {
    readable.destroy();
  });
}
