/**
 * Reproduces models/default in one command (`npm run train:default`), on the recipe of
 * docs/model-trials.md (r21: r15 with quieter gains on an 80-epoch schedule, 128 hidden units at rank 48):
 *   1. kws synth  — keyword-free synthesized sentences in data/synth-talk (running speech to stay
 *                   quiet on; skipped when the same corpus is already there)
 *   2. kws train  — real Speech Commands speakers ($KWS_DATA/speech_commands, split by speaker),
 *                   running speech (LibriSpeech training speakers + data/synth-talk), real noise →
 *                   models/default; real validation speakers choose the best epoch and thresholds
 *   3. kws eval   — the real test speakers: figures into kws.json, confusion.svg, det.svg, eval.json
 *   4. the ablation (skipped with --no-ablation): the same recipe with synthesized speech only
 *                   (data/synth-commands, three engines; no recording of a person) →
 *                   data/ablation/default-synth-only, measured on the same real test speakers —
 *                   the figure a user without recordings gets
 *   5. the model card models/default/README.md (src/cards/modelCard.ts, from kws.json)
 * About 45 minutes on 2 cores (wasm backend), 25 more with the ablation. `--eval-only` redoes 3–5
 * on the trained model, `--card-only` just 5.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { EvalReport } from '../src/eval/evaluate';
import { writeModelCard } from '../src/cards/modelCard';
import { CardSection, EvalFigures } from '../src/model/records';
import { KwsModelConfig, loadModelConfig } from '../src/model/kwsJson';
import { dataPath, shownDataPath } from '../src/data/dataRoot';

const root = path.resolve(__dirname, '..');
const KEYWORDS = 'yes,no,up,down,left,right,on,off,stop,go';
const OUT = 'models/default';
const ABLATION = 'data/ablation/default-synth-only';
const TALK = 'data/synth-talk';
const SYNTH_COMMANDS = 'data/synth-commands';
const real = (dir: string) => path.relative(root, dataPath(dir));
const COMMANDS = real('speech_commands');
const NOISE = real('noise');
const SPEECH = real('librispeech');

/** 15 minutes of keyword-free sentences in the training voices of espeak-ng and flite (no clips). */
const SYNTH_TALK = ['synth', '--keywords', KEYWORDS, '--out', TALK, '--per-word', '0', '--unknown-count', '0', '--silence-count', '0'];
SYNTH_TALK.push('--background-sec', '900', '--seed', '3', '--engines', 'espeak-ng,flite');
/** The ablation's keyword corpus: every engine, 300 clips per keyword (as many as the real data has in all). */
const SYNTH_KEYWORDS = ['synth', '--keywords', KEYWORDS, '--out', SYNTH_COMMANDS, '--per-word', '300', '--unknown-count', '1500'];
SYNTH_KEYWORDS.push('--silence-count', '300', '--seed', '1', '--engines', 'espeak-ng,flite,gnuspeech');

/**
 * The network and how it learns (docs/model-trials.md): a memory channel per MFCC (r6), 128 hidden
 * units through a rank-48 kernel to stay within 30 µs per step (r21), the word-span target (r13),
 * running speech targeted "no keyword" and speech just before half the words (r15); real noise at
 * 0–20 dB, gain −30…6 dB so that quiet speech fires too (r19), speed perturbation and one time +
 * one coefficient mask, for 80 epochs (r20).
 */
const RECIPE = [
  ...['--keywords', KEYWORDS, '--order', '16', '--memory-d', '20', '--hidden', '128', '--hidden-rank', '48', '--hidden-activation', 'relu'],
  ...['--head', '64', '--dropout', '0.1', '--epochs', '80', '--patience', '24', '--unknown-percent', '20'],
  ...['--noise-prob', '0.6', '--snr', '0,20', '--gain', '-30,6', '--speed-prob', '0.3', '--time-masks', '1', '--freq-masks', '1'],
  ...['--word-span-weight', '0.3', '--running-speech-percent', '25', '--speech-before-prob', '0.5', '--seed', '1'],
  // operating point: one false alarm per keyword per hour (10 in all) on an hour of validation stream
  ...['--threshold-minutes', '60', '--fa-per-hour', '10'],
];
const TRAIN = ['train', '--data', COMMANDS, '--negatives', TALK, '--noise', NOISE, '--speech', SPEECH, ...RECIPE, '--out', OUT];
/** No recording of a person: synthesized keywords and sentences; the noise recordings hold no speech. */
const TRAIN_SYNTH_ONLY = ['train', '--data', SYNTH_COMMANDS, '--negatives', TALK, '--noise', NOISE, ...RECIPE, '--out', ABLATION];
/** Both models on the same real test speakers, held-out LibriSpeech speakers and real noise. */
const evalArgs = (model: string) => ['eval', '--model', model, '--data', COMMANDS, '--noise', NOISE, '--speech', SPEECH];
const EVAL_MINUTES = ['--minutes', '60', '--json'];

