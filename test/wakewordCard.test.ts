/** The wake-word card's text from a model's kws.json and its saved benchmark (no training run). */
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { loadModelConfig } from '../src/model/kwsJson';
import { splitLine, targetLine, wakewordModelCard } from '../src/cards/wakewordCard';
import { readSplitGroupsFile } from '../src/data/splitGroups';
import { WakewordReport } from '../src/eval/wakewordBench';
import { MINING_HEADING } from '../src/cards/miningCard';

const root = path.resolve(__dirname, '..');
const dir = path.join(root, 'models', 'wakewords');
const shipped = loadModelConfig(dir);
const report = JSON.parse(fs.readFileSync(path.join(dir, 'wakeword-benchmark.json'), 'utf8')) as WakewordReport;
const card = (config = shipped, synthCommands: string[] = []) =>
  wakewordModelCard({
    models: [
      { name: 'real + synthesized', config, report },
      { name: 'real only', config: { ...config, metrics: {} }, report },
    ],
    command: 'npm run train:wakewords',
    synthCommands,
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

  it('names the synthesized wake words among the training data only when the shipped model trained on them', () => {
    const commands = ['kws synth --out data/wakeword-negatives', 'kws synth --out data/wakeword-synth'];
    const trainedOn = (extraData: string[]) => card({ ...shipped, training: { ...shipped.training, extraData } }, commands);
    expect(trainedOn([path.join(root, 'data/wakeword-synth')])).to.include(
      '- **Synthesized wake words** (data/wakeword-synth) and **Negatives** (',
    );
    expect(trainedOn([path.join(root, 'data/wakeword-synth')])).to.match(
      /^# models\/wakewords — six wake words, trained on real recordings and synthesized speech$/m,
    );
    const realOnly = trainedOn([]);
    expect(realOnly).to.match(/^# models\/wakewords — six wake words, trained on real recordings$/m);
    expect(realOnly).to.not.include('**Synthesized wake words**');
    expect(realOnly).to.include("and the ablation's synthesized wake words, made by:");
    expect(card({ ...shipped, training: { ...shipped.training, extraData: [] } }, commands.slice(0, 1))).to.not.include("the ablation's");
  });

  it('says whether the target (at most 10 % missed at 0.5 FA/h, 10 dB) is met', () => {
    expect(targetLine(0.1)).to.match(/this model: \*\*10\.0 %\*\*, met\.$/);
    expect(targetLine(0.159)).to.match(/this model: \*\*15\.9 %\*\*, missed\.$/);
    expect(targetLine(null)).to.include('not measured');
    expect(targetLine(undefined)).to.include('not measured');
  });

  it("gives each ablation row's epoch budget, and says so when the rows' budgets differ", () => {
    const best = shipped.training!.bestEpoch;
    const budget = shipped.training!.config!.epochs;
    expect(card()).to.include(`| ${best} of ${budget} |`);
    expect(card()).to.not.include('Not like for like in training length');
    const longer = { ...shipped, training: { ...shipped.training, config: { ...shipped.training!.config, epochs: 40 } } };
    const mixed = wakewordModelCard({
      models: [
        { name: 'real only', config: longer, report },
        { name: 'synthesized only', config: shipped, report },
      ],
      command: 'npm run train:wakewords -- --epochs 40 --keep-trained',
      synthCommands: [],
      seconds: null,
      figures: [],
      root,
      ablationDir: 'data/ablation',
    });
    expect(mixed).to.include(`| ${best} of 40 |`).and.include(`trained for 40 (real only), ${budget} (synthesized only) epochs at most`);
  });

  it('says how the real recordings were split, and what stays optimistic either way', () => {
    const without = splitLine({});
    expect(without).to.include("of each file's path").and.include('**Copies of one take under other names');
    const groups = readSplitGroupsFile(path.join(root, 'splits', 'wakewords.json'));
    const withGroups = splitLine({
      groups: 'splits/wakewords.json',
      warnings: ['281 copies of recordings skipped, each take kept once (/x/splits/wakewords.json)'],
    });
    expect(withGroups)
      .to.include("of each recording's group in `splits/wakewords.json`")
      .and.include('281 copies of a take under other names')
      .and.include(`; ${groups.sameSpeaker.length} runs of consecutively numbered files`)
      .and.include('a speaker can still have takes in training and in test');
    expect(splitLine({ groups: '/nowhere/groups.json' }), 'a groups file not at hand leaves out what it cannot count').to.not.include(
      'runs of',
    );
  });

  it('names the ablation among what the command reproduces only when the build trained it', () => {
    const build = (models: { name: string; config: typeof shipped; report: WakewordReport }[]) =>
      wakewordModelCard({
        models,
        command: 'npm run train:wakewords',
        synthCommands: [],
        seconds: null,
        figures: [],
        root,
        ablationDir: 'a',
      });
    expect(card()).to.include('Reproduce everything (corpora, this model, the ablation, this card)');
    expect(build([{ name: 'real only', config: shipped, report }])).to.include('Reproduce everything (corpora, this model, this card)');
  });

  it('reads a benchmark saved before the 0.5 FA/h budget existed as n/a there', () => {
    const old = {
      ...report,
      results: report.results.map((r) => ({
        ...r,
        average: { missAt1FaPerHour: 0.2, missAt1FaPer10Hours: 0.3 },
        perKeyword: Object.fromEntries(
          Object.keys(r.perKeyword).map((k) => [k, { inserted: 9, missAt1FaPerHour: 0.2, missAt1FaPer10Hours: 0.3 }]),
        ),
      })),
    };
    const text = wakewordModelCard({
      models: [{ name: 'old', config: shipped, report: old }],
      command: 'x',
      synthCommands: [],
      seconds: null,
      figures: [],
      root,
      ablationDir: 'a',
    });
    expect(text).to.include(`| ${shipped.keywords[0]} | 20.0 % | n/a | 30.0 % |`);
  });
});
