/**
 * `npm run train:wakewords` — reproduces models/wakewords and its model card in one command:
 *   1. synthesizes the negatives corpus (sound-alikes + common words, noise; no wake words) and,
 *      for the ablation, a synthesized wake-word corpus, into data/;
 *   2. trains real + synthesized wake words → models/wakewords, and the ablation models
 *      (real only, synthesized only) → data/ablation/* (not committed), two at a time (2 cores);
 *   3. runs the wake-word benchmark (kws eval --wakeword) on each, same real test split, same streams;
 *   4. writes models/wakewords/README.md from the measured numbers: the model card every model gets
 *      (src/cards/modelCard.ts) with the benchmark and ablation (src/cards/wakewordCard.ts).
 *
 *   npm run train:wakewords [-- --quick] [-- --real DIR] [-- --epochs N] [-- --hours H] [-- --no-ablation]
 * --real:   the real recordings (default: wakewords/ in the data folder, $KWS_DATA or ../shared/data).
 * --no-ablation: only the shipped model (the card says the ablation was not run).
 * --keep-trained: a model directory that already has its kws.json is not retrained, and its saved
 *           wakeword-benchmark.json (same --hours) is reused (to resume an interrupted run).
 * --quick:  tiny corpora, 1 epoch, 0.2 h streams — checks the pipeline in a few minutes and
 *           writes to data/wakewords-quick/ only (never models/).
 * --epochs, --hours: override the maximum epochs (12) and the benchmark stream length (10 h;
 *           below 10 h the 1 FA/10 h figures are n/a). Both are recorded in the model card.
 * Logs of every step: <work dir>/logs/*.log. Settings are chosen so the full run takes about
 * 45 minutes on 2 cores (wasm backend).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { loadModelConfig } from '../src/model/kwsJson';
import { writeModelCard } from '../src/cards/modelCard';
import { CardModel, wakewordCardText } from '../src/cards/wakewordCard';
import { WakewordReport } from '../src/eval/wakewordBench';
import { dataPath } from '../src/data/dataRoot';

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const valueOf = (flag: string): string | undefined => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const REAL = valueOf('--real') ?? path.relative(ROOT, dataPath('wakewords'));
const KEYWORDS = 'alexa,computer,jarvis,smart mirror,snowboy,view glass';
const SEED = '1';

const S = quick
  ? { unknown: '150', silence: '30', backgroundSec: '30', perWord: '12', epochs: '1', hours: '0.2', maxPerLabel: ['--max-per-label', '30'] }
  : {
      unknown: '2400',
      silence: '300',
      backgroundSec: '120',
      perWord: '120',
      epochs: valueOf('--epochs') ?? '12',
      hours: valueOf('--hours') ?? '10',
      maxPerLabel: [] as string[],
    };
const WORK = quick ? 'data/wakewords-quick' : 'data';
const NEG = `${WORK}/wakeword-negatives`;
const SYN = `${WORK}/wakeword-synth`;
const ABL = `${WORK}/ablation`;
const MAIN = quick ? `${WORK}/wakewords-model` : 'models/wakewords';
const LOGS = `${WORK}/logs`;

const synthNegatives = [
  'synth',
  '--keywords',
  KEYWORDS,
  '--per-word',
  '0',
  '--unknown-count',
  S.unknown,
  '--silence-count',
  S.silence,
  '--background-sec',
  S.backgroundSec,
  '--seed',
  SEED,
  '--jobs',
  '2',
  '--out',
  NEG,
  '--force',
  '--quiet',
];
const synthWakewords = [
  'synth',
  '--keywords',
  KEYWORDS,
  '--per-word',
  S.perWord,
  '--unknown-count',
  S.perWord,
  '--silence-count',
  '20',
  '--background-sec',
  S.backgroundSec,
  '--clip-sec',
  '1.5',
  '--seed',
  '2',
  '--jobs',
  '2',
  '--out',
  SYN,
  '--force',
  '--quiet',
];
const trainCommon = [
  '--keywords',
  KEYWORDS,
  '--negatives',
  NEG,
  '--clip-sec',
  '1.5',
  '--seed',
  SEED,
  '--epochs',
  S.epochs,
  '--patience',
  '5',
  '--theta',
  '120',
  '--unknown-percent',
  '100',
  '--silence-percent',
  '15',
  ...S.maxPerLabel,
];
const ablation = !args.includes('--no-ablation');
const keepTrained = args.includes('--keep-trained');
const shownArgs = args.filter((a) => a !== '--keep-trained');
const models = [
  { name: 'real + synthesized (shipped)', dir: MAIN, data: ['--data', REAL, '--data', SYN] },
  ...(ablation
    ? [
        { name: 'real only', dir: `${ABL}/real-only`, data: ['--data', REAL] },
        { name: 'synthesized only', dir: `${ABL}/synth-only`, data: ['--data', SYN] },
      ]
    : []),
];

const shown = (argv: string[]) => ['kws', ...argv.map((a) => (/[\s,]/.test(a) && !a.startsWith('--') ? `"${a}"` : a))].join(' ');

/** Runs `kws argv` with output to LOGS/<log>.log; rejects with the log's tail on failure. */
function kws(argv: string[], log: string): Promise<string> {
  const file = path.join(ROOT, LOGS, `${log}.log`);
  const started = Date.now();
  console.log(`▶ ${log}: ${shown(argv)}`);
  return new Promise((resolve, reject) => {
    const out = fs.openSync(file, 'w');
    let stdout = '';
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/kws.js'), ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', out] });
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d;
      fs.writeSync(out, d);
    });
    child.on('close', (code) => {
      fs.closeSync(out);
      const sec = ((Date.now() - started) / 1000).toFixed(0);
      if (code === 0) {
        console.log(`✔ ${log} (${sec} s)`);
        resolve(stdout);
      } else {
        reject(
          new Error(
            `${log} failed (exit ${code}) after ${sec} s; last lines of ${file}:\n${fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n')}`,
          ),
        );
      }
    });
  });
}

