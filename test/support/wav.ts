import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { WaveFile } from 'wavefile';

/** Test signal and WAV generators shared by the test suites. */

/** amplitude·sin(2π f t) at `rate`, `seconds` long. */
export function tone(freq: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  const x = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < x.length; i++) x[i] = amplitude * Math.sin((2 * Math.PI * freq * i) / rate);
  return x;
}

/** RMS level in dB relative to a full-scale-amplitude sine (0 dB = amplitude 1), skipping edges. */
export function levelDb(x: Float32Array, skip = 0): number {
  let s = 0;
  const n = x.length - 2 * skip;
  for (let i = skip; i < x.length - skip; i++) s += x[i] * x[i];
  return 20 * Math.log10(Math.sqrt(s / n) * Math.SQRT2);
}

export type BitDepthCode = '8' | '16' | '24' | '32' | '32f' | '64' | '8a' | '8m';

/**
 * A WAV holding `channels` copies of `mono` (each channel scaled by channelGains[c], default 1)
 * in the given wavefile bit-depth code. Float in [-1, 1] is converted to the integer range.
 */
export function wavBytes(mono: Float32Array, rate: number, bitDepth: BitDepthCode, channels = 1, channelGains?: number[]): Uint8Array {
  const inter = new Float64Array(mono.length * channels);
  const companded = bitDepth === '8a' || bitDepth === '8m';
  const bits = companded ? 16 : bitDepth === '32f' || bitDepth === '64' ? 0 : Number(bitDepth);
  for (let t = 0; t < mono.length; t++) {
    for (let c = 0; c < channels; c++) {
      const v = mono[t] * (channelGains?.[c] ?? 1);
      inter[t * channels + c] = bits === 0 ? v : bits === 8 ? Math.round(v * 127) + 128 : Math.round(v * (2 ** (bits - 1) - 1));
    }
  }
  const w = new WaveFile();
  w.fromScratch(channels, rate, companded ? '16' : bitDepth, inter);
  if (bitDepth === '8a') w.toALaw();
  if (bitDepth === '8m') w.toMuLaw();
  return w.toBuffer();
}

let scratch: string | null = null;
/** A per-process temp folder for generated test files, removed when the process exits. */
export function scratchDir(): string {
  if (!scratch) {
    const dir = (scratch = mkdtempSync(join(tmpdir(), 'kws-audio-test-')));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return scratch;
}

export function writeTemp(name: string, bytes: Uint8Array | string): string {
  const p = join(scratchDir(), name);
  writeFileSync(p, bytes);
  return p;
}

/** Collects an async iterable of chunks into one array. */
export async function collect(source: AsyncIterable<Float32Array>): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  let n = 0;
  for await (const c of source) {
    parts.push(c);
    n += c.length;
  }
  const out = new Float32Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
