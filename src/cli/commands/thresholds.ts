/**
 * `kws thresholds --model DIR --data DIR --fa-per-hour N` — picks a trained model's per-keyword
 * thresholds again for another false-alarm budget (src/train/thresholds.ts), on the data's
 * validation split, and writes them into DIR/kws.json. No retraining.
 */
import { Command } from 'commander';
import { collect, decimal, integer } from '../numbers';
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
      `the validation split's _unknown_ share (default: the model's training setting, else ${DEFAULT_UNKNOWN_PERCENT})`,
      decimal(0, 1000),
    )
    .option(
      '--silence-percent <p>',
      `the validation split's _silence_ share (default: the model's training setting, else ${DEFAULT_SILENCE_PERCENT})`,
      decimal(0, 1000),
    )
    .option('--noise <dir>', "background noise folder for the stream (default: the model's training --noise); repeatable", collect)
    .option('--speech <dir>', "background speech folder for the stream (default: the model's training --speech); repeatable", collect)
    .option('--seed <n>', `seed of the stream composition (default: the model's training seed, else ${TRAIN_DEFAULTS.seed})`, integer(0))
    .option('--quiet', 'no progress output')
    .action(async (opts) => {
      const { loadModelConfig, writeModelConfig } = await import('../../model/kwsJson.js');
      const { loadDataForModel } = await import('../../eval/evaluate.js');
      const { describeThresholds, setThresholds } = await import('../../train/thresholds.js');
      const { refreshModelCard } = await import('../../cards/modelCard.js');
      const { describeVerdict, validationVerdict } = await import('../../eval/verdict.js');
      const progress = progressPrinter({ quiet: opts.quiet });
      const config = loadModelConfig(opts.model);
      // The validation split and stream as kws train made them, unless told otherwise.
      const trained = config.training ?? {};
      const seed = opts.seed ?? trained.seed ?? TRAIN_DEFAULTS.seed;
      const data = await loadDataForModel(config, opts.data, 'validation', {
        seed,
        splits: ['validation'],
        unknownPercent: opts.unknownPercent ?? trained.unknownPercent,
        silencePercent: opts.silencePercent ?? trained.silencePercent,
        noise: opts.noise ?? trained.noise,
        speech: opts.speech ?? trained.speech,
        // the rest of the training's validation split, so that the stream is the one training chose on
        extraData: trained.extraData,
        negatives: trained.negatives,
        speechUnknownPercent: trained.speechUnknownPercent,
        leadInSec: trained.leadInSec,
        onClip: (done, total) => progress.onProgress(READING_CLIPS_STEP, done, total),
      });
      const updated = setThresholds(opts.model, config, data, {
        minutes: opts.minutes,
        faPerHour: opts.faPerHour,
        seed,
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
