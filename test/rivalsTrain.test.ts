/**
 * The rivals through the whole harness, on a tiny synthesized corpus: `npm run rivals`
 * (bench/rivals.ts) trains the LMU and each rival with `kws train --arch`, measures them with
 * `kws eval` and writes its table into its own section of a BENCHMARKS.md copy, leaving the rest;
 * each rival's model directory runs in `kws detect`, its tfjs model reloads and equals its
 * streaming form, and a runtime.json that is not the network kws.json describes is refused;
 * `--keep-trained` reruns only the network whose directory is gone.
 */
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tinyCorpus } from './support/tinyCorpus';
import { initTf } from '../src/lmu/tf/backend';
import { loadTfjsModel } from '../src/model/tfjsFiles';
import { loadModelConfig } from '../src/model/kwsJson';
import { modelClassifier } from '../src/model/classifierFile';
import { markedSection } from '../src/markdownSection';
import { RivalArchitecture } from '../src/rivals/options';
import '../src/rivals/tf/causalConv';

const root = path.resolve(__dirname, '..');
const node = (args: string[]) => spawnSync(process.execPath, args, { encoding: 'utf8', cwd: root, timeout: 600000 });
const kws = (...args: string[]) => node([path.join(root, 'bin/kws.js'), ...args]);
const RIVALS: RivalArchitecture[] = ['gru', 'lstm', 'dscnn'];

