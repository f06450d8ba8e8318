/** Writes 16 kHz mono 16-bit PCM WAV files (the Speech Commands clip format). */
import * as fs from 'fs';
import { WaveFile } from 'wavefile';
import { TARGET_SAMPLE_RATE } from '../audio/source';

/** Float samples in [-1, 1] → int16 by round(x·32767), clamped. */
export function toInt16(x: Float32Array): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.round(Math.max(-1, Math.min(1, x[i])) * 32767);
  return out;
}

export function writeClip(file: string, samples: Float32Array): void {
  const wav = new WaveFile();
  wav.fromScratch(1, TARGET_SAMPLE_RATE, '16', toInt16(samples));
  fs.writeFileSync(file, wav.toBuffer());
}