const noAblation = process.argv.includes('--no-ablation');

function kws(args: string[], capture = false): string {
  process.stderr.write(`\n$ kws ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [path.join(root, 'bin/kws.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`kws ${args[0]} failed (exit ${r.status})`);
  return r.stdout ?? '';
}

/** An existing corpus is used only if it is the one `argv` makes (a stale one would train another model). */
function synthesizeOnce(argv: string[]): void {
  const dir = argv[argv.indexOf('--out') + 1];
  const file = path.join(root, dir, 'synth.json');
  if (!fs.existsSync(file)) {
    kws(argv);
    return;
  }
  const made = JSON.parse(fs.readFileSync(file, 'utf8'));
  const want = (flag: string) => argv[argv.indexOf(flag) + 1];
  const engines = (made.engines ?? []).join(',');
  if (String(made.perWord) !== want('--per-word') || String(made.seed) !== want('--seed') || engines !== want('--engines')) {
    throw new Error(
      `${dir} was made by another kws synth run (per-word ${made.perWord}, seed ${made.seed}, engines ${engines || 'unknown'}): delete it to re-synthesize`,
    );
  }
  process.stderr.write(`using the existing corpus ${dir} (delete it to re-synthesize)\n`);
}

/** `kws eval` of `model` on the real test speakers; the whole report is kept in its eval.json. */
function evaluate(model: string): void {
  const report = JSON.parse(kws([...evalArgs(model), ...EVAL_MINUTES, '--figures', model], true)) as EvalReport;
  fs.writeFileSync(
    path.join(root, model, 'eval.json'),
    JSON.stringify({ ...report, model, data: shownDataPath(COMMANDS) }, null, 2) + '\n',
  );
}

/** The synthesized-only model's figures, kept beside the shipped model (data/ is not committed). */
const ABLATION_RECORD = path.join(OUT, 'synth-only.json');

interface AblationRecord {
  command: string;
  bestEpoch: number | null;
  /** At the kept epoch: a sample of its (synthesized) training clips and its synthetic validation voices. */
  trainAccuracy: number | null;
  validationAccuracy: number | null;
  /** On the real test speakers. */
  test: Pick<EvalFigures, 'clips' | 'accuracy' | 'frr' | 'faPerHour' | 'streamHours'>;
}

/** Copies the figures the card needs from the ablation model's kws.json into ABLATION_RECORD. */
function recordAblation(): void {
  const c = loadModelConfig(path.join(root, ABLATION));
  const t = c.metrics?.eval?.test;
  if (!t) throw new Error(`${ABLATION}: no test figures in its kws.json (run npm run train:default -- --eval-only)`);
  const kept = c.training?.history?.find((h) => h.epoch === c.training?.bestEpoch);
  const record: AblationRecord = {
    command: `kws ${TRAIN_SYNTH_ONLY.join(' ')}`,
    bestEpoch: c.training?.bestEpoch ?? null,
    trainAccuracy: kept?.trainAccuracy ?? null,
    validationAccuracy: kept?.valAccuracy ?? null,
    test: { clips: t.clips, accuracy: t.accuracy, frr: t.frr, faPerHour: t.faPerHour, streamHours: t.streamHours },
  };
  fs.writeFileSync(path.join(root, ABLATION_RECORD), JSON.stringify(record, null, 2) + '\n');
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(1)} %`);

/** The card section on the synthesized-only model, from ABLATION_RECORD (absent: says it was not run). */
function ablationSection(shipped: KwsModelConfig): CardSection {
  const heading = 'Synthesized speech only (no recordings)';
  if (!fs.existsSync(path.join(root, ABLATION_RECORD))) {
    return { heading, lines: ['Not run for this build (`npm run train:default` without `--no-ablation` runs it).'] };
  }
  const a = JSON.parse(fs.readFileSync(path.join(root, ABLATION_RECORD), 'utf8')) as AblationRecord;
  const main = shipped.metrics?.eval?.test;
  const training = shipped.training;
  const shippedKept = training?.history?.find((h) => h.epoch === training?.bestEpoch);
  return {
    heading,
    lines: [
      'The same recipe and network trained with no recording of a person — the model a user who has only a list of words gets:',
      `\`kws ${SYNTH_KEYWORDS.join(' ')}\` (espeak-ng, flite and gnuspeech voices) for the keywords and \`_unknown_\`, data/synth-talk for running speech, the same noise recordings; its synthetic validation voices chose its best epoch and thresholds.`,
      '',
      '| training speech | train clip accuracy | validation | test (real speakers) | test FRR | test false alarms per hour | best epoch |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...(main
        ? [
            `| real + synthesized sentences (this model) | ${pct(shippedKept?.trainAccuracy)} | ${pct(shippedKept?.valAccuracy)} (real) | ${pct(main.accuracy)} | ${pct(main.frr)} | ${main.faPerHour.toFixed(1)} | ${training?.bestEpoch ?? '—'} |`,
          ]
        : []),
      `| synthesized only | ${pct(a.trainAccuracy)} | ${pct(a.validationAccuracy)} (synthetic voices) | ${pct(a.test.accuracy)} | ${pct(a.test.frr)} | ${a.test.faPerHour.toFixed(1)} | ${a.bestEpoch ?? '—'} |`,
      '',
      `Test figures on the same ${a.test.clips} real test clips and ${a.test.streamHours.toFixed(1)} h test stream. The synthesized-only model is not shipped (its figures are kept in ${path.basename(ABLATION_RECORD)}); \`${a.command}\` makes it (${ABLATION}).`,
    ],
  };
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(root, COMMANDS))) {
    throw new Error(`${COMMANDS}: the real Speech Commands clips are not there (set KWS_DATA to the data folder; see README.md)`);
  }
  const evalOnly = process.argv.includes('--eval-only') || process.argv.includes('--card-only');
  if (evalOnly) process.stderr.write(`--eval-only: measuring the ${OUT} already there (e.g. after kws thresholds)\n`);
  else {
    synthesizeOnce(SYNTH_TALK);
    kws(TRAIN);
    if (!noAblation) {
      synthesizeOnce(SYNTH_KEYWORDS);
      kws(TRAIN_SYNTH_ONLY);
    }
  }
  if (!process.argv.includes('--card-only')) {
    evaluate(OUT);
    if (!noAblation) {
      evaluate(ABLATION);
      recordAblation();
    }
  }
  await writeModelCard(path.join(root, OUT), {
    title: 'models/default — ten command words, trained on real speakers',
    summary:
      `Spots the ten Speech Commands words (${KEYWORDS.replace(/,/g, ', ')}) in a 16 kHz stream. ` +
      'Trained on real Speech Commands speakers, real read speech and real noise, with synthesized sentences for more running speech; ' +
      'every figure below is measured on real speakers it never heard.',
    data: [
      `- Keywords, \`_unknown_\` words and \`_silence_\`: real Speech Commands v0.02 clips (${shownDataPath(COMMANDS)}), split by speaker with the dataset's own validation_list.txt and testing_list.txt: no speaker is in two splits.`,
      `- Running speech: LibriSpeech read speech (${shownDataPath(SPEECH)}), split by speaker — training sequences hear the training speakers only, the test stream the held-out ones — and 15 minutes of keyword-free synthesized sentences (\`kws ${SYNTH_TALK.join(' ')}\`, training voices).`,
      `- Noise: the Speech Commands background recordings (${shownDataPath(NOISE)}), at 0–20 dB during training.`,
    ],
    sections: [ablationSection(loadModelConfig(path.join(root, OUT)))],
    reproduce: 'npm run train:default',
    caveats: [
      'Speech Commands clips are one word each, recorded by volunteers on their own microphones; the fixtures (fixtures/manifest.json) check the words inside synthesized sentences.',
      'The test stream is composed from the test speakers, held-out LibriSpeech speakers and real noise; LibriSpeech has no word transcripts here, so a keyword really said there (e.g. "right") counts as a false alarm.',
      `The thresholds aim at 10 false alarms per hour in all (one per keyword per hour) on the validation stream; \`kws thresholds --model ${OUT} --data ${shownDataPath(COMMANDS)} --fa-per-hour N\` picks another operating point without retraining.`,
    ],
  });
  process.stderr.write(`\nwrote ${OUT}/README.md\n`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
