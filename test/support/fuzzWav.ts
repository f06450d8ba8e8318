/**
 * Seeded mutations of valid WAV (and FLAC) files, for the fuzz test and `npm run fuzz`.
 *
 * Case i of seed s depends only on (s, i): `fuzzCase(bases, s, i)` rebuilds it exactly, so a
 * failure is reproduced with `npm run fuzz -- --seed s --case i`. Every case is the bytes of one
 * file plus a label naming the mutations applied.
 */
import { WaveFile } from 'wavefile';
import { Rng, rngFor } from '../../src/data/random';
import { tone, wavBytes } from './wav';

export interface FuzzBase {
  name: string;
  bytes: Uint8Array;
}

export interface FuzzCase {
  label: string;
  bytes: Uint8Array;
}

/** A RIFF chunk as found in a file: where its 8-byte header starts, its id and declared size. */
interface Chunk {
  at: number;
  id: string;
  size: number;
}

/** Walks RIFF chunks of a (valid) base file; stops at the first header that does not fit. */
function chunksOf(b: Uint8Array): Chunk[] {
  const view = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const out: Chunk[] = [];
  for (let at = 12; at + 8 <= b.length;) {
    const size = view.readUInt32LE(at + 4);
    out.push({ at, id: view.toString('latin1', at, at + 4), size });
    at += 8 + size + (size & 1);
  }
  return out;
}

/** Valid starting points: small files in many formats, one with a LIST chunk before data. */
export function wavBases(): FuzzBase[] {
  const x = tone(440, 16000, 0.03, 0.5);
  const bases: FuzzBase[] = [
    { name: 'pcm16-mono-16k', bytes: wavBytes(x, 16000, '16') },
    { name: 'pcm24-stereo-44k', bytes: wavBytes(tone(440, 44100, 0.03), 44100, '24', 2) },
    { name: 'pcm8-mono-8k', bytes: wavBytes(tone(440, 8000, 0.05), 8000, '8') },
    { name: 'float32-mono-48k', bytes: wavBytes(tone(440, 48000, 0.02), 48000, '32f') },
    { name: 'float64-3ch-22k', bytes: wavBytes(tone(440, 22050, 0.03), 22050, '64', 3) },
    { name: 'alaw-mono-8k', bytes: wavBytes(tone(440, 8000, 0.05), 8000, '8a') },
    { name: 'mulaw-mono-8k', bytes: wavBytes(tone(440, 8000, 0.05), 8000, '8m') },
  ];
  const withList = new WaveFile(wavBytes(x, 16000, '32'));
  withList.setTag('ICMT', 'fuzz base with a LIST chunk');
  bases.push({ name: 'pcm32-list-16k', bytes: withList.toBuffer() });
  return bases;
}

const u32 = (b: Uint8Array, at: number, v: number) => {
  if (at + 4 <= b.length) Buffer.from(b.buffer, b.byteOffset, b.byteLength).writeUInt32LE(v >>> 0, at);
};
const u16 = (b: Uint8Array, at: number, v: number) => {
  if (at + 2 <= b.length) Buffer.from(b.buffer, b.byteOffset, b.byteLength).writeUInt16LE(v & 0xffff, at);
};
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
function chunkBytes(id: string, payload: Uint8Array, pad: boolean): Uint8Array {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'latin1');
  head.writeUInt32LE(payload.length, 4);
  return concat(head, payload, pad && payload.length & 1 ? new Uint8Array(1) : new Uint8Array(0));
}
const randomBytes = (rng: Rng, n: number) => Uint8Array.from({ length: n }, () => rng.int(256));

/** Header offsets worth cutting at: every field boundary of RIFF, each chunk header and fmt. */
export function headerBoundaries(b: Uint8Array): number[] {
  const cuts = new Set([0, 1, 2, 3, 4, 8, 11, 12]);
  for (const c of chunksOf(b)) {
    for (const d of [0, 1, 4, 7, 8, 9]) cuts.add(c.at + d);
    if (c.id === 'fmt ') for (const d of [10, 12, 16, 20, 22, 24, 26, 8 + c.size - 1, 8 + c.size]) cuts.add(c.at + d);
    if (c.id === 'data') cuts.add(c.at + 8 + 1).add(c.at + 8 + Math.floor(c.size / 2) + 1);
  }
  return [...cuts].filter((n) => n < b.length).sort((p, q) => p - q);
}

const ABSURD_SIZES = [0, 1, 3, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 123456789];
type Mutation = (b: Uint8Array, rng: Rng) => { bytes: Uint8Array; what: string };

