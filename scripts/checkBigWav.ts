/**
 * Streams a long WAV through openWav and reports peak RSS — the check that the WAV reader never
 * loads a whole file. Writes the file itself (header by wavefile, data in 1 s pieces), so it
 * needs ~2.1 GB free in the temp folder for the default 2 h at 48 kHz stereo 24-bit.
 *
 *   npx tsx scripts/checkBigWav.ts [--hours 2] [--keep] [--limit-mb 300]
 * Exit code 1 when peak RSS exceeds the limit.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync, existsSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { WaveFile } from 'wavefile';
import { openWav } from '../src/audio/wav';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const hours = Number(arg('hours', '2'));
const limitMb = Number(arg('limit-mb', '300'));
const keep = process.argv.includes('--keep');
const RATE = 48000;
const CHANNELS = 2;
const BYTES = 3;

function writeBigWav(path: string): void {
  const seconds = Math.round(hours * 3600);
  const dataBytes = seconds * RATE * CHANNELS * BYTES;
  const header = new WaveFile();
  header.fromScratch(CHANNELS, RATE, '24', []);
  const head = Buffer.from(header.toBuffer());
  head.writeUInt32LE(36 + dataBytes, 4); // RIFF size
  head.writeUInt32LE(dataBytes, 40); // data size
  const fd = openSync(path, 'w');
  writeSync(fd, head);
  // One second of a 440 Hz tone in the left channel and 1 kHz in the right, reused.
  const second = Buffer.alloc(RATE * CHANNELS * BYTES);
  for (let t = 0; t < RATE; t++) {
    second.writeIntLE(Math.round(0.3 * 8388607 * Math.sin((2 * Math.PI * 440 * t) / RATE)), t * 2 * 3, 3);
    second.writeIntLE(Math.round(0.3 * 8388607 * Math.sin((2 * Math.PI * 1000 * t) / RATE)), (t * 2 + 1) * 3, 3);
  }
  for (let s = 0; s < seconds; s++) writeSync(fd, second);
  closeSync(fd);
}

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
}

async function main(): Promise<void> {
  const path = join(tmpdir(), `kws-big-${hours}h-48k-stereo-24bit.wav`);
  const expected = 44 + Math.round(hours * 3600) * RATE * CHANNELS * BYTES;
  if (!existsSync(path) || statSync(path).size !== expected) {
    console.log(`writing ${path} (${(expected / 2 ** 30).toFixed(2)} GiB) …`);
    writeBigWav(path);
  }
  const started = Date.now();
  const src = await openWav(path);
  let samples = 0;
  let maxRss = 0;
  for await (const chunk of src) {
    samples += chunk.length;
    maxRss = Math.max(maxRss, process.memoryUsage().rss);
  }
  const secs = (Date.now() - started) / 1000;
  const peak = peakRssMb();
  console.log(`duration ${src.durationSec} s, ${samples} samples out at 16 kHz (${(samples / 16000).toFixed(1)} s)`);
  console.log(`read in ${secs.toFixed(1)} s (${((src.durationSec ?? 0) / secs).toFixed(0)}× real time)`);
  console.log(`peak RSS ${peak.toFixed(0)} MB (max sampled during iteration ${(maxRss / 2 ** 20).toFixed(0)} MB), limit ${limitMb} MB`);
  if (!keep) rmSync(path);
  if (peak > limitMb) {
    console.error(`FAIL: peak RSS ${peak.toFixed(0)} MB exceeds ${limitMb} MB`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
