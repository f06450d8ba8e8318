/**
 * `npm run rivals` — the LMU against its rivals (issue 14): is an LMU better than an LSTM, a GRU
 * or a small CNN of the same size on the same data? Trains each with `kws train` itself — the LMU
 * at the shipped model's shape (models/default), each rival at the width that gives it the shipped
 * model's parameter count with the same head (rivalSizedLike, src/rivals/options.ts), all with the same data, budget, seed and augmentation —
 * measures each with `kws eval` on the test split (for Speech Commands: real speakers no run has
 * heard) and its streaming step as `npm run bench` does, and rewrites the `rivals` section of
 * BENCHMARKS.md with the table (the rest of the file is kept).
 *
 *     npm run rivals                                            # the real table (hours on 2 cores)
 *     npm run rivals -- --epochs 1 --max-per-label 10 --threshold-minutes 1 --eval-minutes 1   # a quick run
 *
 * Its own options: --arch lmu,gru,lstm,dscnn (which networks), --eval-minutes M (kws eval's
 * detection stream), --data DIR (default $KWS_DATA/speech_commands, with $KWS_DATA/noise and
 * librispeech as background when they exist), --noise DIR, --speech DIR, --models DIR (where the
 * model directories go; default tmp/rivals), --benchmarks FILE. Every other option goes to
 * `kws train` for every network, in place of BUDGET's: e.g. --epochs, --patience, --seed,
 * --max-per-label, --keywords, --noise-prob, --snr, --speed-prob, --time-masks, --freq-masks.
 * --keep-trained reuses a network's model directory that already has its kws.json, and its saved
 * `kws eval` report (rival-eval.json), instead of training and measuring it again: to resume an
 * interrupted run, or to rerun one network after deleting its directory. A kept model keeps the
 * budget it was trained on: its row gives its own epochs, its kws.json its whole training command.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../src/errors';
import { commandWords } from '../src/cli/commandLine';
import { dataPath, shownDataPath } from '../src/data/dataRoot';
import { EvalReport } from '../src/eval/evaluate';
import { percent } from '../src/format';
import { loadClassifierWeights } from '../src/model/classifierFile';
import { KwsModelConfig, loadModelConfig } from '../src/model/kwsJson';
import { DEFAULT_MODEL_DIR } from '../src/pipeline/spotter';
import { Architecture, ARCHITECTURE_NAMES, ARCHITECTURES, describeRival, rivalSizedLike } from '../src/rivals/options';
import { BENCHMARKS_FILE, machineLines, RIVALS_SECTION, writeSection } from './benchmarksFile';
import { stepTiming } from './stepTiming';

const ROOT = path.resolve(__dirname, '..');
const KWS = path.join(ROOT, 'bin', 'kws.js');

/**
 * The budget every network gets, each setting unless the command line gives it: 20 epochs, all of
 * them (patience = epochs: the recurrent rivals sit at chance for epochs before they learn, and
 * patience 6 once stopped the LSTM and the DS-CNN early), and thresholds for 10 false alarms per
 * hour on an hour of validation stream (the ten-hour default would cost each network ~13 min more).
 */
const BUDGET = ['--epochs', '20', '--patience', '20', '--seed', '1', '--threshold-minutes', '60', '--fa-per-hour', '10'];
const EVAL_MINUTES = '60';
/** Each network's `kws eval --json` report, beside its model (what --keep-trained reuses). */
const EVAL_FILE = 'rival-eval.json';
const STEPS_TIMED = 20000;

interface Args {
  archs: Architecture[];
  evalMinutes: string;
  data: string;
  noise?: string;
  speech?: string;
  models: string;
  benchmarks: string;
  keepTrained: boolean;
  /** Everything for kws train that the command line gave. */
  train: string[];
}

