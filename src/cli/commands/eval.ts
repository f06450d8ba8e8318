/**
 * `kws eval --model DIR --data DIR` — accuracy, confusion, FRR, FA/h, DET and the usability verdict
 * (src/eval/evaluate.ts); the figures go into the model's kws.json and card unless --no-record.
 * `kws eval --wakeword --model DIR --data DIR --negatives DIR [--speech DIR] [--noise DIR] [--hours N]` —
 * the wake-word benchmark instead (src/eval/wakewordBench.ts): miss rate at 1 FA/h, 0.5 FA/h and 1 FA/10 h at
 * 10 and 20 dB on a stream of held-out negatives, and how much distinct material that stream rests on.
 */
import { percent } from '../../format';
import { Command, Option } from 'commander';
import { collect, decimal, integer } from '../numbers';
import { progressPrinter } from '../progress';
import { EVAL_DEFAULTS } from '../../eval/defaults';
import { ConfigError } from '../../errors';

export function register(program: Command): void {
  program
    .command('eval')
    .description("measure a model on a data folder's test split through the streaming runtime")
    .requiredOption('--model <dir>', 'model directory')
    .requiredOption('--data <dir>', 'data folder (Speech Commands layout)')
    .addOption(new Option('--split <name>', 'which split').choices(['test', 'validation', 'train']).default('test'))
    .option('--minutes <n>', 'minutes of background stream for FRR / false alarms per hour', integer(1), EVAL_DEFAULTS.minutes)
    .option('--seed <n>', 'seed of the stream composition', integer(0), EVAL_DEFAULTS.seed)
    .option(
      '--noise <dir>',
      "folder of background noise recordings for the detection stream (beside the data's _background_noise_); with --wakeword: real noise, the stream's only noise bed; repeatable",
      collect,
    )
    .option(
      '--speech <dir>',
      'folder of speech without the keywords, split by speaker (LibriSpeech / Speech Commands file names): only the test-split speakers go into the detection stream (with --wakeword too); repeatable',
      collect,
    )
    .option(
      '--groups <file>',
      'split groups of --data (kws groups): which clips are held out; default: the ones the model was trained with (kws.json), else a hash per file',
    )
    .option('--figures <dir>', 'write confusion.svg and det.svg here (default: the model directory)')
    .option('--json', 'print one JSON object with every figure')
    .option(
      '--wakeword',
      "wake-word benchmark: test clips (--split validation: validation clips, with each folder's validation part) in a long stream of held-out negatives (--noise, the test speakers of --speech, the test split of --negatives) at 10 and 20 dB SNR; miss rate at 1 FA/h, 0.5 FA/h and 1 FA/10 h per keyword, and the hours of distinct speech the stream rests on",
    )
    .option(
      '--negatives <dir>',
      'with --wakeword: folder of non-wake-word speech and noise (e.g. kws synth --per-word 0); its test split is the background; repeatable',
      collect,
    )
    .option(
      '--hours <n>',
      'with --wakeword: length of each background stream (0.5 FA/h needs ≥ 2, 1 FA/10 h ≥ 10)',
      decimal(0.01, 1000),
      EVAL_DEFAULTS.wakewordHours,
    )
    .option('--no-record', "do not write the figures into the model's kws.json and model card")
    .option(
      '--strict',
      'exit with code 1 when the model is not usable on these figures (near-chance accuracy, a keyword that cannot fire, FRR ≥ 50 %, fires on silence)',
    )
    .option('--quiet', 'no progress output')
    .action(async (opts) => {
      if (opts.wakeword) {
        if (opts.split === 'train')
          throw new ConfigError('--wakeword --split train: the benchmark is made of held-out clips (test or validation)');
        const { benchWakeword, writeWakewordFigures, wakewordTable } = await import('../../eval/wakewordBench.js');
        const report = await benchWakeword(opts.model, opts.data, {
          split: opts.split,
          negatives: opts.negatives ?? [],
          speech: opts.speech,
          noise: opts.noise,
          hours: opts.hours,
          seed: opts.seed,
          groups: opts.groups,
        });
        const figures = await writeWakewordFigures(report, opts.figures ?? opts.model);
        const out = opts.json
          ? JSON.stringify({ ...report, figures })
          : [...wakewordTable(report), `figures: ${figures.join(', ')}`].join('\n');
        process.stdout.write(out + '\n');
        return;
      }
      const { evaluateModel, recordEvaluation, writeEvalFigures } = await import('../../eval/evaluate.js');
      const { refreshModelCard } = await import('../../cards/modelCard.js');
      const { confusionTable } = await import('../../eval/plots.js');
      const { describeVerdict, UnusableModelError } = await import('../../eval/verdict.js');
      const { describeSize } = await import('../../model/size.js');
      const progress = progressPrinter({ quiet: opts.quiet });
      const report = await evaluateModel(opts.model, opts.data, {
        split: opts.split,
        minutes: opts.minutes,
        seed: opts.seed,
        noise: opts.noise,
        speech: opts.speech,
        groups: opts.groups,
        onProgress: progress.onProgress,
      });
      const figures = await writeEvalFigures(report, opts.figures ?? opts.model);
      if (opts.record) {
        recordEvaluation(opts.model, report, ['kws', ...process.argv.slice(2)].join(' '));
        progress.log(await refreshModelCard(opts.model));
      }
      progress.end();
      if (opts.json) {
        process.stdout.write(JSON.stringify({ ...report, figures }) + '\n');
      } else {
        const pct = (x: number) => percent(x, '—', '%');
        const quiet = Object.entries(report.quietFiring);
        const lines = [
          `model ${report.model} (${describeSize(report)})`,
          `${report.split} clips: ${report.clips}, accuracy ${pct(report.accuracy)}`,
          '',
          confusionTable(report.confusion.labels, report.confusion.matrix),
          '',
          'label          precision  recall  support',
          ...Object.entries(report.perClass).map(
            ([l, s]) => `${l.padEnd(14)} ${pct(s.precision).padStart(9)} ${pct(s.recall).padStart(7)} ${String(s.support).padStart(8)}`,
          ),
          '',
          `detection on a ${report.streamHours.toFixed(2)} h stream: FRR ${pct(report.frr)}, ${report.faPerHour.toFixed(2)} false alarms per hour`,
          ...Object.entries(report.perKeyword).map(
            ([k, s]) =>
              `  ${k.padEnd(14)} threshold ${report.thresholds[k].toFixed(3)}  FRR ${pct(s.frr)} (${s.missed}/${s.inserted})  FA/h ${s.faPerHour.toFixed(2)}`,
          ),
          `silence and low noise: ${quiet.length ? quiet.map(([k, on]) => `${k} fires on ${on.join(', ')}`).join('; ') : 'no event'}`,
          `figures: ${figures.join(', ')}`,
          '',
          describeVerdict(report.verdict),
        ];
        process.stdout.write(lines.join('\n') + '\n');
      }
      if (opts.strict && !report.verdict.usable) throw new UnusableModelError(describeVerdict(report.verdict));
    });
}
