import { AudioFormatError } from '../errors';
import { WarningAudioSource } from './decodedStream';
import { sourceFromFile } from './fileInput';
import { flacSource, FlacOptions } from './flac';
import { foreignFormatProblem, SNIFF_BYTES } from './foreignFormats';
import { wavSource, WavOptions } from './wav';

export type AudioFileOptions = WavOptions & FlacOptions;

/**
 * Opens a WAV or FLAC file, chosen by its first bytes (RIFF/RF64 → WAV, fLaC → FLAC), never by
 * its extension. Anything else is an AudioFormatError naming the file — and, for MP3, Ogg, M4A
 * and the like, the format and how to convert it.
 */
export function openAudio(path: string, opts: AudioFileOptions = {}): Promise<WarningAudioSource> {
  return sourceFromFile(path, async (file) => {
    const head = await file.read(0, SNIFF_BYTES);
    const magic = head.toString('latin1', 0, 4);
    if (magic === 'RIFF' || magic === 'RF64' || magic === 'RIFX') return wavSource(file, opts);
    if (magic === 'fLaC') return flacSource(file, opts);
    throw new AudioFormatError(path, foreignFormatProblem(path, head) ?? 'not a WAV or FLAC file (unrecognised content)');
  });
}
