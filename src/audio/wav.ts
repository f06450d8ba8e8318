import { WarningAudioSource } from './decodedStream';
import { sourceFromFile } from './fileInput';
import { wavSource, WavOptions } from './wavSource';

export type { WavOptions } from './wavSource';

/**
 * Opens a WAV file on disk as a streaming 16 kHz mono AudioSource (wavSource.ts decodes it).
 */
export function openWav(path: string, opts: WavOptions = {}): Promise<WarningAudioSource> {
  return sourceFromFile(path, (file) => wavSource(file, opts));
}
