/**
 * The hard-negative mining part of a model card (issue 15): one row per round — the model before
 * mining, then after each retraining with the windows mined so far — with the false alarms per
 * hour on the training material that was mined and the wake-word benchmark on held-out material.
 * modelCard.ts shows it for any model whose kws.json records metrics.mining.
 */
import { percent } from '../format';
import { MiningRecord } from '../model/records';
import { shippedRound } from '../mine/chooseRound';

export const MINING_HEADING = 'Hard-negative mining (`kws mine`, `kws train --hard-negatives`)';

export function miningLines(m: MiningRecord): string[] {
  const snrs = m.rounds[0]?.benchmark.map((b) => b.snrDb) ?? [];
  const shipped = shippedRound(m);
  const chosen =
    m.shipped === undefined
      ? 'the last'
      : 'the one with the lowest false-reject rate on its validation stream at its thresholds (src/mine/chooseRound.ts; the benchmark, on the test split, plays no part)';
  return [
    `Each round ran the model over ${m.hours} h of negative stream made from training material only (${m.sources.join(', ')}; held-out speakers and clips never), ` +
      `kept every window where a keyword's smoothed posterior crossed ${m.thresholdScale} × its threshold (and every false alarm), and retrained from scratch with all windows mined so far as \`_unknown_\` clips ` +
      `(frame weights × ${m.weight}). Round 0 is the model before mining; the shipped model is round ${shipped ?? '?'}'s: ${chosen}.`,
    '',
    `| round | hard negatives in training | windows mined with it | FA/h on training material | validation FRR at the thresholds | ` +
      snrs.map((s) => `benchmark FA/h at the thresholds, ${s} dB | miss @ 1 FA/h, ${s} dB`).join(' | ') +
      ' |',
    '|---:|---:|---:|---:|---:|' + snrs.map(() => '---:|---:').join('|') + '|',
    ...m.rounds.map(
      (r) =>
        `| ${r.round === shipped ? `**${r.round}** (shipped)` : r.round} | ${r.hardNegatives} | ${r.minedWindows} | ${r.trainingFaPerHour.toFixed(1)} | ${percent(r.validationFrr, 'n/a')} | ` +
        r.benchmark.map((b) => `${b.faPerHour?.toFixed(1) ?? 'n/a'} | ${percent(b.missAt1FaPerHour, 'n/a')}`).join(' | ') +
        ' |',
    ),
    '',
    `FA/h on training material: events at the model's thresholds on the mined stream (no keyword in it). Benchmark: \`kws eval --wakeword\` on the held-out test split, ${m.benchmarkHours} h streams; its FA/h at the model's own thresholds, all keywords together.`,
  ];
}