function parse(argv: string[]): Args {
  const own: Record<string, string> = {};
  const train: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--keep-trained') {
      own[flag] = 'yes';
      continue;
    }
    const takesValue = i + 1 < argv.length && !argv[i + 1].startsWith('--');
    if (['--arch', '--eval-minutes', '--data', '--noise', '--speech', '--models', '--benchmarks'].includes(flag)) {
      if (!takesValue) throw new ConfigError(`${flag} needs a value`);
      own[flag] = argv[++i];
    } else {
      train.push(flag, ...(takesValue ? [argv[++i]] : []));
    }
  }
  const archs = (own['--arch'] ?? ARCHITECTURES.join(',')).split(',') as Architecture[];
  for (const a of archs) if (!ARCHITECTURES.includes(a)) throw new ConfigError(`--arch: '${a}' is not one of ${ARCHITECTURES.join(', ')}`);
  // the shared background folders go with the shared data set; another data folder brings its own
  const shared = own['--data'] === undefined;
  const folder = (flag: string, name: string) => own[flag] ?? (shared && fs.existsSync(dataPath(name)) ? dataPath(name) : undefined);
  return {
    archs,
    evalMinutes: own['--eval-minutes'] ?? EVAL_MINUTES,
    data: own['--data'] ?? dataPath('speech_commands'),
    noise: folder('--noise', 'noise'),
    speech: folder('--speech', 'librispeech'),
    models: own['--models'] ?? path.join(ROOT, 'tmp', 'rivals'),
    benchmarks: own['--benchmarks'] ?? BENCHMARKS_FILE,
    keepTrained: own['--keep-trained'] === 'yes',
    train,
  };
}

/** `defaults` (flag, value pairs) without the flags `given` sets, then `given`: one value per flag. */
function overriding(defaults: readonly string[], given: readonly string[]): string[] {
  return [...defaults.flatMap((v, i) => (i % 2 === 0 && !given.includes(v) ? [v, defaults[i + 1]] : [])), ...given];
}

/**
 * The settings of `common` (flag, value pairs) that a kept network's recorded training command
 * gave other values, as "flag value" in its own terms: a row kept by --keep-trained keeps the
 * budget it was trained on, and the table must say so.
 */
function ownBudget(recorded: string, common: readonly string[]): string[] {
  const words = commandWords(recorded);
  const differing: string[] = [];
  for (let i = 0; i + 1 < common.length; i += 2) {
    const at = words.lastIndexOf(common[i]);
    const value = at < 0 || at + 1 >= words.length || words[at + 1].startsWith('--') ? undefined : words[at + 1];
    if (value !== common[i + 1]) differing.push(value === undefined ? `without ${common[i]}` : `${common[i]} ${value}`);
  }
  return differing;
}

/** Runs `kws …`, progress on this terminal; returns its stdout when `capture`. */
function kws(args: string[], capture = false): string {
  console.error(`\n$ kws ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [KWS, ...args], { stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kws ${args[0]} failed (exit ${r.status ?? r.signal})`);
  return r.stdout ?? '';
}

/** The LMU flags of the shipped model's shape, and its head (the same head for every network). */
function shippedShape(): { lmu: string[]; head: string; keywords: string[]; shipped: KwsModelConfig } {
  const shipped = loadModelConfig(DEFAULT_MODEL_DIR);
  const o = shipped.lmu!;
  const lmu = [
    '--order',
    o.order,
    '--theta',
    o.theta,
    '--memory-d',
    o.memoryD,
    '--hidden',
    o.hiddenUnits,
    '--hidden-activation',
    o.hiddenActivation,
    ...(o.hiddenRank ? ['--hidden-rank', o.hiddenRank] : []),
    '--layers',
    shipped.training?.config?.model?.layers ?? 1,
    '--front',
    shipped.training?.config?.model?.frontUnits ?? 0,
  ];
  return { lmu: lmu.map(String), head: String(shipped.training?.config?.model?.headUnits ?? 0), keywords: shipped.keywords, shipped };
}

/**
 * The flags that make `arch` as large as the shipped model (its parameter count with the same
 * head), unless the command line sizes it itself.
 */
