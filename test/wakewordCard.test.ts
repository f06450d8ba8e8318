/** The wake-word card's text from a model's kws.json and its saved benchmark (no training run). */
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { loadModelConfig } from '../src/model/kwsJson';
import { wakewordModelCard } from '../src/cards/wakewordCard';
import { WakewordReport } from '../src/eval/wakewordBench';
import { MINING_HEADING } from '../src/cards/miningCard';

const root = path.resolve(__dirname, '..');
const dir = path.join(root, 'models', 'wakewords');
const shipped = loadModelConfig(dir);
const report = JSON.parse(fs.readFileSync(path.join(dir, 'wakeword-benchmark.json'), 'utf8')) as WakewordReport;
const card = (config = shipped) =>
  wakewordModelCard({
    models: [
      { name: 'real + synthesized', config, report },
      { name: 'real only', config: { ...config, metrics: {} }, report },
    ],
    command: 'npm run train:wakewords',
    synthCommands: [],
    seconds: null,
    figures: [],
    root,
    ablationDir: 'data/ablation',
  });
const NOT_MINED = 'The ablation models are not mined: the like-for-like row of the shipped recipe is round 0 of the mining table';

describe('wake-word card', () => {
  it('says the ablation rows compare with round 0 when a mined round was shipped, and not otherwise', () => {
    const mining = shipped.metrics!.mining!;
    const withRound = (round: number) => ({ ...shipped, metrics: { ...shipped.metrics, mining: { ...mining, shipped: round } } });
    expect(card(withRound(1)))
      .to.include(NOT_MINED)
      .and.include(`## ${MINING_HEADING}`);
    expect(card(withRound(1)), 'the shipped row says which round of how many').to.include(
      `| real + synthesized (shipped: mining round 1 of ${mining.rounds.length - 1}, the round validation chose) |`,
    );
    expect(card(withRound(0))).to.not.include(NOT_MINED);
    expect(card(withRound(0))).to.include('| real + synthesized (shipped: mining round 0 of');
    expect(card({ ...shipped, metrics: { ...shipped.metrics, mining: undefined } }))
      .to.include('| real + synthesized (shipped) |')
      .and.not.include(NOT_MINED)
      .and.not.include(MINING_HEADING);
  });

  it('gives the benchmark per keyword and on average, beside the published anchors', () => {
    const text = card();
    for (const k of shipped.keywords) expect(text).to.match(new RegExp(`^\\| ${k} \\| [\\d.]+ % \\|`, 'm'));
    expect(text).to.match(/^\| \*\*average\*\* \| \*\*[\d.]+ %\*\* \|/m);
    expect(text).to.include('Porcupine 2.7 %');
  });
});
