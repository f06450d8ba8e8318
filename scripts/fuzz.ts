/**
 * `npm run fuzz` — mutated WAV/FLAC files through openAudio + a full read (see
 * test/support/fuzzRun.ts for what counts as a pass). Seeded and reproducible:
 *
 *   tsx scripts/fuzz.ts [--cases 10000] [--seed 1] [--case I] [--timeout-ms 5000]
 *
 * `--case I` runs just case I (as printed on failure). Exit 1 if any case is a bug or hang.
 */
import { describeFailures, runFuzz } from '../test/support/fuzzRun';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) {
    process.stderr.write(`fuzz: --${name} needs a whole number, got "${process.argv[i + 1]}"\n`);
    process.exit(2);
  }
  return v;
}

async function main(): Promise<void> {
  const seed = arg('seed', 1);
  const only = arg('case', -1);
  const cases = only >= 0 ? 1 : arg('cases', 10000);
  const from = only >= 0 ? only : 0;
  const timeoutMs = arg('timeout-ms', 5000);
  const step = Math.max(1, Math.floor(cases / 10));
  process.stdout.write(`fuzz: seed ${seed}, cases ${from}…${from + cases - 1}, ${timeoutMs} ms per case\n`);
  const summary = await runFuzz({
    seed,
    cases,
    from,
    timeoutMs,
    onCase: (index, outcome) => {
      if (only >= 0) process.stdout.write(`case ${index}: ${outcome.kind}: ${outcome.detail}\n`);
      else if ((index - from + 1) % step === 0) process.stdout.write(`  ${index - from + 1} cases…\n`);
    },
  });
  const rate = summary.cases / summary.seconds;
  process.stdout.write(`${summary.cases} cases in ${summary.seconds.toFixed(1)} s (${rate.toFixed(0)} cases/s)\n`);
  for (const [k, n] of Object.entries(summary.counts).sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${k.padEnd(24)} ${n}\n`);
  if (summary.failures.length) {
    process.stdout.write(`${summary.failures.length} FAILURES:\n${describeFailures(summary.failures)}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write('no uncaught exceptions, no hangs, no unclear errors\n');
  }
}

main().catch((e) => {
  process.stderr.write(`fuzz: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
