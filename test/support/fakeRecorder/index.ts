import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { delimiter, join } from 'path';

/**
 * Runs `fn` with the stand-in recorders (`sox`, `rec`, `arecord` in this folder) first on PATH,
 * configured through KWS_FAKE_* variables; restores PATH and the variables afterwards.
 * See README.md here.
 */
export interface FakeRecorderOptions {
  /** WAV to stream (any format wavefile reads; sent as s16le 16 kHz mono). */
  wav?: string;
  /**
   * stream (default) | die (exit 1 after dieAfterSec) | exit-at-start | stall (0.2 s then silence) |
   * no-device (ALSA's no-sound-card text, exit 1).
   */
  mode?: 'stream' | 'die' | 'exit-at-start' | 'stall' | 'no-device';
  /** 1 = real time (default), 10 = ten times faster, 0 = as fast as the pipe takes it. */
  speed?: number;
  dieAfterSec?: number;
  /** Loop the WAV forever (soak tests). */
  loop?: boolean;
  /** Bytes per write; default 1601 (odd, so sample frames are split across reads). */
  chunkBytes?: number;
  /** The fake writes its pid here (to check it is gone after close()). */
  pidFile?: string;
  /** The fake appends {cmd, args, audiodev} as a JSON line here. */
  argsLog?: string;
  /** true: PATH holds no recorder at all (for "binary missing" tests). */
  missing?: boolean;
}

export const FAKE_RECORDER_DIR = __dirname;

export async function withFakeRecorder<T>(opts: FakeRecorderOptions, fn: () => Promise<T>): Promise<T> {
  const vars: Record<string, string | undefined> = {
    KWS_FAKE_WAV: opts.wav,
    KWS_FAKE_MODE: opts.mode,
    KWS_FAKE_SPEED: opts.speed?.toString(),
    KWS_FAKE_DIE_AFTER_SEC: opts.dieAfterSec?.toString(),
    KWS_FAKE_LOOP: opts.loop ? '1' : undefined,
    KWS_FAKE_CHUNK_BYTES: opts.chunkBytes?.toString(),
    KWS_FAKE_PID_FILE: opts.pidFile,
    KWS_FAKE_ARGS_LOG: opts.argsLog,
    KWS_FAKE_NODE: process.execPath,
  };
  const saved: Record<string, string | undefined> = { PATH: process.env.PATH };
  for (const k of Object.keys(vars)) saved[k] = process.env[k];
  let emptyDir: string | null = null;
  try {
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (opts.missing) {
      emptyDir = mkdtempSync(join(tmpdir(), 'kws-no-recorder-'));
      process.env.PATH = emptyDir;
    } else {
      process.env.PATH = `${FAKE_RECORDER_DIR}${delimiter}${saved.PATH ?? ''}`;
    }
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (emptyDir) rmSync(emptyDir, { recursive: true, force: true });
  }
}
