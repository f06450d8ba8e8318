/**
 * Renders text with a TTS voice to 16 kHz mono Float32: runs espeak-ng or flite into a temporary
 * WAV file, reads it with the loader's readClip (which resamples 22.05/8 kHz output to 16 kHz)
 * and deletes the file. Both engines are deterministic for the same arguments.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { DatasetError, KwsError } from '../errors';
import { readClip } from './dataset';
import { INSTALL_HINT, Voice } from './synthVoices';

const run = promisify(execFile);

/** Speaking style, engine-neutral. */
export interface Prosody {
  /** Speaking-rate factor, 1 = the voice's normal rate. */
  rate: number;
  /** Pitch offset in [-1, 1], 0 = the voice's normal pitch. */
  pitch: number;
}

/**
 * Command line for one render. espeak-ng: -s words per minute = 175·rate, -p pitch = 50 + 30·pitch
 * (0–99 scale). flite: duration_stretch = 1/rate, int_f0_target_mean = f0·2^(pitch/4) (±3 semitones).
 */
export function renderCommand(voice: Voice, text: string, prosody: Prosody, outFile: string): [string, string[]] {
  if (voice.engine === 'espeak-ng') {
    const wpm = Math.round(175 * prosody.rate);
    const pitch = Math.round(Math.min(99, Math.max(0, 50 + 30 * prosody.pitch)));
    return ['espeak-ng', ['-v', voice.name, '-s', String(wpm), '-p', String(pitch), '-w', outFile, '--', text]];
  }
  const args = ['-voice', voice.name, '--setf', `duration_stretch=${(1 / prosody.rate).toFixed(4)}`];
  if (voice.f0Hz) args.push('--setf', `int_f0_target_mean=${(voice.f0Hz * Math.pow(2, prosody.pitch / 4)).toFixed(2)}`);
  return ['flite', [...args, '-t', text, '-o', outFile]];
}

let counter = 0;

/** Renders `text`; tmpDir must exist. Throws DatasetError when the engine is missing or fails. */
export async function renderSpeech(voice: Voice, text: string, prosody: Prosody, tmpDir: string): Promise<Float32Array> {
  const outFile = path.join(tmpDir, `render-${process.pid}-${counter++}.wav`);
  const [cmd, args] = renderCommand(voice, text, prosody, outFile);
  try {
    await run(cmd, args, { maxBuffer: 1 << 20 });
    return readClip(outFile);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' && typeof e.syscall === 'string' && e.syscall.startsWith('spawn')) {
      throw new DatasetError(`${cmd} not found on PATH; ${INSTALL_HINT}`);
    }
    if (err instanceof KwsError) throw err;
    throw new DatasetError(`${cmd} failed for voice ${voice.id} saying "${text}": ${(err as Error).message.split('\n')[0]}`);
  } finally {
    fs.rmSync(outFile, { force: true });
  }
}
