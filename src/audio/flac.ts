import { WarningAudioSource } from './decodedStream';
import { sourceFromFile } from './fileInput';
import { flacSource, FlacOptions } from './flacSource';

export type { FlacOptions } from './flacSource';

/** Opens a FLAC file on disk as a streaming 16 kHz mono AudioSource (flacSource.ts decodes it). */
export function openFlac(path: string, opts: FlacOptions = {}): Promise<WarningAudioSource> {
  return sourceFromFile(path, (file) => flacSource(file, opts));
}
