import { AudioFormatError } from '../errors';
import { WarningAudioSource } from './decoded-stream';
import { sourceFromFile } from './file-input';
import { flacSource, FlacOptions } from './flac';
import { wavSource, WavOptions } from './wav';

export type AudioFileOptions = WavOptions & FlacOptions;

/**
 * Opens a WAV or FLAC file, chosen by its first bytes (RIFF/RF64 → WAV, fLaC → FLAC), never by
 * its extension. Anything else is an AudioFormatError naming the file.
 */
export function openAudio(path: string, opts: AudioFileOptions = {}): Promise<WarningAudioSource> {
  return sourceFromFile(path, async (file) => {
    const magic = (await file.read(0, 4)).toString('latin1');
    if (magic === 'RIFF' || magic === 'RF64' || magic === 'RIFX') return wavSource(file, opts);
    if (magic === 'fLaC') return flacSource(file, opts);
    throw new AudioFormatError(path, 'not a WAV or FLAC file (unrecognised content)');
  });
}
