/**
 * Reproduces models/default in one command (`npm run train:default`):
 *   1. kws synth — two small synthesized corpora (skipped when already there):
 *        data/synth-small  more voices for the ten keywords and their sound-alikes (espeak-ng, flite)
 *        data/synth-talk   15 min of keyword-free synthesized sentences (training voices only)
 *   2. kws train — real Speech Commands speakers ($KWS_DATA/speech_commands; validation = its
 *      validation speakers, who choose the best epoch and the thresholds) + synth-small, with real
 *      noise, LibriSpeech by speaker and synth-talk as running speech → models/default
 *   3. kws eval  — the real test speakers, and a 1 h stream of them with held-out LibriSpeech
 *      speakers and real noise: figures into kws.json, confusion.svg, det.svg, eval.json
 *   4. the model card models/default/README.md (src/cards/modelCard.ts, from kws.json)
 * Takes about 60 minutes on 2 cores (wasm backend). `--eval-only` redoes 3–4, `--card-only` just 4.
 * Needs the real data folder ($KWS_DATA, default ../shared/data; see ../shared/README.md).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { EvalReport } from '../src/eval/evaluate';
import { writeModelCard } from '../src/cards/modelCard';
import { dataPath, DATA_ROOT_ENV } from '../src/data/dataRoot';

const root = path.resolve(__dirname, '..');
const KEYWORDS = 'yes,no,up,down,left,right,on,off,stop,go';
const OUT = 'models/default';
const ENGINES = 'espeak-ng,flite';
const REAL = { commands: dataPath('speech_commands'), noise: dataPath('noise'), speech: dataPath('librispeech') };

/** The synthesized corpora: where, and the kws synth flags that make them. */
const CORPORA = {
  'data/synth-small': ['--per-word', '200', '--unknown-count', '600', '--silence-count', '100', '--seed', '2'],
  'data/synth-talk': ['--per-word', '0', '--unknown-count', '0', '--silence-count', '0', '--background-sec', '900', '--seed', '3'],
};
const [SMALL, TALK] = Object.keys(CORPORA);

// Order 16 × one memory channel per MFCC (20), 128 ReLU hidden, 64 ReLU head: the best of the trials
// in docs/model-trials.md under the ≤ 100 k parameter and ≤ 30 µs per step budget.
const TRAIN = [
  'train',
  ...['--data', REAL.commands, '--data', SMALL, '--negatives', TALK],
  ...['--noise', REAL.noise, '--speech', REAL.speech],
  ...['--out', OUT, '--keywords', KEYWORDS],
  ...['--order', '16', '--memory-d', '20', '--hidden', '128', '--hidden-activation', 'relu', '--head', '64', '--dropout', '0.1'],
  ...['--epochs', '18', '--patience', '6', '--unknown-percent', '20'],
  ...['--noise-prob', '0.6', '--snr', '0,20', '--speed-prob', '0.3', '--time-masks', '1', '--freq-masks', '1'],
  ...['--speech-before-prob', '0.5', '--running-speech-percent', '25'],
  // operating point: one false alarm per keyword per hour on the validation stream (10 in all)
  ...['--threshold-minutes', '60', '--fa-per-hour', '10', '--seed', '1'],
];
const EVAL = ['eval', '--model', OUT, '--data', REAL.commands, '--noise', REAL.noise, '--speech', REAL.speech, '--minutes', '60', '--json'];

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

/** Each corpus once: an existing one is used only if the same kws synth flags made it (a stale one would train another model). */
function synthesize(): void {
  for (const [dir, flags] of Object.entries(CORPORA)) {
    const summary = path.join(root, dir, 'synth.json');
    if (!fs.existsSync(summary)) {
      kws(['synth', '--keywords', KEYWORDS, '--out', dir, '--engines', ENGINES, ...flags]);
      continue;
    }
    const made = JSON.parse(fs.readFileSync(summary, 'utf8'));
    const seed = Number(flags[flags.indexOf('--seed') + 1]);
    const perWord = Number(flags[flags.indexOf('--per-word') + 1]);
    if (made.seed !== seed || made.perWord !== perWord) {
      throw new Error(`${dir} was made by another kws synth run (per-word ${made.perWord}, seed ${made.seed}): delete it to re-synthesize`);
    }
    process.stderr.write(`using the existing corpus ${dir} (delete it to re-synthesize)\n`);
  }
}

async function main(): Promise<void> {
  for (const dir of Object.values(REAL)) {
    if (!fs.existsSync(dir)) throw new Error(`${dir}: missing — models/default trains on the real data folder (set ${DATA_ROOT_ENV})`);
  }
  if (process.argv.includes('--eval-only') || process.argv.includes('--card-only')) {
    process.stderr.write(`measuring the ${OUT} already there (e.g. after kws thresholds)\n`);
  } else {
    synthesize();
    kws(TRAIN);
  }
  if (!process.argv.includes('--card-only')) {
    // kws eval records its figures in kws.json (the card reads them there); eval.json keeps the whole report.
    const report = JSON.parse(kws(EVAL, true)) as EvalReport;
    fs.writeFileSync(path.join(root, OUT, 'eval.json'), JSON.stringify({ ...report, model: OUT }, null, 2) + '\n');
  }
  const small = JSON.parse(fs.readFileSync(path.join(root, SMALL, 'synth.json'), 'utf8'));
  await writeModelCard(path.join(root, OUT), {
    title: 'models/default — ten command words, trained on real speakers and synthesized voices',
    summary:
      `Spots the ten Speech Commands words (${KEYWORDS.replace(/,/g, ', ')}) in a 16 kHz stream. ` +
      'Trained on the real Speech Commands v0.02 speakers of the shared data folder (1 738 clips), more voices synthesized by `kws synth` ' +
      '(espeak-ng and flite), real background noise, and running speech to stay quiet on (LibriSpeech training speakers and synthesized ' +
      'sentences, also spoken just before keywords). Every figure below is measured on real speakers it never heard.',
    data: [
      '- Real recordings (read in place from `$KWS_DATA`, not shipped; credited below): the Speech Commands speakers split by its own ' +
        'validation and test lists, so no speaker is in two splits; LibriSpeech split by speaker: 60 % training speech, 20 % the validation ' +
        'stream, 20 % the test stream.',
      `- \`kws synth\` corpus ${SMALL} (${small.generator}, seed ${small.seed}): ${small.perWord} clips per keyword, _unknown_ sound-alikes ` +
        `and common words, noise-only _silence_, training voices only; ${TALK}: 15 min of keyword-free sentences by the training voices.`,
      '- Validation (best epoch, thresholds): the real validation speakers only; synthesized validation voices are not used.',
    ],
    reproduce: 'npm run train:default',
    caveats: [
      'The test set is small (392 clips by 20 speakers): a clip-accuracy figure is ± about 4 points (two standard errors).',
      'The detection stream is composed from the test clips, non-keyword speech of held-out LibriSpeech speakers and real noise at 5–20 dB SNR; ' +
        'it is not a recording of a real environment. A keyword taken for another keyword counts as a false alarm.',
      `The thresholds aim at 10 false alarms per hour in all on the validation stream; \`kws thresholds --model ${OUT} --data $KWS_DATA/speech_commands ` +
        '--noise $KWS_DATA/noise --speech $KWS_DATA/librispeech --fa-per-hour N` picks another operating point without retraining.',
    ],
  });
  process.stderr.write(`\nwrote ${OUT}/README.md\n`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
