import { audioFileSource, AudioFileOptions } from './decode';
import { WarningAudioSource } from './decodedStream';
import { sourceFromFile } from './fileInput';

export type { AudioFileOptions } from './decode';

/**
 * Opens a WAV or FLAC file on disk, chosen by its first bytes, never by its extension
 * (decode.ts). Anything else is an AudioFormatError naming the file — and, for MP3, Ogg, M4A and
 * the like, the format and how to convert it.
 */
export function openAudio(path: string, opts: AudioFileOptions = {}): Promise<WarningAudioSource> {
  return sourceFromFile(path, (file) => audioFileSource(file, opts));
}
