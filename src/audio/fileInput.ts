import { promises as fs } from 'fs';
import { AudioFormatError } from '../errors';
import { AudioFile, buildFromFile } from './audioFile';

/**
 * Opens an audio file on disk for piecewise reading, turning the usual user mistakes (missing
 * file, a directory, an empty file, no permission) into one AudioFormatError naming the file.
 */

export async function openAudioFile(path: string): Promise<AudioFile> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (e) {
    throw fileError(path, e);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new AudioFormatError(path, 'is a directory, not an audio file');
    if (stat.size === 0) throw new AudioFormatError(path, 'empty file (0 bytes)');
    let closed: Promise<void> | null = null;
    return {
      path,
      size: stat.size,
      close: () => (closed ??= handle.close()),
      async read(position, length) {
        const buf = Buffer.alloc(Math.max(0, Math.min(length, stat.size - position)));
        let got = 0;
        while (got < buf.length) {
          const { bytesRead } = await handle.read(buf, got, buf.length - got, position + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return got === buf.length ? buf : buf.subarray(0, got);
      },
    };
  } catch (e) {
    await handle.close();
    throw e instanceof AudioFormatError ? e : fileError(path, e);
  }
}

function fileError(path: string, e: unknown): AudioFormatError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new AudioFormatError(path, 'no such file');
  if (code === 'EISDIR') return new AudioFormatError(path, 'is a directory, not an audio file');
  if (code === 'EACCES' || code === 'EPERM') return new AudioFormatError(path, 'permission denied');
  return new AudioFormatError(path, `cannot read: ${(e as Error).message}`);
}

/** Opens `path` and builds a source from it; the file is closed again if building fails. */
export async function sourceFromFile<T>(path: string, build: (file: AudioFile) => Promise<T>): Promise<T> {
  return buildFromFile(await openAudioFile(path), build);
}
