import { AudioFormatError } from '../errors';
import { WarningAudioSource, MonoTo16k, makeSource } from './decodedStream';
import { AudioFile } from './audioFile';
import { latin1, u16be, u32be } from './bytes';
import { integerFullScale, mixInterleaved } from './toMono';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './wavHeader';
import { SourceOptions, Warnings } from './warnings';

export interface FlacOptions extends SourceOptions {
  /** Bytes fed to the decoder per piece; default 64 KiB. */
  readBytes?: number;
}

interface StreamInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  totalFrames: number; // 0 = unknown
  maxBlockSize: number;
}

/**
 * STREAMINFO (the mandatory first metadata block), read before decoding so errors and
 * durationSec are known up front: 'fLaC', block header (4 bytes), then 34 bytes whose
 * bytes 2–3 are the largest block size, bits 80–99 the sample rate, 100–102 channels−1,
 * 103–107 bits per sample−1, 108–143 the total sample frames.
 */
function parseStreamInfo(path: string, head: Uint8Array): StreamInfo {
  if (head.length < 42) throw new AudioFormatError(path, 'truncated FLAC header');
  if ((head[4] & 0x7f) !== 0) throw new AudioFormatError(path, 'corrupt FLAC: first metadata block is not STREAMINFO');
  const info = head.subarray(8, 42);
  const sampleRate = (info[10] << 12) | (info[11] << 4) | (info[12] >> 4);
  const channels = ((info[12] >> 1) & 7) + 1;
  const bitsPerSample = (((info[12] & 1) << 4) | (info[13] >> 4)) + 1;
  const totalFrames = (info[13] & 0x0f) * 2 ** 32 + u32be(info, 14);
  if (!(sampleRate >= MIN_SAMPLE_RATE && sampleRate <= MAX_SAMPLE_RATE))
    throw new AudioFormatError(path, `corrupt FLAC: sample rate ${sampleRate} Hz in STREAMINFO`);
  if (bitsPerSample < 4) throw new AudioFormatError(path, `corrupt FLAC: ${bitsPerSample} bits per sample in STREAMINFO`);
  return { sampleRate, channels, bitsPerSample, totalFrames, maxBlockSize: u16be(info, 2) };
}

/**
 * The wasm decoder hands out n / (2^(b−1) − 1) for a b-bit integer sample n, so −32768 comes
 * out as −1.00003 and 32767 as exactly 1. Multiplying back and rounding recovers n exactly for
 * b ≤ 24 (float32 holds the quotient to within a quarter of one step); the caller then scales
 * by 1/2^(b−1) like the WAV reader, so a FLAC and a WAV of the same audio give the same samples.
 * Returns the integers interleaved.
 */
function decoderIntegers(channelData: Float32Array[], frames: number, bits: number): Float64Array {
  const channels = channelData.length;
  const undo = integerFullScale(bits) - 1;
  const out = new Float64Array(frames * channels);
  channelData.forEach((data, c) => {
    for (let t = 0; t < frames; t++) out[t * channels + c] = Math.round(data[t] * undo);
  });
  return out;
}

type FlacDecoderLike = {
  ready: Promise<void>;
  decode(data: Uint8Array): Promise<FlacDecoded>;
  flush(): Promise<FlacDecoded>;
  free(): void;
};
type FlacDecoded = {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  bitDepth: number;
  errors: { message: string }[];
};

/**
 * The decoder prints every decode error to console.error itself; we report errors through
 * warnings instead, so its own lines are filtered out while it runs.
 */
async function quietly<T>(run: () => Promise<T>): Promise<T> {
  const original = console.error;
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('@wasm-audio-decoders/flac')) return;
    original(...args);
  };
  try {
    return await run();
  } finally {
    console.error = original;
  }
}

/**
 * FLAC as a streaming 16 kHz mono AudioSource via @wasm-audio-decoders/flac (libFLAC in wasm),
 * from any AudioFile (on disk or in memory; the browser build decodes with this file too).
 * A stream that loses sync part-way keeps what decoded, with one warning saying how much;
 * a file from which nothing decodes is an AudioFormatError.
 */
export async function flacSource(file: AudioFile, opts: FlacOptions): Promise<WarningAudioSource> {
  const head = await file.read(0, 42);
  if (latin1(head, 0, 4) !== 'fLaC') throw new AudioFormatError(file.path, 'not a FLAC file (no fLaC marker)');
  const info = parseStreamInfo(file.path, head);
  const { FLACDecoder } = (await import('@wasm-audio-decoders/flac')) as unknown as { FLACDecoder: new () => FlacDecoderLike };
  const decoder = new FLACDecoder();
  await decoder.ready;
  const warnings = new Warnings(file.path, opts.onWarning);
  const to16k = new MonoTo16k(info.sampleRate, warnings);
  const piece = opts.readBytes ?? 64 * 1024;
  const sampleScale = 1 / integerFullScale(info.bitsPerSample);

  async function* chunks(): AsyncGenerator<Float32Array> {
    let decoded = 0;
    const errors: string[] = [];
    const take = (r: FlacDecoded) => {
      for (const e of r.errors) errors.push(e.message);
      if (!r.samplesDecoded) return new Float32Array(0);
      if (r.sampleRate !== info.sampleRate)
        throw new AudioFormatError(file.path, `corrupt FLAC: frame at ${r.sampleRate} Hz in a ${info.sampleRate} Hz stream`);
      if (r.bitDepth !== info.bitsPerSample)
        throw new AudioFormatError(file.path, `corrupt FLAC: ${r.bitDepth}-bit frame in a ${info.bitsPerSample}-bit stream`);
      decoded += r.samplesDecoded;
      const integers = decoderIntegers(r.channelData, r.samplesDecoded, info.bitsPerSample);
      return to16k.push(mixInterleaved(integers, r.channelData.length, sampleScale));
    };
    for (let off = 0; off < file.size; off += piece) {
      const bytes = await file.read(off, piece);
      yield take(await quietly(() => decoder.decode(bytes)));
    }
    yield take(await quietly(() => decoder.flush()));
    const sec = (n: number) => `${(n / info.sampleRate).toFixed(2)} s`;
    if (decoded === 0)
      throw new AudioFormatError(file.path, `corrupt FLAC: no audio decodes${errors.length ? ` (${shortError(errors[0])})` : ''}`);
    // The decoder never returns a file's last frame (it waits for a next frame sync that never
    // comes, even on flush), so a shortfall of up to one block is normal, not damage.
    const shortfall = info.totalFrames ? info.totalFrames - decoded : 0;
    if (errors.length || shortfall > info.maxBlockSize) {
      const of = info.totalFrames ? ` of ${sec(info.totalFrames)}` : '';
      const why = errors.length ? shortError(errors[0]) : 'stream ended early';
      warnings.warn(`FLAC decoding failed part-way (${why}); kept the ${sec(decoded)}${of} that decoded`);
    }
    yield to16k.flush();
  }
  const duration = info.totalFrames ? info.totalFrames / info.sampleRate : undefined;
  return makeSource(file.path, info.sampleRate, duration, warnings, chunks, async () => {
    decoder.free();
    await file.close();
  });
}

/** "Error: FLAC__STREAM_DECODER_ERROR_STATUS_LOST_SYNC; State: …" → "lost sync". */
function shortError(message: string): string {
  const m = /ERROR_STATUS_([A-Z_]+)/.exec(message);
  return m ? m[1].toLowerCase().replace(/_/g, ' ') : message;
}
