import { ChildProcess } from 'child_process';
import { record } from 'node-record-lpcm16';
import { existsSync, statSync } from 'fs';
import { delimiter, join } from 'path';
import { ConfigError, NoMicrophoneError, RecorderError } from '../errors';
import { Backlog } from './backlog';
import { WarningAudioSource, MonoTo16k, makeSource } from './decodedStream';
import { SampleDecoder } from './sampleDecoder';
import { TARGET_SAMPLE_RATE } from './source';
import { SourceOptions, Warnings } from './warnings';

export type RecorderName = 'sox' | 'rec' | 'arecord';

export interface MicrophoneOptions extends SourceOptions {
  /** Recorder binary run by node-record-lpcm16; default 'sox'. */
  recorder?: RecorderName;
  /** Capture device (sox/rec: AUDIODEV, arecord: -D); default: the system default. */
  device?: string;
  /** Seconds without any audio before the recorder counts as stalled; default 5, 0 = never. */
  stallTimeoutSec?: number;
  /**
   * Most audio (seconds) held for a consumer slower than real time; default 5. Beyond it the
   * oldest audio is dropped (see microphone()).
   */
  maxBufferedSec?: number;
}

const INSTALL_HINT: Record<RecorderName, string> = {
  sox: 'install it with `apt-get install sox` (macOS: `brew install sox`)',
  rec: 'it comes with sox: `apt-get install sox` (macOS: `brew install sox`)',
  arecord: 'install it with `apt-get install alsa-utils`',
};
const STDERR_KEEP = 2000;

/**
 * What the recorders print when there is no capture device at all (no sound card, or the named
 * device does not exist) — as opposed to a busy or disconnected one, which may come back:
 * sox/rec "there is no default audio device configured" or "snd_pcm_open error: No such …",
 * arecord "audio open error: No such …". ALSA's own config dump before it is left out.
 */
const NO_DEVICE = /no default audio device configured|(?:snd_pcm_open|audio open) error: No such (?:file or directory|device)/;

/** The recorder's line saying there is no device, or null. */
function noDeviceLine(stderr: string): string | null {
  return (
    stderr
      .split('\n')
      .map((l) => l.trim())
      .reverse()
      .find((l) => NO_DEVICE.test(l)) ?? null
  );
}

function onPath(cmd: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, cmd);
    try {
      if (existsSync(p) && statSync(p).isFile()) return true;
    } catch {
      /* unreadable PATH entry */
    }
  }
  return false;
}

/**
 * node-record-lpcm16 passes `device` to sox (AUDIODEV) and arecord (-D) but drops it for rec;
 * rec reads AUDIODEV too, and the library spawns synchronously, so it is set just for the call.
 */
function withRecDevice<T>(recorder: RecorderName, device: string | undefined, start: () => T): T {
  if (recorder !== 'rec' || device === undefined) return start();
  const saved = process.env.AUDIODEV;
  process.env.AUDIODEV = device;
  try {
    return start();
  } finally {
    if (saved === undefined) delete process.env.AUDIODEV;
    else process.env.AUDIODEV = saved;
  }
}

/**
 * Live 16 kHz mono capture through node-record-lpcm16, which spawns `sox`, `rec` or `arecord`
 * writing raw s16le to stdout. The recorder starts when iteration starts.
 *
 * Failure rules: a missing binary, a recorder that exits (any exit before close()) or stalls
 * makes the iterator reject with a RecorderError carrying the recorder's stderr; nothing is
 * thrown asynchronously and nothing hangs. close() (or breaking out of for-await) kills the
 * recorder and waits until it has exited, so no zombie is left. A recorder that exits because
 * there is no capture device at all rejects with a NoMicrophoneError (one line, without ALSA's
 * config dump), so a caller that retries knows not to.
 *
 * Backpressure: a live recorder cannot be paused without losing audio inside it, so a consumer
 * slower than real time meets a bounded queue: at most `maxBufferedSec` of audio waits, and
 * the oldest is dropped beyond that (a live spotter wants the newest audio), with one warning
 * per burst — a burst ends when the consumer catches up and waits for audio again. Memory thus
 * stays bounded; stream time (sample counts, event times) skips the dropped audio.
 *
 * node-record-lpcm16 quirks handled: it never listens for the child's 'error' event (a
 * missing binary would crash the process), it emits a *string* 'error' on stdout after a
 * non-zero exit (uncaught once stdout has ended), and it swallows stderr into debug output.
 */
