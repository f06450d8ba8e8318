/**
 * An audio file as the decoders see it: a name, a size and reads of byte ranges. Where the bytes
 * live is not the decoders' business — a file on disk (fileInput.ts, Node) or bytes already in
 * memory (a file dropped on a web page, a fetched URL: bytesFile below) go through the same
 * WAV/FLAC parsing.
 */
export interface AudioFile {
  /** What to call the file in messages and events. */
  path: string;
  size: number;
  /** Reads up to `length` bytes at `position`; a short result means end of file. */
  read(position: number, length: number): Promise<Uint8Array>;
  /** Releases the file; safe to call twice. */
  close(): Promise<void>;
}

/** Bytes in memory as an AudioFile named `name`. */
export function bytesFile(name: string, bytes: Uint8Array): AudioFile {
  return {
    path: name,
    size: bytes.length,
    read: async (position, length) => bytes.subarray(position, Math.min(bytes.length, position + Math.max(0, length))),
    close: async () => {},
  };
}

/** Builds a source from an open file; the file is closed again if building fails. */
export async function buildFromFile<T>(file: AudioFile, build: (file: AudioFile) => Promise<T>): Promise<T> {
  try {
    return await build(file);
  } catch (e) {
    await file.close();
    throw e;
  }
}
