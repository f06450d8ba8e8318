import { WaveFile } from 'wavefile';
import { AudioFormatError } from '../errors';
import { AudioFile } from './audioFile';
import { latin1, u32le } from './bytes';
import { WavBitDepth } from './sampleDecoder';

/**
 * Locates the data chunk by walking the RIFF chunk headers (8 bytes each, read from disk), then
 * hands everything before the samples to wavefile to parse the fmt chunk. Samples are never
 * loaded here. Validates what wavefile does not: channel count, sample rate, format code,
 * block alignment.
 */
export interface WavHeader {
  bitDepth: WavBitDepth;
  channels: number;
  sampleRate: number;
  bytesPerFrame: number;
  dataStart: number;
  /** Bytes the data chunk claims; null when the writer left it open (0 or 0xFFFFFFFF). */
  declaredDataBytes: number | null;
}

export const MIN_SAMPLE_RATE = 1000;
export const MAX_SAMPLE_RATE = 768000;
const MAX_CHANNELS = 64;
/** Header chunks (LIST, bext …) beyond this before the data chunk mean a broken file. */
const MAX_HEADER_BYTES = 16 << 20;

const FORMAT_NAMES: Record<number, string> = {
  2: 'MS ADPCM',
  17: 'IMA ADPCM',
  80: 'MPEG',
  85: 'MP3',
};

export async function readWavHeader(file: AudioFile): Promise<WavHeader> {
  const bad = (problem: string) => new AudioFormatError(file.path, problem);
  const head = await file.read(0, 12);
  const container = latin1(head, 0, 4);
  if (head.length < 12) {
    if (['RIFF', 'RIFX', 'RF64'].some((c) => c.startsWith(container)) && container.length > 0)
      throw bad(`truncated header: only ${head.length} bytes`);
    throw bad('not a WAV file (no RIFF/WAVE header)');
  }
  if (!['RIFF', 'RIFX', 'RF64'].includes(container) || latin1(head, 8, 12) !== 'WAVE') throw bad('not a WAV file (no RIFF/WAVE header)');
  if (container === 'RIFX') throw bad('big-endian RIFX WAV is not supported');

  // Walk the chunk headers up to the data chunk.
  let pos = 12;
  let sawFmt = false;
  let dataSize: number;
  for (;;) {
    if (pos > MAX_HEADER_BYTES) throw bad('no data chunk within the first 16 MB');
    const ch = await file.read(pos, 8);
    if (ch.length < 8) {
      throw bad(sawFmt ? 'truncated header: no data chunk before end of file' : 'truncated header: no fmt chunk before end of file');
    }
    const id = latin1(ch, 0, 4);
    const size = u32le(ch, 4);
    if (id === 'data') {
      dataSize = size;
      break;
    }
    if (id === 'fmt ') sawFmt = true;
    pos += 8 + size + (size & 1);
  }
  if (!sawFmt) throw bad('no fmt chunk before the data chunk');
  const dataStart = pos + 8;

  const wav = new WaveFile();
  try {
    wav.fromBuffer(await file.read(0, dataStart), false);
  } catch (e) {
    throw bad(`unreadable WAV header (${(e as Error).message})`);
  }
  const fmt = (wav as unknown as { fmt: WavFmt }).fmt;
  if (fmt.numChannels === 0) throw bad('zero channels in the fmt chunk');
  if (fmt.numChannels > MAX_CHANNELS) throw bad(`absurd channel count ${fmt.numChannels}`);
  if (!(fmt.sampleRate >= MIN_SAMPLE_RATE && fmt.sampleRate <= MAX_SAMPLE_RATE))
    throw bad(`unsupported sample rate ${fmt.sampleRate} Hz (expected ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz)`);

  const bitDepth = bitDepthOf(fmt, bad);
  const bytesPerSample = bitDepth === '8a' || bitDepth === '8m' ? 1 : Math.ceil(fmt.bitsPerSample / 8);
  const bytesPerFrame = bytesPerSample * fmt.numChannels;
  if (fmt.blockAlign !== bytesPerFrame)
    throw bad(`inconsistent header: block align ${fmt.blockAlign} for ${fmt.numChannels} × ${fmt.bitsPerSample}-bit samples`);

  let declared: number | null = dataSize;
  if (container === 'RF64') {
    const ds64 = (wav as unknown as { ds64: { dataSizeHigh: number; dataSizeLow: number } }).ds64;
    declared = ds64.dataSizeHigh * 2 ** 32 + ds64.dataSizeLow;
  }
  if (declared === 0xffffffff || (declared === 0 && file.size > dataStart)) declared = null;
  return { bitDepth, channels: fmt.numChannels, sampleRate: fmt.sampleRate, bytesPerFrame, dataStart, declaredDataBytes: declared };
}

interface WavFmt {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
  subformat: number[];
}

/**
 * wavefile derives the bit depth from bitsPerSample alone, so WAVE_FORMAT_EXTENSIBLE float
 * files would be read as integers and 64-bit integer PCM as float; we decide from the format
 * code (or the extensible sub-format GUID's first word) instead.
 */
function bitDepthOf(fmt: WavFmt, bad: (p: string) => AudioFormatError): WavBitDepth {
  const code = fmt.audioFormat === 0xfffe ? (fmt.subformat[0] ?? 0) : fmt.audioFormat;
  const bits = fmt.bitsPerSample;
  // 0 bits with block align 0 would pass the align check and give 0-byte frames (found by fuzzing).
  if (bits === 0) throw bad('0 bits per sample in the fmt chunk');
  if (code === 1) {
    if (bits >= 1 && bits <= 8) return '8';
    if (bits <= 16) return '16';
    if (bits <= 24) return '24';
    if (bits <= 32) return '32';
    throw bad(`unsupported ${bits}-bit integer PCM`);
  }
  if (code === 3) {
    if (bits === 32) return '32f';
    if (bits === 64) return '64';
    throw bad(`unsupported ${bits}-bit float samples`);
  }
  if (code === 6 || code === 7) {
    if (bits !== 8) throw bad(`unsupported ${bits}-bit ${code === 6 ? 'A-law' : 'µ-law'}`);
    return code === 6 ? '8a' : '8m';
  }
  const hex = `0x${code.toString(16).padStart(4, '0')}`;
  throw bad(`unsupported WAV format code ${hex}${FORMAT_NAMES[code] ? ` (${FORMAT_NAMES[code]})` : ''}`);
}