/** Each mutation takes a file and returns a damaged copy plus a short description. */
const WAV_MUTATIONS: Record<string, Mutation> = {
  flipBytes(b, rng) {
    const out = b.slice();
    const n = 1 + rng.int(8);
    const headerEnd = Math.min(out.length, (chunksOf(b).find((c) => c.id === 'data')?.at ?? 44) + 8);
    for (let k = 0; k < n; k++) {
      const at = rng.chance(0.8) ? rng.int(headerEnd) : rng.int(out.length);
      out[at] ^= 1 << rng.int(8);
    }
    return { bytes: out, what: `flip ${n} bits` };
  },
  randomBytes(b, rng) {
    const out = b.slice();
    const at = rng.int(Math.min(out.length, 80));
    const n = 1 + rng.int(6);
    for (let k = 0; k < n && at + k < out.length; k++) out[at + k] = rng.int(256);
    return { bytes: out, what: `random bytes at ${at}` };
  },
  cutAtBoundary(b, rng) {
    const at = rng.pick(headerBoundaries(b));
    return { bytes: b.slice(0, at), what: `cut at ${at}` };
  },
  cutAnywhere(b, rng) {
    const at = rng.int(b.length);
    return { bytes: b.slice(0, at), what: `cut at ${at}` };
  },
  chunkSize(b, rng) {
    const out = b.slice();
    const targets = [{ at: 0, id: 'RIFF' }, ...chunksOf(b)];
    const c = rng.pick(targets);
    const size = rng.chance(0.8) ? rng.pick(ABSURD_SIZES) : rng.int(b.length * 2);
    u32(out, c.at + 4, size);
    return { bytes: out, what: `${c.id.trim()} size ${size}` };
  },
  fmtField(b, rng) {
    const out = b.slice();
    const fmt = chunksOf(b).find((c) => c.id === 'fmt ');
    if (!fmt) return { bytes: out, what: 'no fmt' };
    const p = fmt.at + 8;
    const field = rng.pick(['format', 'channels', 'rate', 'byteRate', 'blockAlign', 'bits', 'subformat'] as const);
    const pick = <T>(xs: T[]) => rng.pick(xs);
    let v = 0;
    if (field === 'format') u16(out, p, (v = pick([0, 1, 2, 3, 6, 7, 17, 0x55, 0xfffe, 0xffff, rng.int(65536)])));
    if (field === 'channels') u16(out, p + 2, (v = pick([0, 1, 2, 3, 64, 65, 255, 0xffff])));
    if (field === 'rate') u32(out, p + 4, (v = pick([0, 1, 999, 1000, 768001, 1e9, 0xffffffff, rng.int(200000)])));
    if (field === 'byteRate') u32(out, p + 8, (v = pick([0, 1, 0xffffffff])));
    if (field === 'blockAlign') u16(out, p + 12, (v = pick([0, 1, 3, 7, 0xffff])));
    if (field === 'bits') u16(out, p + 14, (v = pick([0, 1, 4, 7, 9, 12, 20, 31, 33, 48, 64, 65, 0xffff])));
    if (field === 'subformat') {
      // Make it WAVE_FORMAT_EXTENSIBLE (cbSize 22) with a chosen sub-format code, or a short extension.
      u16(out, p, 0xfffe);
      if (fmt.size >= 40) u16(out, p + 24, (v = pick([0, 1, 3, 6, 7, 0x55, 0xffff])));
      else v = -1;
    }
    return { bytes: out, what: `fmt.${field}=${v}` };
  },
  consistentFmt(b, rng) {
    // Absurd but self-consistent: channels/bits with the matching blockAlign, so the header passes
    // the cheap checks and the decoder sees the odd shape.
    const out = b.slice();
    const fmt = chunksOf(b).find((c) => c.id === 'fmt ');
    if (!fmt) return { bytes: out, what: 'no fmt' };
    const p = fmt.at + 8;
    const channels = rng.pick([0, 1, 2, 5, 64, 65]);
    const bits = rng.pick([0, 1, 7, 8, 12, 16, 20, 24, 32, 40, 64]);
    u16(out, p + 2, channels);
    u16(out, p + 14, bits);
    u16(out, p + 12, channels * Math.ceil(bits / 8));
    if (rng.chance(0.5)) u16(out, p, rng.pick([1, 3, 6, 7]));
    return { bytes: out, what: `fmt ${channels}ch ${bits}-bit` };
  },
  fmtChunkLength(b, rng) {
    const fmt = chunksOf(b).find((c) => c.id === 'fmt ');
    if (!fmt) return { bytes: b.slice(), what: 'no fmt' };
    const newSize = rng.pick([0, 2, 14, 15, 17, 18, 39, 41]);
    const payload = b.slice(fmt.at + 8, fmt.at + 8 + fmt.size);
    const resized = new Uint8Array(newSize);
    resized.set(payload.subarray(0, newSize));
    const bytes = concat(b.slice(0, fmt.at), chunkBytes('fmt ', resized, rng.chance(0.5)), b.slice(fmt.at + 8 + fmt.size + (fmt.size & 1)));
    return { bytes, what: `fmt chunk ${newSize} bytes` };
  },
  extraChunk(b, rng) {
    const chunks = chunksOf(b);
    const where = rng.pick([...chunks.map((c) => c.at), b.length]);
    const id = rng.pick(['JUNK', 'LIST', 'bext', 'fact', 'PAD ', '\0\0\0\0', 'x\u00ff\u0001y']);
    const payload = randomBytes(rng, rng.int(40));
    const pad = rng.chance(0.5); // false: an odd-sized chunk without its pad byte
    const bytes = concat(b.slice(0, where), chunkBytes(id, payload, pad), b.slice(where));
    return { bytes, what: `extra ${JSON.stringify(id)} (${payload.length} B${pad ? '' : ', unpadded'}) at ${where}` };
  },
  duplicateChunk(b, rng) {
    const chunks = chunksOf(b).filter((c) => c.id === 'fmt ' || c.id === 'data');
    if (!chunks.length) return { bytes: b.slice(), what: 'nothing to duplicate' };
    const c = rng.pick(chunks);
    const copy = b.slice(c.at, Math.min(b.length, c.at + 8 + c.size + (c.size & 1)));
    if (c.id === 'fmt ' && copy.length >= 12 && rng.chance(0.5)) u16(copy, 10, rng.pick([0, 2, 7])); // conflicting channels
    const where = rng.pick([c.at, b.length, chunksOf(b)[0]?.at ?? 12]);
    return { bytes: concat(b.slice(0, where), copy, b.slice(where)), what: `duplicate ${c.id.trim()} at ${where}` };
  },
  renameChunk(b, rng) {
    const out = b.slice();
    const c = rng.pick([{ at: 0, id: 'RIFF' }, { at: 8, id: 'WAVE' }, ...chunksOf(b)]);
    const to = rng.pick(['RF64', 'RIFX', 'data', 'fmt ', 'DATA', 'WAVE', 'ds64', '\0\0\0\0']);
    if (c.at + 4 <= out.length) Buffer.from(out.buffer, out.byteOffset, out.byteLength).write(to, c.at, 'latin1');
    return { bytes: out, what: `${c.id.trim()} renamed ${JSON.stringify(to)}` };
  },
  appendGarbage(b, rng) {
    return { bytes: concat(b, randomBytes(rng, 1 + rng.int(33))), what: 'garbage appended' };
  },
  onlyHeader(b, rng) {
    const data = chunksOf(b).find((c) => c.id === 'data');
    const at = data ? data.at + 8 : 44;
    return { bytes: b.slice(0, at + rng.int(3)), what: 'header only' };
  },
};

