/**
 * Reproduces models/default in one command (`npm run train:default`):
 *   1. kws synth  — the synthesized corpus in data/synth-default (skipped when it is already there)
 *   2. kws train  — the model directory models/default (thresholds chosen on validation)
 *   3. kws eval   — test-split figures into kws.json, confusion.svg, det.svg, eval.json (the full report)
 *   4. the model card models/default/README.md (src/cards/modelCard.ts, from kws.json) with this
 *      script's text about the corpus
 * Takes about 40 minutes on 2 cores (synthesis ≈ 4 min; training ≈ 80 s per epoch on one core,
 * wasm backend; thresholds and evaluation on 10 h streams ≈ 8 min). `--eval-only` redoes 3–4,
 * `--card-only` just 4.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { EvalReport } from '../src/eval/evaluate';
import { writeModelCard } from '../src/cards/modelCard';

const root = path.resolve(__dirname, '..');
const KEYWORDS = 'yes,no,up,down,left,right,on,off,stop,go';
const DATA = 'data/synth-default';
const OUT = 'models/default';
const PER_WORD = 1000;
/**
 * The engines the shipped model's corpus was made with (it predates gnuspeech), by name: kws
 * synth's default is the engines installed, so naming none would make another corpus.
 */
const ENGINES = 'espeak-ng,flite';
const SYNTH = [
  'synth',
  '--keywords',
  KEYWORDS,
  '--out',
  DATA,
  '--per-word',
  String(PER_WORD),
  '--unknown-count',
  '5000',
  '--silence-count',
  '1000',
  '--seed',
  '1',
  '--engines',
  ENGINES,
];
// Small and cheap per frame (≈ 17 k multiply-adds per 10 ms step, no ReLU head): the streaming
// step must stay ≤ 10 µs for the whole pipeline to run ≥ 500× real time on one core.
const TRAIN = [
  'train',
  '--data',
  DATA,
  '--out',
  OUT,
  '--epochs',
  '20',
  '--patience',
  '6',
  '--order',
  '16',
  '--memory-d',
  '8',
  '--hidden',
  '96',
  '--hidden-activation',
  'relu',
  '--head',
  '0',
  '--unknown-percent',
  '50',
  // the shipped model predates the word-span target (docs/model-trials.md r13): no loss there
  '--word-span-weight',
  '0',
  '--seed',
  '1',
  // operating point: one false alarm per keyword per hour on the validation stream (10 in all)
  '--fa-per-hour',
  '10',
];
const EVAL = ['eval', '--model', OUT, '--data', DATA, '--minutes', '600', '--json'];

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

/** An existing corpus is used only if it is the one SYNTH makes (a stale one would train another model). */
function checkCorpus(): void {
  const summary = JSON.parse(fs.readFileSync(path.join(root, DATA, 'synth.json'), 'utf8'));
  const tsvHeader = fs.readFileSync(path.join(root, DATA, 'synth_clips.tsv'), 'utf8').split('\n', 1)[0];
  const engines = (summary.engines ?? []).join(',');
  if (summary.perWord !== PER_WORD || summary.seed !== 1 || engines !== ENGINES || !tsvHeader.includes('word_start_sec')) {
    throw new Error(
      `${DATA} was made by another kws synth run (per-word ${summary.perWord}, seed ${summary.seed}, engines ${engines || 'unknown'}${tsvHeader.includes('word_start_sec') ? '' : ', no word spans'}): delete it to re-synthesize`,
    );
  }
  process.stderr.write(`using the existing corpus ${DATA} (delete it to re-synthesize)\n`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--eval-only') || process.argv.includes('--card-only')) {
    process.stderr.write(`--eval-only: measuring the ${OUT} already there (e.g. after kws thresholds)\n`);
  } else {
    if (!fs.existsSync(path.join(root, DATA, 'synth.json'))) kws(SYNTH);
    else checkCorpus();
    kws(TRAIN);
  }
  if (!process.argv.includes('--card-only')) {
    // kws eval records its figures in kws.json (the card reads them there); eval.json keeps the whole report.
    const report = JSON.parse(kws(EVAL, true)) as EvalReport;
    fs.writeFileSync(path.join(root, OUT, 'eval.json'), JSON.stringify({ ...report, model: OUT, data: DATA }, null, 2) + '\n');
  }
  const synth = JSON.parse(fs.readFileSync(path.join(root, DATA, 'synth.json'), 'utf8'));
  await writeModelCard(path.join(root, OUT), {
    title: 'models/default — ten command words, trained on synthesized speech',
    summary:
      `Spots the ten Speech Commands words (${KEYWORDS.replace(/,/g, ', ')}) in a 16 kHz stream. ` +
      '**It was trained only on synthesized speech** (espeak-ng and flite voices made by `kws synth`), not on recordings of people; ' +
      'expect lower accuracy on real voices, rooms and microphones than the figures below. For real speech, train on recordings ' +
      '(`kws train --data <Speech Commands folder>`), or see models/wakewords, which was trained on real people.',
    data: [
      `- \`kws synth\` corpus (${synth.generator}, seed ${synth.seed}, ${synth.toolVersions['espeak-ng']}; ${synth.toolVersions.flite}): ` +
        `${synth.perWord} clips per keyword, _unknown_ from ${synth.unknownWords.similar.length} sound-alikes and ${synth.unknownWords.common.length} common words, noise-only _silence_, augmented as recorded in synth.json.`,
      `- Split by speaker: validation speakers ${synth.speakers.validation.join(', ')}; test speakers ${synth.speakers.test.join(', ')} — none of them in training.`,
      '- No recordings of people were used, so none are credited.',
    ],
    reproduce: 'npm run train:default',
    caveats: [
      'Test voices are synthetic voices never seen in training; real speakers differ more from each other and from these voices.',
      "The detection stream is composed from the test split, non-keyword speech and the corpus's background noise at 5–20 dB SNR; it is not a recording of a real environment.",
      'The stream is hard: 60 % of the inserted words are not keywords, many of them sound-alikes ("ago", "lift", "of", "top"), and a keyword taken for another keyword counts as a false alarm. ' +
        'Most false alarms are such confusions, so the false-reject rate stays high at low false-alarm rates (see the DET curve for every operating point).',
      'The thresholds aim at 10 false alarms per hour in all (one per keyword per hour) on the validation stream; `kws thresholds --model models/default --data data/synth-default --unknown-percent 50 --fa-per-hour N` picks another operating point without retraining.',
    ],
  });
  process.stderr.write(`\nwrote ${OUT}/README.md\n`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
