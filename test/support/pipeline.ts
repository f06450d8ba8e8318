/** Shared by the pipeline and CLI tests: a hand-made model directory and a short clip. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WaveFile } from 'wavefile';
import { energyDetectorWeights, wavNormalization, writeModelDir } from './models';
import { DEFAULT_FEATURE_CONFIG } from '../../src/features/config';
import { loadManifest } from '../../src/regress/manifest';

export const ROOT = path.resolve(__dirname, '..', '..');
export const DEMO_WAV = path.join(ROOT, 'fixtures', 'demo.wav');

/** The keywords the shipped model finds in demo.wav: the manifest's events there, less its documented misses. */
export function demoKeywords(): string[] {
  const demo = loadManifest(path.join(ROOT, 'fixtures', 'manifest.json')).files.find((f) => f.file === DEMO_WAV);
  return (demo?.events ?? []).filter((e) => !e.knownMiss).map((e) => e.keyword);
}

let dir: string | null = null;
/** Scratch folder shared by this test process. */
export function tmpDir(): string {
  if (!dir) {
    const made = (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-pipeline-test-')));
    process.on('exit', () => fs.rmSync(made, { recursive: true, force: true }));
  }
  return dir;
}

/**
 * The energy-detector model (test/support/models.ts) with keyword 'yes', normalised on demo.wav:
 * it fires on loud speech, so fixtures give several events and noise gives none.
 */
export async function makeEnergyModel(): Promise<string> {
  const out = path.join(tmpDir(), 'energy-model');
  if (fs.existsSync(path.join(out, 'kws.json'))) return out;
  const normalization = await wavNormalization(DEFAULT_FEATURE_CONFIG.coefficients, DEMO_WAV);
  return writeModelDir(out, energyDetectorWeights('yes'), { normalization, keywords: ['yes'], name: 'energy-test' });
}

/**
 * A 16 kHz mono 16-bit WAV cut to `seconds`, written to tmpDir, with its raw s16le bytes and a
 * float copy for the stand-in recorder: it sends round(x·32767) for float x, so the float copy
 * holds v/32767 and the recorder sends exactly the 16-bit values v of the cut.
 */
export function cutWav(src: string, seconds: number, name: string): { file: string; pcm: Buffer; forRecorder: string } {
  const w = new WaveFile(fs.readFileSync(src));
  const samples = w.getSamples(false, Int16Array) as unknown as Int16Array;
  const cut = samples.slice(0, Math.round(seconds * 16000));
  const out = new WaveFile();
  out.fromScratch(1, 16000, '16', cut);
  const file = path.join(tmpDir(), name);
  fs.writeFileSync(file, out.toBuffer());
  const float = new WaveFile();
  float.fromScratch(
    1,
    16000,
    '32f',
    Float32Array.from(cut, (v) => v / 32767),
  );
  const forRecorder = file.replace(/\.wav$/, '-f32.wav');
  fs.writeFileSync(forRecorder, float.toBuffer());
  return { file, pcm: Buffer.from(cut.buffer, cut.byteOffset, cut.byteLength), forRecorder };
}
