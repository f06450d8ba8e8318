/**
 * `kws groups --data DIR --out FILE` — the split groups of a data folder without speaker labels
 * (src/data/groupRecordings.ts): copies of one recording, and with --run-block N runs of
 * consecutively numbered files; `kws train --groups FILE` then keeps each group in one split.
 */
import { Command } from 'commander';
import { decimal, integer } from '../numbers';
import { progressPrinter } from '../progress';
import { SAME_RECORDING_DEFAULTS } from '../../data/sameRecording';

export function register(program: Command): void {
  const d = SAME_RECORDING_DEFAULTS;
  program
    .command('groups')
    .description('find the recordings of a data folder that must share a split (copies of one take; numbered runs of one speaker)')
    .requiredOption('--data <dir>', 'data folder with one sub-folder per word')
    .requiredOption('--out <file>', 'groups file to write (JSON), for kws train --groups')
    .option(
      '--run-block <n>',
      'files named by whole numbers are one speaker in blocks of n consecutive numbers (0: no runs)',
      integer(0),
      0,
    )
    .option(
      '--min-correlation <r>',
      'waveform cross-correlation from which two clips are one recording',
      decimal(0.01, 1),
      d.minCorrelation,
    )
    .option('--neighbours <k>', 'clips compared with each clip (its nearest by MFCC signature)', integer(1), d.neighbours)
    .option('--quiet', 'no progress output')
    .action(async (opts) => {
      const { groupRecordings } = await import('../../data/groupRecordings.js');
      const { writeSplitGroups } = await import('../../data/splitGroups.js');
      const progress = progressPrinter({ quiet: opts.quiet });
      const { groups, folders } = await groupRecordings(opts.data, {
        runBlock: opts.runBlock,
        minCorrelation: opts.minCorrelation,
        neighbours: opts.neighbours,
        command: ['kws', ...process.argv.slice(2)].join(' '),
        onProgress: progress.onProgress,
        onWarning: (w) => progress.log(`warning: ${w}`),
      });
      progress.end();
      writeSplitGroups(opts.out, groups);
      const lines = folders.map(
        (f) =>
          `${f.folder}: ${f.files} files, ${f.takes} distinct takes (${f.copyGroups} groups of copies, the largest ${f.largestCopyGroup})` +
          (opts.runBlock ? `, ${f.runs} numbered runs` : ''),
      );
      process.stdout.write([...lines, `wrote ${opts.out}`].join('\n') + '\n');
    });
}
