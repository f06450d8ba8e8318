/**
 * Reproduces models/default in one command (`npm run train:default`):
 *   1. kws synth  — the synthesized corpus in data/synth-default (skipped when it is already there)
 *   2. kws train  — the model directory models/default (thresholds chosen on validation)
 *   3. kws eval   — test-split figures, confusion.svg, det.svg, eval.json
 *   4. the model card models/default/README.md, written from kws.json + eval.json
 * Takes about 35 minutes on 2 cores (training ≈ 90 s per epoch on one core, wasm backend).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { loadModelConfig } from '../src/pipeline/modelConfig';
import { EvalReport } from '../src/train/evaluate';
import { modelCard } from '../src/train/modelCard';

const root = path.resolve(__dirname, '..');
const KEYWORDS = 'yes,no,up,down,left,right,on,off,stop,go';
const DATA = 'data/synth-default';
const OUT = 'models/default';
const SYNTH = ['synth', '--keywords', KEYWORDS, '--out', DATA, '--per-word', '600', '--unknown-count', '3000', '--silence-count', '600', '--seed', '1'];
const TRAIN = ['train', '--data', DATA, '--out', OUT, '--epochs', '16', '--patience', '6', '--order', '32', '--memory-d', '8',
  '--hidden', '128', '--head', '64', '--unknown-percent', '30', '--seed', '1'];
const EVAL = ['eval', '--model', OUT, '--data', DATA, '--minutes', '120', '--json'];

function kws(args: string[], capture = false): string {
  process.stderr.write(`\n$ kws ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [path.join(root, 'bin/kws.js'), ...args], {
    cwd: root, encoding: 'utf8', stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`kws ${args[0]} failed (exit ${r.status})`);
  return r.stdout ?? '';
}

function main(): void {
  if (!fs.existsSync(path.join(root, DATA, 'synth.json'))) kws(SYNTH);
  else process.stderr.write(`using the existing corpus ${DATA} (delete it to re-synthesize)\n`);
  kws(TRAIN);
  const report = JSON.parse(kws(EVAL, true)) as EvalReport;
  fs.writeFileSync(path.join(root, OUT, 'eval.json'), JSON.stringify({ ...report, model: OUT, data: DATA }, null, 2) + '\n');
  const synth = JSON.parse(fs.readFileSync(path.join(root, DATA, 'synth.json'), 'utf8'));
  const config = loadModelConfig(path.join(root, OUT));
  const card = modelCard(config, report, {
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
      'The detection stream is composed from the test split, non-keyword speech and the corpus\'s background noise at 5–20 dB SNR; it is not a recording of a real environment.',
      'False alarms per hour are counted over all ten keywords together; FRR is the mean over keywords.',
    ],
  });
  fs.writeFileSync(path.join(root, OUT, 'README.md'), card);
  process.stderr.write(`\nwrote ${OUT}/README.md\n`);
}

main();