describe('rivals: trained through the harness (tiny synthesized corpus)', function () {
  this.timeout(600000);
  let tmp: string;
  let dataDir: string;
  let models: string;
  let benchmarks: string;
  let run: ReturnType<typeof node>;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-rivals-train-'));
    dataDir = path.join(tmp, 'data');
    models = path.join(tmp, 'models');
    benchmarks = path.join(tmp, 'BENCHMARKS.md');
    fs.copyFileSync(path.join(root, 'BENCHMARKS.md'), benchmarks);
    await tinyCorpus(dataDir, 24);
    run = node([
      '--import',
      'tsx',
      path.join(root, 'bench/rivals.ts'),
      ...['--data', dataDir, '--models', models, '--benchmarks', benchmarks, '--keywords', 'yes,no'],
      ...['--epochs', '1', '--threshold-minutes', '1', '--eval-minutes', '1'],
    ]);
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('npm run rivals trains and measures every network and rewrites only its section of BENCHMARKS.md', () => {
    expect(run.status, run.stderr.slice(-3000)).to.equal(0);
    const before = fs.readFileSync(path.join(root, 'BENCHMARKS.md'), 'utf8');
    const after = fs.readFileSync(benchmarks, 'utf8');
    const section = markedSection(after, 'rivals', benchmarks)!;
    expect(section, 'the section is written').to.be.a('string');
    const old = markedSection(before, 'rivals')!;
    expect(old, 'BENCHMARKS.md has the section').to.be.a('string');
    expect(section).to.not.equal(old);
    expect(after.replace(section, '')).to.equal(before.replace(old, ''));
    const rows = section.split('\n').filter((l) => /^\| (LMU|GRU|LSTM|DS-CNN) \|/.test(l));
    expect(rows.map((r) => r.split(' | ')[0])).to.deep.equal(['| LMU', '| GRU', '| LSTM', '| DS-CNN']);
    for (const row of rows) {
      const cells = row.split('|').map((c) => c.trim());
      expect(Number(cells[3]), `params: ${row}`).to.be.greaterThan(1000);
      expect(Number(cells[4]), `MACs/frame: ${row}`).to.be.greaterThan(1000);
      expect(Number(cells[6]), `µs/frame: ${row}`).to.be.greaterThan(0);
      expect(cells[11], `test accuracy: ${row}`).to.match(/^\*\*\d+\.\d %\*\*$/);
    }
    expect(section).to.match(/Test clip accuracy, best first: /);
    expect(section, 'every network trained on the budget stated').to.not.match(/Kept from an earlier run/);
  });

  it("trains the LMU at models/default's shape: every setting of its network, the hidden kernel's rank, the layers and the front too", () => {
    const shipped = loadModelConfig(path.join(root, 'models/default'));
    const lmu = loadModelConfig(path.join(models, 'lmu'));
    expect(lmu.lmu).to.deep.include(shipped.lmu!);
    for (const [key, absent] of [
      ['layers', 1],
      ['frontUnits', 0],
    ] as const)
      expect(lmu.training?.config?.model?.[key] ?? absent, key).to.equal(shipped.training?.config?.model?.[key] ?? absent);
    const row = markedSection(fs.readFileSync(benchmarks, 'utf8'), 'rivals', benchmarks)!
      .split('\n')
      .find((l) => l.startsWith('| LMU |'))!;
    if (shipped.lmu!.hiddenRank) expect(row).to.include(`through a rank-${shipped.lmu!.hiddenRank} kernel`);
  });

  for (const arch of RIVALS) {
    it(`${arch}: kws train --arch wrote a model directory that kws detect and kws eval run, its kws.json and card name the network`, () => {
      const dir = path.join(models, arch);
      const config = loadModelConfig(dir);
      expect(config.rival?.architecture).to.equal(arch);
      expect(config.lmu).to.equal(undefined);
      expect(config.training?.command).to.match(new RegExp(`--arch ${arch}`));
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'runtime.json'), 'utf8')).architecture).to.equal(arch);
      expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).to.match(/- Network: (GRU|LSTM|DS-CNN)/);
      const detect = kws('detect', '--model', dir, path.join(root, 'fixtures/demo.wav'));
      expect(detect.status, detect.stderr).to.equal(0);
      const evaluation = kws('eval', '--model', dir, '--data', dataDir, '--minutes', '1', '--json', '--quiet', '--no-record');
      expect(evaluation.status, evaluation.stderr).to.equal(0);
      const report = JSON.parse(evaluation.stdout);
      expect(report.params).to.equal(config.params);
      expect(report.clips).to.be.greaterThan(0);
    });
  }

  it('each trained tfjs model reloads from model.json and equals its streaming form within 1e-4 (batch norm folded)', async () => {
    const { tf } = await initTf('cpu', { quiet: true });
    for (const arch of RIVALS) {
      const dir = path.join(models, arch);
      const config = loadModelConfig(dir);
      const model = await loadTfjsModel(tf, dir);
      const T = 60;
      const x = tf.randomNormal([1, T, config.features.coefficients], 0, 1, 'float32', 9);
      const expected = (model.predict(x) as import('@tensorflow/tfjs').Tensor).dataSync();
      const frames = x.dataSync();
      const classifier = modelClassifier(dir, config).create();
      const C = config.labels.length;
      let maxDiff = 0;
      for (let t = 0; t < T; t++) {
        const p = classifier.step(
          frames.subarray(t * config.features.coefficients, (t + 1) * config.features.coefficients) as Float32Array,
        );
        for (let c = 0; c < C; c++) maxDiff = Math.max(maxDiff, Math.abs(p[c] - expected[t * C + c]));
      }
      expect(maxDiff, arch).to.be.lessThan(1e-4);
    }
  });

  it("--keep-trained retrains and measures only the network whose model directory is gone, keeps the other networks' rows and names their own budget", () => {
    const table = (file: string) => markedSection(fs.readFileSync(file, 'utf8'), 'rivals', file)!;
    const rowOf = (section: string, name: string) => section.split('\n').find((l) => l.startsWith(`| ${name} |`))!;
    const first = table(benchmarks);
    fs.rmSync(path.join(models, 'gru'), { recursive: true });
    const again = node([
      '--import',
      'tsx',
      path.join(root, 'bench/rivals.ts'),
      ...['--data', dataDir, '--models', models, '--benchmarks', benchmarks, '--keywords', 'yes,no', '--arch', 'lmu,gru,dscnn'],
      ...['--epochs', '2', '--threshold-minutes', '1', '--eval-minutes', '1', '--keep-trained'],
    ]);
    expect(again.status, again.stderr.slice(-3000)).to.equal(0);
    const trained = again.stderr.split('\n').filter((l) => l.startsWith('$ kws train'));
    expect(trained.length, 'one network trained').to.equal(1);
    expect(trained[0]).to.match(/--arch gru /);
    expect(again.stderr).to.match(/✔ lmu: keeping the trained .*\n✔ lmu: keeping its .*rival-eval\.json/);
    expect(again.stderr).to.match(/✔ dscnn: keeping the trained /);
    expect(fs.existsSync(path.join(models, 'gru', 'rival-eval.json')), 'the retrained network has its report').to.equal(true);
    const second = table(benchmarks);
    // a kept row is the same measurement, up to its streaming µs (timed again)
    const untimed = (row: string) => row.split('|').filter((_, i) => i !== 6 && i !== 7);
    for (const name of ['LMU', 'DS-CNN']) expect(untimed(rowOf(second, name))).to.deep.equal(untimed(rowOf(first, name)));
    expect(rowOf(second, 'LSTM'), 'only the networks asked for').to.equal(undefined);
    expect(second).to.include('--epochs 2');
    const kept = second.split('\n').filter((l) => l.startsWith('- Kept from an earlier run'));
    expect(kept, 'the kept networks trained for 1 epoch, the table for 2').to.deep.equal([
      '- Kept from an earlier run (--keep-trained) and trained on its own settings, which differ from those above: LMU (`--epochs 1`); DS-CNN (`--epochs 1`)',
    ]);
  });

  it('refuses, in one line naming runtime.json, a runtime.json that holds another network than kws.json describes', () => {
    const dir = path.join(tmp, 'mismatched');
    fs.cpSync(path.join(models, 'dscnn'), dir, { recursive: true });
    fs.copyFileSync(path.join(models, 'gru', 'runtime.json'), path.join(dir, 'runtime.json'));
    const r = kws('detect', '--model', dir, path.join(root, 'fixtures/demo.wav'));
    expect(r.status).to.not.equal(0);
    expect(r.stderr.trim().split('\n')).to.deep.equal([
      `kws: ${path.join(dir, 'runtime.json')}: holds a gru network but kws.json describes dscnn`,
    ]);
  });
});
