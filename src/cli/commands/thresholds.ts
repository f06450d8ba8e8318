/**
 * `kws thresholds --model DIR --data DIR --fa-per-hour N` — picks a trained model's per-keyword
 * thresholds again for another false-alarm budget (src/train/thresholds.ts), on the data's
 * validation split, and writes them into DIR/kws.json. No retraining.
 */
import { Command } from 'commander';
import { decimal, integer } from '../numbers';
import { DEFAULT_SILENCE_PERCENT, DEFAULT_UNKNOWN_PERCENT } from '../../data/dataset';
import { TARGET_FA_PER_HOUR, THRESHOLD_STREAM_MINUTES, TRAIN_DEFAULTS } from '../../train/defaults';
import { progressPrinter } from '../progress';
import { READING_CLIPS_STEP } from '../../progress';

export function register(program: Command): void {
  program
    .command('thresholds')
    .description("choose a trained model's per-keyword thresholds for a false-alarm budget on the validation split; writes kws.json")
    .requiredOption('--model <dir>', 'model directory (its kws.json is updated)')
    .requiredOption('--data <dir>', 'the data folder the model was trained on (its validation split is used)')
    .option('--fa-per-hour <n>', 'false alarms per hour, all keywords together', decimal(0.001, 10000), TARGET_FA_PER_HOUR)
    .option('--minutes <m>', 'minutes of validation stream', decimal(1, 100000), THRESHOLD_STREAM_MINUTES)
    .option(
      '--unknown-percent <p>',
      "as given to kws train (the validation split's _unknown_ share)",
      decimal(0, 1000),
      DEFAULT_UNKNOWN_PERCENT,
    )
    .option('--silence-percent <p>', 'as given to kws train', decimal(0, 1000), DEFAULT_SILENCE_PERCENT)
    .option('--seed <n>', 'seed of the stream composition (kws train uses its --seed)', integer(0), TRAIN_DEFAULTS.seed)
    .option('--quiet', 'no progress output')
    .action(async (opts) => {
      const { loadModelConfig } = await import('../../model/kwsJson.js');
      const { loadDataForModel } = await import('../../eval/evaluate.js');
      const { describeThresholds, setThresholds } = await import('../../train/thresholds.js');
      const { refreshModelCard } = await import('../../cards/modelCard.js');
      const { describeVerdict, validationVerdict } = await import('../../eval/verdict.js');
      const { writeModelConfig } = await import('../../model/kwsJson.js');
      const progress = progressPrinter({ quiet: opts.quiet });
      const config = loadModelConfig(opts.model);
      const data = await loadDataForModel(config, opts.data, 'validation', {
        seed: opts.seed,
        splits: ['validation'],
        unknownPercent: opts.unknownPercent,
        silencePercent: opts.silencePercent,
        onClip: (done, total) => progress.onProgress(READING_CLIPS_STEP, done, total),
      });
      const updated = setThresholds(opts.model, config, data, {
        minutes: opts.minutes,
        faPerHour: opts.faPerHour,
        seed: opts.seed,
        onProgress: progress.onProgress,
        command: ['kws', ...process.argv.slice(2)].join(' '),
      });
      // The validation verdict depends on the thresholds: judge again, then rewrite the card.
      const verdict = validationVerdict(updated);
      writeModelConfig(opts.model, {
        ...updated,
        metrics: { ...updated.metrics, verdict: { ...(updated.metrics?.verdict as object), validation: verdict } },
      });
      progress.log(await refreshModelCard(opts.model));
      progress.end();
      process.stdout.write(`${describeThresholds(updated)}\n${describeVerdict(verdict)}\n`);
    });
}