export function microphone(opts: MicrophoneOptions = {}): WarningAudioSource {
  const recorder = opts.recorder ?? 'sox';
  if (!(recorder in INSTALL_HINT)) throw new ConfigError(`unknown recorder '${recorder}' (use sox, rec or arecord)`);
  const stallMs = (opts.stallTimeoutSec ?? 5) * 1000;
  const maxBufferedSec = opts.maxBufferedSec ?? 5;
  if (!(maxBufferedSec > 0)) throw new ConfigError(`maxBufferedSec must be > 0, got ${maxBufferedSec}`);
  const maxBytes = 2 * Math.max(1, Math.round(maxBufferedSec * TARGET_SAMPLE_RATE)); // s16 mono
  const name = 'microphone';
  const warnings = new Warnings(name, opts.onWarning);
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let closing = false;

  async function* chunks(): AsyncGenerator<Float32Array> {
    if (!onPath(recorder)) throw new RecorderError(`recorder '${recorder}' not found on PATH: ${INSTALL_HINT[recorder]}`);
    const recording = withRecDevice(recorder, opts.device, () =>
      record({ recorder, device: opts.device, sampleRate: TARGET_SAMPLE_RATE, channels: 1, audioType: 'raw' }),
    );
    const cp: ChildProcess = recording.process;
    child = cp;
    let stderr = '';
    let failure: RecorderError | null = null;
    let ended = false;
    let wake: (() => void) | null = null;
    const poke = () => {
      wake?.();
      wake = null;
    };
    const fail = (message: string, error: new (m: string) => RecorderError = RecorderError) => {
      if (!failure && !closing) failure = new error(message);
      poke();
    };
    const withStderr = () => (stderr.trim() ? `: ${stderr.trim().split('\n').slice(-5).join(' | ')}` : '');
    exited = new Promise((resolve) => cp.once('close', () => resolve()));
    cp.on('error', (e: NodeJS.ErrnoException) =>
      fail(
        e.code === 'ENOENT'
          ? `recorder '${recorder}' not found: ${INSTALL_HINT[recorder]}`
          : `recorder '${recorder}' failed to start: ${e.message}`,
      ),
    );
    cp.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-STDERR_KEEP);
    });
    cp.on('close', (code, signal) => {
      ended = true;
      const noDevice = code !== 0 ? noDeviceLine(stderr) : null;
      if (noDevice)
        fail(
          `no microphone: recorder '${recorder}' found no audio input device (${noDevice}); connect one or choose one with --device`,
          NoMicrophoneError,
        );
      else if (code !== 0) fail(`recorder '${recorder}' ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${withStderr()}`);
      poke();
    });
    const out = recording.stream();
    out.on('error', () => {}); // the library's string error; the 'close' handler reports it
    const backlog = new Backlog(maxBytes, () =>
      warnings.warn(`audio is arriving faster than it is consumed: dropping the oldest (keeping the last ${maxBufferedSec} s)`),
    );
    out.on('data', (d: Buffer) => {
      backlog.push(d);
      poke();
    });

    const decoder = new SampleDecoder('16', 1, TARGET_SAMPLE_RATE);
    const to16k = new MonoTo16k(TARGET_SAMPLE_RATE, warnings);
    let carry = Buffer.alloc(0);
    let lastData = Date.now();
    for (;;) {
      const waiting = backlog.take();
      if (waiting) {
        const data = carry.length ? Buffer.concat([carry, waiting]) : waiting;
        const whole = data.length - (data.length % 2);
        carry = Buffer.from(data.subarray(whole));
        lastData = Date.now();
        yield to16k.push(decoder.decode(data.subarray(0, whole)));
        continue;
      }
      if (failure) throw failure;
      if (ended || closing) break;
      const waitMs = stallMs > 0 ? Math.max(1, lastData + stallMs - Date.now()) : 0;
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (waitMs) setTimeout(resolve, waitMs).unref();
      });
      wake = null;
      if (stallMs > 0 && backlog.size === 0 && !ended && !failure && Date.now() - lastData >= stallMs) {
        failure = new RecorderError(`recorder '${recorder}' stalled: no audio for ${stallMs / 1000} s${withStderr()}`);
      }
    }
    yield to16k.flush();
  }

  return makeSource(name, TARGET_SAMPLE_RATE, undefined, warnings, chunks, async () => {
    closing = true;
    const cp = child;
    if (!cp || cp.exitCode !== null || cp.signalCode !== null) return;
    cp.kill('SIGTERM');
    const force = setTimeout(() => cp.kill('SIGKILL'), 1000);
    await exited;
    clearTimeout(force);
  });
}
