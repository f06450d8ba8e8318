import { AudioFormatError } from '../errors';
import { WarningAudioSource } from './decoded-stream';
import { openAudioFile } from './file-input';
import { flacSource, FlacOptions } from './flac';
import { wavSource, WavOptions } from './wav';

export type AudioFileOptions = WavOptions & FlacOptions;

/**
 * Opens a WAV or FLAC file, chosen by its first bytes (RIFF/RF64 → WAV, fLaC → FLAC), never by
 * its extension. Anything else is an AudioFormatError naming the file.
 */
export async function openAudio(path: string, opts: AudioFileOptions = {}): Promise<WarningAudioSource> {
  const file = await openAudioFile(path);
  try {
    const magic = (await file.read(0, 4)).toString('latin1');
    if (magic === 'RIFF' || magic === 'RF64' || magic === 'RIFX') return await wavSource(file, opts);
    if (magic === 'fLaC') return await flacSource(file, opts);
    throw new AudioFormatError(path, 'not a WAV or FLAC file (unrecognised content)');
  } catch (e) {
    await file.handle.close();
    throw e;
  }
}
