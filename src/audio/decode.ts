/**
 * WAV or FLAC from any AudioFile, chosen by its first bytes (RIFF/RF64 → WAV, fLaC → FLAC), never
 * by a name. openAudio (open.ts) hands it a file on disk; audioFromBytes bytes in memory (a file
 * dropped on a web page): one decoder for both.
 */
import { AudioFormatError } from '../errors';
import { AudioFile, buildFromFile, bytesFile } from './audioFile';
import { latin1 } from './bytes';
import { WarningAudioSource } from './decodedStream';
import { flacSource, FlacOptions } from './flacSource';
import { foreignFormatProblem, SNIFF_BYTES } from './foreignFormats';
import { wavSource, WavOptions } from './wavSource';

export type AudioFileOptions = WavOptions & FlacOptions;

/**
 * The file as a 16 kHz mono AudioSource. Anything but WAV or FLAC is an AudioFormatError naming
 * the file — and, for MP3, Ogg, M4A and the like, the format and how to convert it.
 */
export async function audioFileSource(file: AudioFile, opts: AudioFileOptions = {}): Promise<WarningAudioSource> {
  const head = await file.read(0, SNIFF_BYTES);
  const magic = latin1(head, 0, 4);
  if (magic === 'RIFF' || magic === 'RF64' || magic === 'RIFX') return wavSource(file, opts);
  if (magic === 'fLaC') return flacSource(file, opts);
  throw new AudioFormatError(file.path, foreignFormatProblem(file.path, head) ?? 'not a WAV or FLAC file (unrecognised content)');
}

/** A whole WAV or FLAC file's bytes, named `name` in messages and events, as an AudioSource. */
export function audioFromBytes(name: string, bytes: Uint8Array, opts: AudioFileOptions = {}): Promise<WarningAudioSource> {
  if (bytes.length === 0) return Promise.reject(new AudioFormatError(name, 'empty file (0 bytes)'));
  return buildFromFile(bytesFile(name, bytes), (file) => audioFileSource(file, opts));
}
