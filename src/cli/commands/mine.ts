/**
 * `kws mine --model DIR --out DIR [--speech DIR]… [--negatives DIR]… [--noise DIR]…` — hard-negative
 * mining (src/mine/mine.ts): the windows of training material where the model (nearly) fires,
 * written as `_unknown_` clips for `kws train --hard-negatives DIR`.
 */
import { Command } from 'commander';
import { collect, decimal, integer } from '../numbers';
import { progressPrinter } from '../progress';
import { MINE_DEFAULTS } from '../../mine/defaults';

export function register(program: Command): void {
  const d = MINE_DEFAULTS;
  program
    .command('mine')
    .description('hard-negative mining: run a model over negative streams of training material, keep the windows where it (nearly) fires')
    .requiredOption('--model <dir>', 'model directory')
    .requiredOption('--out <dir>', 'folder for the mined clips (_unknown_/mined_<n>_nohash_0.wav, mined.json), new or from kws mine')
    .option('--speech <dir>', 'folder of speech without the keywords; its training speakers only (split by speaker); repeatable', collect)
    .option(
      '--negatives <dir>',
      'folder of negatives (e.g. kws synth --per-word 0): its train split _unknown_ clips and background; repeatable',
      collect,
    )
    .option('--noise <dir>', 'folder of background noise recordings, mixed in at a random SNR; repeatable', collect)
    .option('--hours <h>', 'hours of negative stream', decimal(0.001, 1000), d.hours)
    .option(
      '--threshold-scale <s>',
      "keep windows where a keyword's smoothed posterior crosses s × its threshold (near misses are hard negatives too)",
      decimal(0.01, 1),
      d.thresholdScale,
    )
    .option('--max-clips <n>', 'keep at most n windows, those with the highest peaks (default: all)', integer(1))
    .option('--split <name>', 'the material mined: train only (held-out speakers are where false alarms are measured)', 'train')
    .option('--seed <n>', 'seed of the stream composition', integer(0), d.seed)
    .option('--json', 'print mined.json')
    .option('--quiet', 'no progress output')
    .action(async (opts) => {
      const { mineHardNegatives } = await import('../../mine/mine.js');
      const progress = progressPrinter({ quiet: opts.quiet });
      // the options are MineOptions by name (speech, negatives, noise, hours, thresholdScale, maxClips, seed, split)
      const record = await mineHardNegatives(opts.model, opts.out, {
        ...opts,
        command: ['kws', ...process.argv.slice(2)].join(' '),
        onProgress: progress.onProgress,
      });
      progress.end();
      for (const w of record.warnings) progress.log(`warning: ${w}`);
      if (opts.json) {
        process.stdout.write(JSON.stringify(record) + '\n');
        return;
      }
      const perKeyword = Object.entries(record.falseAlarms.perKeyword)
        .map(([k, n]) => `${k} ${(n / record.hours).toFixed(1)}`)
        .join(', ');
      process.stdout.write(
        [
          `${record.hours.toFixed(2)} h of training material: ${record.falseAlarms.perHour.toFixed(1)} false alarms per hour at the model's thresholds (${perKeyword})`,
          `${record.windows.found} windows (crossings of ${record.thresholdScale} × the thresholds, and every false alarm); wrote ${record.windows.written} to ${opts.out}`,
        ].join('\n') + '\n',
      );
    });
}
