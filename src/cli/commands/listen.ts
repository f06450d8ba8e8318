/**
 * `kws listen` — live keyword events from the microphone until Ctrl-C.
 *
 * Recorder trouble (missing binary, failure to start, death or stall mid-stream) is printed as
 * one line; with `--retries N` the microphone is reopened up to N times in a row with
 * exponential backoff (0.5 s, 1 s, 2 s … capped at 30 s). A run that lasted at least
 * STABLE_RUN_SEC counts as healthy and resets the count. No capture device at all is not
 * retried: one `no microphone: …` line, exit 1. 'listening' is printed when audio arrives, and
 * event times are seconds since `kws listen` started, continuing across reopens (SessionClock).
 * SIGINT/SIGTERM stop the recorder, wait for it, and exit 0.
 */
import { Command } from 'commander';
import { modelOptions } from '../modelOptions';
import { numberOption } from '../numbers';
import { SessionClock } from '../../pipeline/sessionClock';
import { ConfigError, NoMicrophoneError, RecorderError } from '../../errors';
import { userMessage } from '../userMessage';

interface ListenOptions {
  model?: string;
  threshold?: string[];
  recorder: string;
  device?: string;
  json?: boolean;
  retries: string;
  stallTimeout: string;
}

const STABLE_RUN_SEC = 10;
const FIRST_BACKOFF_SEC = 0.5;
const MAX_BACKOFF_SEC = 30;

/** Seconds to wait before retry number `attempt` (1-based). */
export function backoffSeconds(attempt: number): number {
  return Math.min(MAX_BACKOFF_SEC, FIRST_BACKOFF_SEC * 2 ** (attempt - 1));
}

export function register(program: Command): void {
  const command = program
    .command('listen')
    .description('print keyword events from the microphone until Ctrl-C')
    .option('--recorder <name>', 'recorder program: sox, rec or arecord', 'sox')
    .option('--device <name>', 'capture device (default: the system default)')
    .option('--json', 'one JSON object per event')
    .option('--retries <n>', 'reopen the microphone this many times after a recorder failure', '3')
    .option('--stall-timeout <sec>', 'seconds without audio before the recorder counts as stalled (0 = never)', '5');
  modelOptions(command).action(async (opts: ListenOptions) => {
    const { loadSpotterFromOptions, formatEvent } = await import('../spotterOptions.js');
    const { microphone } = await import('../../audio/microphone.js');
    if (!['sox', 'rec', 'arecord'].includes(opts.recorder))
      throw new ConfigError(`--recorder must be sox, rec or arecord, got "${opts.recorder}"`);
    const retries = numberOption('--retries', opts.retries, { whole: true });
    const stallTimeoutSec = numberOption('--stall-timeout', opts.stallTimeout, { unit: 'seconds' });
    const spotter = await loadSpotterFromOptions(opts);

    let stopping = false;
    let current: { stop(): Promise<void> } | null = null;
    let wake: (() => void) | null = null;
    const onSignal = () => {
      if (stopping) return;
      stopping = true;
      wake?.();
      void current?.stop();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const sleep = (sec: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, sec * 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });

    const clock = new SessionClock();
    const what = `${opts.recorder}${opts.device ? `, device ${opts.device}` : ''}`;
    let heard = false;
    const onFirstAudio = () => {
      process.stderr.write(heard ? `listening again (${what})\n` : `listening (${what}); Ctrl-C to stop\n`);
      heard = true;
    };
    let failures = 0;
    try {
      while (!stopping) {
        const started = Date.now();
        let failure: unknown = null;
        try {
          const source = clock.track(
            microphone({ recorder: opts.recorder as 'sox' | 'rec' | 'arecord', device: opts.device, stallTimeoutSec }),
            onFirstAudio,
          );
          const listener = spotter.listen(source);
          current = listener;
          listener.on('keyword', (e) => process.stdout.write(`${formatEvent(source.name, clock.place(e), !!opts.json)}\n`));
          listener.on('error', (err) => (failure = err));
          await listener.done;
          current = null;
          if (!failure && !stopping) failure = new RecorderError(`recorder '${opts.recorder}' stopped sending audio`);
        } catch (err) {
          failure = err;
        }
        if (stopping) break;
        process.stderr.write(`kws: ${userMessage(failure)}\n`);
        if (failure instanceof NoMicrophoneError) {
          process.exitCode = 1;
          return;
        }
        if ((Date.now() - started) / 1000 >= STABLE_RUN_SEC) failures = 0;
        failures++;
        if (failures > retries) {
          process.stderr.write(`kws: giving up after ${retries} ${retries === 1 ? 'retry' : 'retries'}\n`);
          process.exitCode = 1;
          return;
        }
        const wait = backoffSeconds(failures);
        process.stderr.write(`retrying in ${wait} s (${failures} of ${retries})\n`);
        await sleep(wait);
      }
      process.stderr.write('stopped\n');
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  });
}
