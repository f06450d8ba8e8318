/**
 * Renders text with a TTS voice to 16 kHz mono Float32: runs espeak-ng or flite into a temporary
 * WAV file, or has gnuspeech (in-process wasm) write one, reads it with the loader's readClip
 * (which resamples 22.05/8 kHz output to 16 kHz) and deletes the file. Every engine is
 * deterministic for the same arguments.
 */
import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DatasetError } from '../errors';
import { readClip } from '../data/dataset';
import { gnuspeechWav } from './gnuspeech';
import { INSTALL_HINT, Voice } from './voices';

/** Speaking style, engine-neutral. */
export interface Prosody {
  /** Speaking-rate factor, 1 = the voice's normal rate. */
  rate: number;
  /** Pitch offset in [-1, 1], 0 = the voice's normal pitch. */
  pitch: number;
  /** gnuspeech only: vocal-tract length in [-1, 1], 0 = the voice type's own (synthGnuspeech.ts). */
  tract?: number;
}

/**
 * Command line for one render. espeak-ng: -s words per minute = 175·rate, -p pitch = 50 + 30·pitch
 * (0–99 scale). flite: duration_stretch = 1/rate, int_f0_target_mean = f0·2^(pitch/4) (±3 semitones).
 */
export function renderCommand(voice: Voice, text: string, prosody: Prosody, outFile: string): [string, string[]] {
  if (voice.engine === 'gnuspeech') throw new Error('gnuspeech runs in-process, not as a command');
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

/**
 * Runs TTS commands through long-lived bash helpers, one per parallel job. Spawning espeak-ng
 * straight from node costs ~9 ms of the main thread per clip (forking a large process), half
 * of kws synth's time; a small bash forks it much more cheaply. Protocol: one job per line,
 * arguments separated by U+001F (no shell parsing, so no quoting issues); bash answers with the
 * exit status on its own line and keeps the command's stderr in a file for error messages.
 */
export class RenderPool {
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<(w: Worker) => void> = [];
  private readonly all: Worker[] = [];

  constructor(
    size: number,
    private readonly tmpDir: string,
  ) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const w = new Worker(path.join(tmpDir, `stderr-${i}.txt`));
      this.all.push(w);
      this.idle.push(w);
    }
  }

  /** Renders `text` (see the file comment); throws DatasetError when the engine fails. */
  async render(voice: Voice, text: string, prosody: Prosody): Promise<Float32Array> {
    const outFile = path.join(this.tmpDir, `render-${process.pid}-${counter++}.wav`);
    if (voice.engine === 'gnuspeech') {
      const { rate, pitch, tract = 0 } = prosody;
      try {
        fs.writeFileSync(outFile, await gnuspeechWav({ voiceType: voice.name, text, rate, pitch, tract }, voice.id));
        return await readClip(outFile);
      } finally {
        fs.rmSync(outFile, { force: true });
      }
    }
    const [cmd, args] = renderCommand(voice, text, prosody, outFile);
    const worker = this.idle.pop() ?? (await new Promise<Worker>((resolve) => this.waiting.push(resolve)));
    try {
      const status = await worker.run([cmd, ...args]);
      if (status === 127) throw new DatasetError(`${cmd} not found on PATH; ${INSTALL_HINT}`);
      if (status !== 0) throw new DatasetError(`${cmd} failed (exit ${status}) for voice ${voice.id} saying "${text}": ${worker.stderr()}`);
      return await readClip(outFile); // await: the finally below deletes the file
    } finally {
      fs.rmSync(outFile, { force: true });
      const next = this.waiting.shift();
      if (next) next(worker);
      else this.idle.push(worker);
    }
  }

  close(): void {
    for (const w of this.all) w.close();
  }
}

const SEPARATOR = '\x1f';
const HELPER = `while IFS=$'\\x1f' read -r -a argv; do "\${argv[@]}" >/dev/null 2>"$1"; echo $?; done`;

class Worker {
  private readonly child: ChildProcessWithoutNullStreams;
  private pending: { resolve: (status: number) => void; reject: (err: Error) => void } | null = null;
  private buffered = '';
  private failure: Error | null = null;

  constructor(private readonly errFile: string) {
    this.child = spawn('bash', ['-c', HELPER, 'kws-synth-helper', errFile], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.buffered += chunk;
      const nl = this.buffered.indexOf('\n');
      if (nl < 0 || !this.pending) return;
      const status = Number(this.buffered.slice(0, nl));
      this.buffered = this.buffered.slice(nl + 1);
      const p = this.pending;
      this.pending = null;
      p.resolve(status);
    });
    const fail = (err: Error) => {
      this.failure = new DatasetError(`TTS helper (bash) stopped: ${err.message}`);
      this.pending?.reject(this.failure);
      this.pending = null;
    };
    this.child.on('error', fail);
    this.child.on('exit', (code, signal) => fail(new Error(`exit ${code ?? signal}`)));
  }

  run(argv: string[]): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    if (argv.some((a) => a.includes(SEPARATOR) || a.includes('\n'))) {
      return Promise.reject(new DatasetError(`text or voice contains a control character: ${argv.join(' ')}`));
    }
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.stdin.write(argv.join(SEPARATOR) + '\n');
    });
  }

  stderr(): string {
    try {
      return fs.readFileSync(this.errFile, 'utf8').trim().split('\n')[0] ?? '';
    } catch {
      return '';
    }
  }

  close(): void {
    this.failure = new DatasetError('TTS helper closed');
    this.child.removeAllListeners('exit');
    this.child.stdin.end();
  }
}
