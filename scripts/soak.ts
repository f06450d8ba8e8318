/**
 * `npm run soak` — the soak run of test/support/soak.ts for hours, reporting heap and RSS.
 *
 *   tsx scripts/soak.ts [--hours 10] [--minutes M]
 *
 * Exit 1 if memory grew ≥ 5 MB (heap or RSS, first report → last), the event time is off by any
 * amount, or any other event fired.
 */
import { runSoak } from '../test/support/soak';

function argNumber(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : Number(process.argv[i + 1]);
}

async function main(): Promise<void> {
  const minutes = argNumber('minutes') ?? (argNumber('hours') ?? 10) * 60;
  if (!(Number.isInteger(minutes) && minutes >= 2)) throw new Error('--hours/--minutes: a whole number of minutes ≥ 2');
  const every = minutes >= 120 ? 3600 : 60;
  const fmt = (x: number) => x.toFixed(2).padStart(8);
  process.stdout.write(`soak: ${minutes} simulated minutes, memory every ${every / 60} simulated min\n  sim time   heap MB    RSS MB\n`);
  const r = await runSoak(minutes * 60, every, (m) =>
    process.stdout.write(`  ${(m.simulatedSec / 3600).toFixed(2).padStart(6)} h ${fmt(m.heapMB)}  ${fmt(m.rssMB)}\n`),
  );
  const ok = (b: boolean) => (b ? 'ok' : 'FAIL');
  const err = r.triggerEvent ? r.triggerEvent.start - r.expectedStart : NaN;
  const endErr = r.triggerEvent ? r.triggerEvent.end - r.expectedEnd : NaN;
  process.stdout.write(
    [
      `${(r.simulatedSec / 3600).toFixed(3)} simulated hours in ${r.wallSec.toFixed(1)} s (${(r.simulatedSec / r.wallSec).toFixed(0)}× real time)`,
      `memory growth after the first report: heap ${r.heapGrowthMB.toFixed(2)} MB, RSS ${r.rssGrowthMB.toFixed(2)} MB (limit 5) ${ok(Math.max(r.heapGrowthMB, r.rssGrowthMB) < 5)}`,
      `spurious events on the background: ${r.spurious.length} ${ok(r.spurious.length === 0)}`,
      `trigger event: ${r.triggerEvent ? JSON.stringify(r.triggerEvent) : 'none'}; expected start ${r.expectedStart} end ${r.expectedEnd}`,
      `event-time error: start ${err} s, end ${endErr} s ${ok(err === 0 && endErr === 0)}`,
    ].join('\n') + '\n',
  );
  if (!(Math.max(r.heapGrowthMB, r.rssGrowthMB) < 5 && r.spurious.length === 0 && err === 0 && endErr === 0)) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`soak: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
