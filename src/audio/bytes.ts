/**
 * Reading numbers and tags out of raw bytes (Uint8Array), the same on Node and in a browser, so
 * the decoders never need Node's Buffer: a file's bytes come from disk (fileInput.ts) or from
 * memory (audioFile.ts), and the parsing is one code path.
 */

/** Bytes [from, to) as Latin-1 text (one character per byte; a short array gives a short string). */
export function latin1(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < Math.min(to, b.length); i++) s += String.fromCharCode(b[i]);
  return s;
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

export const u16be = (b: Uint8Array, at: number): number => view(b).getUint16(at, false);
export const u32be = (b: Uint8Array, at: number): number => view(b).getUint32(at, false);
export const u32le = (b: Uint8Array, at: number): number => view(b).getUint32(at, true);

/** True on a little-endian machine (every one we know of), where typed arrays are little-endian views. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