function sizeFlags(arch: Architecture, shipped: KwsModelConfig, head: string, given: readonly string[]): string[] {
  if (arch === 'lmu') return [];
  const flag = arch === 'dscnn' ? '--channels' : '--units';
  if (given.includes(flag)) return [];
  const shape = { inputDim: shipped.features.coefficients, numClasses: shipped.labels.length, headUnits: Number(head) };
  const rival = rivalSizedLike(arch, shipped.params, shape);
  return [flag, String(rival.architecture === 'dscnn' ? rival.channels : rival.units)];
}

interface Row {
  arch: Architecture;
  config: KwsModelConfig;
  report: EvalReport;
  median: number;
  p99: number;
}

function shape(c: KwsModelConfig): string {
  if (c.rival) return describeRival(c.rival).replace(/^[^,]+, /, '');
  const o = c.lmu!;
  const layers = c.training?.config?.model?.layers ?? 1;
  const front = c.training?.config?.model?.frontUnits ?? 0;
  return (
    `${front > 0 ? `a ${front}-unit ReLU front, ` : ''}${layers > 1 ? `${layers} layers, each ` : ''}order ${o.order}, θ ${o.theta}, ${o.memoryD} memory channels, ` +
    `${o.hiddenUnits} hidden ${o.hiddenActivation ?? 'tanh'}${o.hiddenRank ? ` through a rank-${o.hiddenRank} kernel` : ''}`
  );
}

function table(rows: Row[], args: Args, common: string[], command: string, started: Date): string[] {
  const pct = (x: number | undefined) => percent(x, '—', ' %');
  const first = rows[0].config.training ?? {};
  const used = first.clipsUsed;
  const ranked = [...rows].sort((a, b) => b.report.accuracy - a.report.accuracy);
  // the binomial standard error of a clip accuracy: two of them is about the spread of chance
  const spread = (r: Row) => 2 * Math.sqrt((r.report.accuracy * (1 - r.report.accuracy)) / Math.max(1, r.report.clips));
  return [
    '## The LMU against its rivals (same data, budget and evaluation)',
    '',
    `Generated by \`${command}\` on ${started.toISOString().slice(0, 10)}; tfjs backend ${first.backend ?? '?'}.`,
    '',
    `- Data: \`${shownDataPath(args.data)}\`${used ? ` — train ${used.train}, validation ${used.validation} clips` : ''}, test ${rows[0].report.clips} clips; ` +
      `background noise ${args.noise ? `\`${shownDataPath(args.noise)}\`` : 'none'}, background speech ${args.speech ? `\`${shownDataPath(args.speech)}\`` : 'none'}`,
    `- Every network: \`kws train ${common.join(' ')}\`; the LMU at the shipped model's shape, each rival at the width that gives it the shipped model's parameter count (rivalSizedLike, src/rivals/options.ts)`,
    `- Measured by \`kws eval --minutes ${args.evalMinutes}\` on the test split: clip accuracy (the same figure as everywhere, src/eval/clipScore.ts) through the streaming runtime, ` +
      `FRR and false alarms per hour at each network's own thresholds on a composed test stream`,
    `- Training: \`kws train\`'s loop (kws.json training.seconds), thresholds not included; MACs and state per frame as kws.json counts them ` +
      `(src/lmu/cost.ts, src/rivals/cost.ts); µs per frame: ${STEPS_TIMED} streaming steps on one core, as in "Streaming classifier step" above`,
    ...keptLines(rows, common),
    ...machineLines(),
    '',
    '| network | shape | params | MACs/frame | state floats | µs/frame median | p99 | training | epochs (best) | val acc | test acc | test FRR | test FA/h | verdict |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map((r) => {
      const t = r.config.training ?? {};
      const minutes = typeof t.seconds !== 'number' ? '—' : t.seconds < 100 ? `${t.seconds} s` : `${(t.seconds / 60).toFixed(1)} min`;
      return (
        `| ${ARCHITECTURE_NAMES[r.arch]} | ${shape(r.config)} | ${r.config.params} | ${r.config.macsPerFrame} | ${r.config.stateFloats} | ${r.median.toFixed(1)} | ${r.p99.toFixed(1)} | ` +
        `${minutes} | ${t.history?.length ?? '—'} (${t.bestEpoch ?? '—'}) | ${pct(r.config.metrics?.validationClipAccuracy)} | ` +
        `**${pct(r.report.accuracy)}** | ${pct(r.report.frr)} | ${r.report.faPerHour.toFixed(1)} | ${r.report.verdict.usable ? 'usable' : 'not usable'} |`
      );
    }),
    '',
    `Test clip accuracy, best first: ` +
      ranked.map((r) => `${ARCHITECTURE_NAMES[r.arch]} ${pct(r.report.accuracy)} (±${(100 * spread(r)).toFixed(1)})`).join(', ') +
      '. Differences inside the ± (two binomial standard errors) are within the noise of this test set; one seed each.',
  ];
}

