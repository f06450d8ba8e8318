/**
 * A WAV file as a streaming 16 kHz mono AudioSource, from any AudioFile (on disk or in memory):
 * the header is parsed up front (errors surface here, durationSec is known), then the data chunk
 * is read piece by piece, decoded by wavefile, mixed to mono and resampled. Memory stays bounded
 * for any file size. No Node module is needed: the browser build decodes with this file too.
 */
import { AudioFormatError } from '../errors';
import { AudioFile } from './audioFile';
import { WarningAudioSource, MonoTo16k, makeSource } from './decodedStream';
import { SampleDecoder } from './sampleDecoder';
import { readWavHeader } from './wavHeader';
import { SourceOptions, Warnings } from './warnings';

export interface WavOptions extends SourceOptions {
  /** Bytes read from disk per piece (rounded to whole frames); default 256 KiB. */
  readBytes?: number;
  /**
   * A data chunk that claims more bytes than the file holds (a cut-off recording) is read up to
   * where the file ends, with a warning. `strict: true` makes it an AudioFormatError instead.
   */
  strict?: boolean;
}

/** Builds the source from an opened file (openAudio and audioFileSource sniff first, then call this). */
export async function wavSource(file: AudioFile, opts: WavOptions): Promise<WarningAudioSource> {
  const warnings = new Warnings(file.path, opts.onWarning);
  const h = await readWavHeader(file);
  const present = Math.max(0, file.size - h.dataStart);
  let dataBytes = h.declaredDataBytes ?? present;
  if (dataBytes > present) {
    const problem = `data chunk claims ${dataBytes} bytes but the file holds only ${present} after the header (truncated file?)`;
    if (opts.strict) throw new AudioFormatError(file.path, problem);
    warnings.warn(`${problem}; reading the ${present} bytes present`);
    dataBytes = present;
  }
  const partial = dataBytes % h.bytesPerFrame;
  if (partial) {
    warnings.warn(`data ends with ${partial} bytes of an incomplete sample frame; ignored`);
    dataBytes -= partial;
  }
  const frames = dataBytes / h.bytesPerFrame;
  const decoder = new SampleDecoder(h.bitDepth, h.channels, h.sampleRate);
  const to16k = new MonoTo16k(h.sampleRate, warnings);
  const piece = Math.max(1, Math.floor((opts.readBytes ?? 256 * 1024) / h.bytesPerFrame)) * h.bytesPerFrame;

  async function* chunks(): AsyncGenerator<Float32Array> {
    for (let off = 0; off < dataBytes; off += piece) {
      const bytes = await file.read(h.dataStart + off, Math.min(piece, dataBytes - off));
      if (bytes.length === 0) break; // file shrank while reading
      const whole = bytes.subarray(0, bytes.length - (bytes.length % h.bytesPerFrame));
      yield to16k.push(decoder.decode(whole));
    }
    yield to16k.flush();
  }
  return makeSource(file.path, h.sampleRate, frames / h.sampleRate, warnings, chunks, () => file.close());
}