/** At most `n` tasks at once, started in the order asked (two cores: two tfjs processes). */
function slots(n: number) {
  let free = n;
  const queue: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (free === 0) await new Promise<void>((r) => queue.push(r));
    else free--;
    try {
      return await task();
    } finally {
      const next = queue.shift();
      if (next) next();
      else free++;
    }
  };
}

/** True when DIR holds a corpus kws synth made with these counts and seed. */
function sameCorpus(dir: string, argv: readonly string[]): boolean {
  const file = path.join(ROOT, dir, 'synth.json');
  if (!fs.existsSync(file)) return false;
  const made = JSON.parse(fs.readFileSync(file, 'utf8'));
  const want = (flag: string) => Number(argv[argv.indexOf(flag) + 1]);
  return (
    made.seed === want('--seed') &&
    made.perWord === want('--per-word') &&
    Object.values(made.counts?._unknown_ ?? {}).reduce((a: number, b) => a + Number(b), 0) === want('--unknown-count')
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  if (!fs.existsSync(path.resolve(ROOT, REAL))) throw new Error(`${REAL}: real wake-word recordings not found (pass --real DIR)`);
  fs.mkdirSync(path.join(ROOT, LOGS), { recursive: true });
  fs.mkdirSync(path.join(ROOT, ABL), { recursive: true });
  // A corpus already made by the same command (same seed and counts) is reused.
  for (const [argv, dir, log] of [
    [synthNegatives, NEG, 'synth-negatives'],
    [synthWakewords, SYN, 'synth-wakewords'],
  ] as const) {
    if (sameCorpus(dir, argv)) console.log(`✔ ${log}: reusing ${dir} (delete it to re-synthesize)`);
    else await kws([...argv], log);
  }
  const slot = slots(1); // one tfjs job at a time: two trainings on 2 cores starve each other and everything else
  const reports = await Promise.all(
    models.map(async (m) => {
      const log = path.basename(m.dir);
      if (keepTrained && fs.existsSync(path.join(ROOT, m.dir, 'kws.json')))
        console.log(`✔ train-${log}: keeping the trained ${m.dir} (--keep-trained)`);
      else await slot(() => kws(['train', ...m.data, ...trainCommon, '--out', m.dir], `train-${log}`));
      const saved = path.join(ROOT, m.dir, 'wakeword-benchmark.json');
      if (keepTrained && fs.existsSync(saved)) {
        const report = JSON.parse(fs.readFileSync(saved, 'utf8')) as WakewordReport & { figures: string[] };
        if (String(report.hours) === S.hours) {
          console.log(`✔ bench-${log}: keeping ${path.relative(ROOT, saved)} (--keep-trained)`);
          return report;
        }
      }
      const json = await slot(() =>
        kws(
          [
            'eval',
            '--wakeword',
            '--model',
            m.dir,
            '--data',
            REAL,
            '--negatives',
            NEG,
            '--hours',
            S.hours,
            '--seed',
            SEED,
            '--figures',
            m.dir,
            '--json',
          ],
          `bench-${log}`,
        ),
      );
      const report = JSON.parse(json) as WakewordReport & { figures: string[] };
      fs.writeFileSync(saved, JSON.stringify(report, null, 1) + '\n');
      return report;
    }),
  );
  const cardModels: CardModel[] = models.map((m, i) => ({
    name: m.name,
    config: loadModelConfig(path.join(ROOT, m.dir)),
    report: reports[i],
  }));
  await writeModelCard(
    path.join(ROOT, MAIN),
    wakewordCardText({
      models: cardModels,
      // The command that reproduces this build from scratch: resuming (--keep-trained) is not part of it.
      command: ['npm run train:wakewords', ...(shownArgs.length > 0 ? ['--', ...shownArgs] : [])].join(' '),
      synthCommands: [shown(synthNegatives), shown(synthWakewords)],
      seconds: keepTrained ? null : (Date.now() - started) / 1000,
      figures: reports[0].figures.map((f) => path.basename(f)),
      root: ROOT,
      ablationDir: ABL,
    }),
  );
  console.log(`wrote ${MAIN}/README.md — ${((Date.now() - started) / 60000).toFixed(1)} min in all`);
  for (const [i, r] of reports.entries()) {
    console.log(
      `${models[i].name}: ${r.results.map((x) => `${x.snrDb} dB miss@1FA/h ${x.average.missAt1FaPerHour === null ? 'n/a' : `${(100 * x.average.missAt1FaPerHour).toFixed(1)}%`}`).join(', ')}`,
    );
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