/** One line naming each network that was trained on another budget than `common` (rows kept by --keep-trained). */
function keptLines(rows: Row[], common: readonly string[]): string[] {
  const own = rows
    .map((r) => ({ r, differing: ownBudget(r.config.training?.command ?? '', common) }))
    .filter(({ differing }) => differing.length > 0)
    .map(({ r, differing }) => `${ARCHITECTURE_NAMES[r.arch]} (\`${differing.join(' ')}\`)`);
  return own.length
    ? [`- Kept from an earlier run (--keep-trained) and trained on its own settings, which differ from those above: ${own.join('; ')}`]
    : [];
}

async function main(): Promise<void> {
  const started = new Date();
  const args = parse(process.argv.slice(2));
  const { lmu, head, keywords, shipped } = shippedShape();
  const background = [...(args.noise ? ['--noise', args.noise] : []), ...(args.speech ? ['--speech', args.speech] : [])];
  const common = [
    '--data',
    args.data,
    ...background,
    ...overriding([...BUDGET, '--keywords', keywords.join(','), '--head', head], args.train),
  ];
  const seed = common[common.indexOf('--seed') + 1];
  const headUsed = common[common.lastIndexOf('--head') + 1];
  const rows: Row[] = [];
  for (const arch of args.archs) {
    const dir = path.join(args.models, arch);
    const saved = path.join(dir, EVAL_FILE);
    if (args.keepTrained && fs.existsSync(path.join(dir, 'kws.json')))
      console.error(`\n✔ ${arch}: keeping the trained ${dir} (--keep-trained)`);
    else {
      fs.rmSync(saved, { force: true }); // a report of the model this replaces
      kws(['train', ...common, '--out', dir, '--arch', arch, ...(arch === 'lmu' ? lmu : sizeFlags(arch, shipped, headUsed, args.train))]);
    }
    if (args.keepTrained && fs.existsSync(saved)) console.error(`✔ ${arch}: keeping its ${saved} (--keep-trained)`);
    else {
      const json = kws(
        ['eval', '--model', dir, '--data', args.data, ...background, '--minutes', args.evalMinutes, '--seed', seed, '--json', '--quiet'],
        true,
      );
      fs.writeFileSync(saved, json);
    }
    const report = JSON.parse(fs.readFileSync(saved, 'utf8')) as EvalReport;
    rows.push({ arch, config: loadModelConfig(dir), report, median: 0, p99: 0 });
  }
  // timed after all training, so that no network's step shares the cores with another's training
  for (const row of rows) {
    const weights = loadClassifierWeights(path.join(args.models, row.arch, row.config.files.runtime));
    const { median, p99 } = stepTiming(weights, STEPS_TIMED);
    Object.assign(row, { median, p99 });
  }
  const command = ['npm run rivals', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  const lines = table(rows, args, common, command, started);
  writeSection(RIVALS_SECTION, lines.join('\n'), '(generated by `npm run rivals`; do not edit by hand)', args.benchmarks);
  console.log(lines.join('\n'));
  console.error(`\nwrote the ${RIVALS_SECTION} section of ${args.benchmarks}`);
}

main().catch((err) => {
  console.error(`rivals failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