/** FLAC damage: flipped bits, cuts, random runs — the decoder must turn all of it into errors/warnings. */
const FLAC_MUTATIONS: Record<string, Mutation> = {
  flipBytes(b, rng) {
    const out = b.slice();
    const n = 1 + rng.int(6);
    for (let k = 0; k < n; k++) {
      const at = rng.chance(0.6) ? rng.int(Math.min(out.length, 64)) : rng.int(out.length);
      out[at] ^= 1 << rng.int(8);
    }
    return { bytes: out, what: `flip ${n} bits` };
  },
  cutAnywhere: WAV_MUTATIONS.cutAnywhere,
  randomRun(b, rng) {
    const out = b.slice();
    const at = rng.int(out.length);
    for (let k = at; k < Math.min(out.length, at + 1 + rng.int(64)); k++) out[k] = rng.int(256);
    return { bytes: out, what: `random run at ${at}` };
  },
};

/**
 * Case `index` of `seed`: one base, then 1–3 mutations. FLAC bases (names starting 'flac')
 * get FLAC mutations. A few cases are pure noise (with or without a RIFF/fLaC magic).
 */
export function fuzzCase(bases: readonly FuzzBase[], seed: number, index: number): FuzzCase {
  const rng = rngFor(seed, 'fuzz', index);
  if (rng.chance(0.02)) {
    const magic = rng.pick(['', 'RIFF', 'RIFF\x10\0\0\0WAVE', 'fLaC', 'RF64']);
    return { label: `noise after ${JSON.stringify(magic)}`, bytes: concat(Buffer.from(magic, 'latin1'), randomBytes(rng, rng.int(200))) };
  }
  const base = rng.pick(bases);
  const table = base.name.startsWith('flac') ? FLAC_MUTATIONS : WAV_MUTATIONS;
  const names = Object.keys(table);
  let bytes = base.bytes;
  const applied: string[] = [];
  for (let k = 1 + rng.int(3); k > 0; k--) {
    const name = rng.pick(names);
    const r = table[name](bytes, rng);
    bytes = r.bytes;
    applied.push(r.what);
  }
  return { label: `${base.name}: ${applied.join('; ')}`, bytes };
}
