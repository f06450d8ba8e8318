/**
 * Runs fuzz cases (test/support/fuzzWav.ts) through `openAudio` + a full read, in process.
 * Each case ends in exactly one of:
 *   audio  — the file read to the end; every sample finite, in [-1, 1], at 16 kHz;
 *   error  — one KwsError (AudioFormatError …) whose message is one line naming the file;
 *   bug    — anything else: another exception type, a multi-line message, bad samples;
 *   hang   — no result within the per-case time bound (the case's promise never settled).
 * A synchronous endless loop cannot be timed out in process; the mocha timeout / the script's
 * wall clock is the last guard for that.
 */
import { execFileSync } from 'child_process';
import { readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { openAudio } from '../../src/audio/open';
import { KwsError } from '../../src/errors';
import { FuzzBase, fuzzCase, wavBases } from './fuzzWav';
import { scratchDir, tone, wavBytes, writeTemp } from './wav';

export type OutcomeKind = 'audio' | 'error' | 'bug' | 'hang';
export interface Outcome {
  kind: OutcomeKind;
  /** audio: seconds read; error: the error class; bug/hang: what went wrong. */
  detail: string;
}

export interface FuzzFailure {
  seed: number;
  index: number;
  label: string;
  outcome: Outcome;
}

export interface FuzzSummary {
  cases: number;
  seconds: number;
  counts: Record<string, number>;
  failures: FuzzFailure[];
}

/** The WAV bases plus, when `flac` is set, a FLAC made by sox from one of them. */
export function fuzzBases(flac: boolean): FuzzBase[] {
  const bases = wavBases();
  if (flac) {
    const wav = writeTemp('fuzz-flac-src.wav', wavBytes(tone(440, 16000, 0.3), 16000, '16'));
    const out = join(scratchDir(), 'fuzz-base.flac');
    execFileSync('sox', [wav, out]);
    bases.push({ name: 'flac-16k', bytes: readFileSync(out) });
  }
  return bases;
}

/** Opens and fully reads one file; classifies what happened (never throws). */
export async function readOneFile(file: string, timeoutMs: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'hang', detail: `no result after ${timeoutMs} ms` }), timeoutMs);
  });
  const read = (async (): Promise<Outcome> => {
    try {
      const source = await openAudio(file, { onWarning: () => undefined });
      let n = 0;
      for await (const chunk of source) {
        for (let i = 0; i < chunk.length; i++) {
          const v = chunk[i];
          if (!(v >= -1 && v <= 1)) return { kind: 'bug', detail: `sample ${n + i} is ${v}` };
        }
        n += chunk.length;
      }
      if (source.sampleRate !== 16000) return { kind: 'bug', detail: `sampleRate ${source.sampleRate}` };
      return { kind: 'audio', detail: `${(n / 16000).toFixed(3)} s` };
    } catch (e) {
      if (!(e instanceof KwsError))
        return { kind: 'bug', detail: `uncaught ${(e as Error)?.constructor?.name}: ${(e as Error)?.message ?? e}` };
      if (/[\r\n]/.test(e.message) || !e.message.includes(file))
        return { kind: 'bug', detail: `unclear message: ${JSON.stringify(e.message)}` };
      return { kind: 'error', detail: e.constructor.name };
    }
  })();
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface FuzzOptions {
  seed: number;
  cases: number;
  /** First case index (to resume or reproduce one case). */
  from?: number;
  timeoutMs?: number;
  flac?: boolean;
  /** Called after each case (progress). */
  onCase?: (index: number, outcome: Outcome) => void;
}

/**
 * Runs cases from..from+cases−1 of `seed`. Outcome counts are keyed 'audio', 'hang', 'bug' and
 * 'error:<Class>'. Unhandled rejections/exceptions while a case runs count as that case's bug.
 */
export async function runFuzz(opts: FuzzOptions): Promise<FuzzSummary> {
  const bases = fuzzBases(opts.flac ?? true);
  const counts: Record<string, number> = {};
  const failures: FuzzFailure[] = [];
  const file = join(scratchDir(), 'fuzz-case.wav');
  let stray: string | null = null;
  const onStray = (e: unknown) => {
    stray ??= `escaped: ${(e as Error)?.message ?? e}`;
  };
  process.on('unhandledRejection', onStray);
  const started = process.hrtime.bigint();
  try {
    const from = opts.from ?? 0;
    for (let index = from; index < from + opts.cases; index++) {
      const c = fuzzCase(bases, opts.seed, index);
      writeFileSync(file, c.bytes);
      let outcome = await readOneFile(file, opts.timeoutMs ?? 5000);
      await new Promise((r) => setImmediate(r)); // let a stray rejection of this case surface now
      if (stray) {
        outcome = { kind: 'bug', detail: stray };
        stray = null;
      }
      const key = outcome.kind === 'error' ? `error:${outcome.detail}` : outcome.kind;
      counts[key] = (counts[key] ?? 0) + 1;
      if (outcome.kind === 'bug' || outcome.kind === 'hang') failures.push({ seed: opts.seed, index, label: c.label, outcome });
      opts.onCase?.(index, outcome);
    }
  } finally {
    process.off('unhandledRejection', onStray);
    rmSync(file, { force: true });
  }
  return { cases: opts.cases, seconds: Number(process.hrtime.bigint() - started) / 1e9, counts, failures };
}

/** One line per failure, with the command that reproduces it. */
export function describeFailures(failures: readonly FuzzFailure[]): string {
  return failures
    .map(
      (f) =>
        `case ${f.index} (${f.label}): ${f.outcome.kind}: ${f.outcome.detail}\n  reproduce: npm run fuzz -- --seed ${f.seed} --case ${f.index}`,
    )
    .join('\n');
}
