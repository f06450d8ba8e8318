/**
 * `kws synth` — a keyword corpus from text in the Speech Commands layout (see src/synth/synthesize.ts).
 * Shows progress like every long step (src/cli/progress.ts); prints one summary line with the measured clips/second.
 */
import { Command } from 'commander';
import { ConfigError } from '../../errors';
import { SYNTH_DEFAULTS } from '../../synth/defaults';
import type { Engine } from '../../synth/voices';
import { list, numberOption } from '../numbers';
import { progressPrinter } from '../progress';
import { ProgressStep } from '../../progress';

const SYNTH_STEP: ProgressStep = { name: 'synth', unit: 'clips' };

interface SynthCliOptions {
  keywords: string;
  out: string;
  perWord: string;
  seed: string;
  unknownWords?: string;
  unknownCount?: string;
  silenceCount?: string;
  jobs: string;
  clipSec?: string;
  backgroundSec: string;
  voices?: string;
  engines?: string;
  validationPercent: string;
  testingPercent: string;
  augment: boolean;
  force?: boolean;
  quiet?: boolean;
}

const listOf = (text: string | undefined) => (text === undefined ? undefined : list(text));
const number = (name: string, text: string | undefined) => (text === undefined ? undefined : numberOption(`--${name}`, text));

export function register(program: Command): void {
  program
    .command('synth')
    .description('synthesize a keyword corpus (Speech Commands layout) with espeak-ng, flite and gnuspeech voices')
    .requiredOption('--keywords <list>', 'comma-separated keywords or phrases, e.g. yes,no or "start dictation,stop dictation"')
    .requiredOption('--out <dir>', 'output folder (must be new or empty)')
    .option('--per-word <n>', 'clips per keyword, all splits together', String(SYNTH_DEFAULTS.perWord))
    .option('--seed <n>', 'random seed: same seed + same tool versions = same files', String(SYNTH_DEFAULTS.seed))
    .option('--unknown-words <list>', 'comma-separated words replacing the built-in common words of _unknown_ (sound-alikes stay)')
    .option('--unknown-count <n>', '_unknown_ clips (default per-word x max(2, keywords/2))')
    .option('--silence-count <n>', '_silence_ (noise only) clips (default per-word)')
    .option('--jobs <n>', 'parallel TTS processes', String(SYNTH_DEFAULTS.jobs))
    .option('--clip-sec <s>', 'clip length in seconds (default: 1, longer when a phrase needs it)')
    .option('--background-sec <s>', 'length of each _background_noise_ file', String(SYNTH_DEFAULTS.backgroundSec))
    .option('--voices <list>', 'only these voice ids, names or speakers (see synth.json)')
    .option('--engines <list>', 'comma-separated engines: espeak-ng, flite, gnuspeech (default: every one installed)')
    .option('--validation-percent <p>', 'percent of speakers held out for validation', String(SYNTH_DEFAULTS.validationPercent))
    .option('--testing-percent <p>', 'percent of speakers held out for testing', String(SYNTH_DEFAULTS.testingPercent))
    .option('--no-augment', 'clean clips: no noise, reverb, speed change or band-limiting')
    .option('--force', 'replace an existing corpus made by kws synth in --out')
    .option('--quiet', 'no progress bar and no summary')
    .action(async (opts: SynthCliOptions) => {
      const { synthesize } = await import('../../synth/synthesize.js');
      const { ENGINES } = await import('../../synth/voices.js');
      const engines = listOf(opts.engines) as Engine[] | undefined;
      for (const e of engines ?? [])
        if (!ENGINES.includes(e)) throw new ConfigError(`--engines: unknown engine "${e}" (${ENGINES.join(', ')})`);
      if (engines && engines.length === 0) throw new ConfigError(`--engines: name at least one engine (${ENGINES.join(', ')})`);
      const progress = progressPrinter({ quiet: opts.quiet });
      const started = Date.now();
      try {
        const summary = await synthesize({
          keywords: listOf(opts.keywords) ?? [],
          outDir: opts.out,
          perWord: number('per-word', opts.perWord),
          seed: number('seed', opts.seed),
          unknownWords: listOf(opts.unknownWords),
          unknownCount: number('unknown-count', opts.unknownCount),
          silenceCount: number('silence-count', opts.silenceCount),
          jobs: number('jobs', opts.jobs),
          clipSec: number('clip-sec', opts.clipSec),
          backgroundSec: number('background-sec', opts.backgroundSec),
          validationPercent: number('validation-percent', opts.validationPercent),
          testingPercent: number('testing-percent', opts.testingPercent),
          voices: listOf(opts.voices),
          engines,
          augment: opts.augment,
          force: opts.force,
          onProgress: (done, total) => progress.onProgress(SYNTH_STEP, done, total),
        });
        progress.end();
        if (!opts.quiet) {
          const sec = (Date.now() - started) / 1000;
          const clips = Object.values(summary.counts).reduce((n, c) => n + c.train + c.validation + c.test, 0);
          const speakers = `${summary.speakers.train.length}/${summary.speakers.validation.length}/${summary.speakers.test.length}`;
          process.stdout.write(
            `wrote ${clips} clips of ${summary.clipSec} s to ${opts.out} in ${sec.toFixed(1)} s (${(clips / sec).toFixed(1)} clips/s) with ${summary.engines.join(', ')}; ` +
              `speakers train/validation/test ${speakers}; details in ${opts.out}/synth.json\n`,
          );
        }
      } finally {
        progress.end();
      }
    });
}
