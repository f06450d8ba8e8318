/**
 * The model card — a model directory's README.md — written from kws.json alone, so it always
 * matches its model and no number in it is typed by hand:
 *   - the verdict on usability (verdict.ts), in one line at the top;
 *   - data (folders, clips per split and label, credits for the shared real data sets used),
 *     model and smoother settings, seed, command, backend and training time;
 *   - learning curves (learning-curves.svg) and the per-epoch figures;
 *   - train | validation | test clip accuracy and loss side by side (test once `kws eval` has
 *     recorded it), the detection figures and the silence check.
 * `kws train` writes it, `kws eval` rewrites it with the test figures, and the scripts that make
 * the shipped models add their own text (summary, data notes, sections, caveats), which is kept
 * in kws.json `card` so that every later rewrite keeps it too.
 */
import { percent } from '../format';
import * as fs from 'fs';
import * as path from 'path';
import { FeatureConfig, INT16_SAMPLE_SCALE } from '../features/config';
import { KwsModelConfig, loadModelConfig, writeModelConfig } from '../model/kwsJson';
import { creditsFor } from '../data/credits';
import { CardText, EpochRecord, EvalFigures, TrainingRecord, ValidationStreamMetrics, Verdict } from '../model/records';
import {
  BACKGROUND_SPEECH_TESTING_PERCENT,
  BACKGROUND_SPEECH_VALIDATION_PERCENT,
  DEFAULT_TESTING_PERCENT,
  DEFAULT_VALIDATION_PERCENT,
} from '../data/dataset';
import { CLIP_MIN_SCORE } from '../eval/clipScore';
import { ARCHITECTURE_NAMES, describeRival } from '../rivals/options';
import { INT8_SECTION, QUANTIZATION_HEADING, quantizationLines } from './quantizationCard';
import { withKeptSections } from '../markdownSection';
import { MINING_HEADING, miningLines } from './miningCard';

export type { CardSection, CardText } from '../model/records';

export const CARD_FILE = 'README.md';
/** The card's own line: a README.md without it was written some other way and is left alone by kws eval / kws thresholds. */
export const CARD_MARKER = '_Written from kws.json by `kws train` and `kws eval`; do not edit by hand._';
export const LEARNING_CURVES_FILE = 'learning-curves.svg';
/** Figures kws eval writes beside the card (writeEvalFigures). */
export const EVAL_FIGURES = [
  { file: 'confusion.svg', name: 'confusion matrix' },
  { file: 'det.svg', name: 'DET curve' },
];
/** Rules of thumb for the card's reading of the learning curves. */
export const UNDERFIT_BELOW = 0.8;
export const OVERFIT_GAP = 0.1;

const pct = (x: number | undefined) => percent(x);
const num = (x: number | undefined, digits = 3) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '—');
/** A path as the card shows it: relative to the current folder when inside it, else as it is. */
const shown = (p: unknown) => {
  if (typeof p !== 'string') return '?';
  const rel = path.relative(process.cwd(), p);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
};

interface Parts {
  t: TrainingRecord;
  history: Array<Partial<EpochRecord>>;
  best: Partial<EpochRecord> | undefined;
  v: Partial<ValidationStreamMetrics>;
  evals: Record<string, EvalFigures>;
  verdicts: Record<string, Verdict>;
  text: CardText;
}

function partsOf(c: KwsModelConfig): Parts {
  const t = c.training ?? {};
  const history = t.history ?? [];
  const m = c.metrics ?? {};
  return {
    t,
    history,
    best: history.find((h) => h.epoch === t.bestEpoch),
    v: m.validationStream ?? {},
    evals: m.eval ?? {},
    verdicts: m.verdict ?? {},
    text: c.card ?? {},
  };
}

/** The verdict line: every recorded verdict (validation from kws train, test from kws eval). */
export function verdictLine(verdicts: Record<string, Verdict>): string {
  const list = Object.values(verdicts);
  if (list.length === 0) return '**Usability: not judged** (trained before the verdict existed; run `kws eval`).';
  const usable = list.every((v) => v.usable);
  const splits = list.map((v) => v.split).join(' and ');
  return usable
    ? `**Usable**: no problem found on the ${splits} figures (verdict rules: src/eval/verdict.ts).`
    : `**NOT usable** — ${list
        .filter((v) => !v.usable)
        .map((v) => `${v.split}: ${v.problems.join('; ')}`)
        .join('; ')}.`;
}

function dataSection(c: KwsModelConfig, p: Parts): string[] {
  const { t } = p;
  const folders = [t.data, ...(t.extraData ?? []), ...(t.negatives ?? []), ...(t.noise ?? []), ...(t.speech ?? [])].filter(
    (f): f is string => typeof f === 'string',
  );
  const listed = (fs: string[]) => fs.map((f) => `\`${shown(f)}\``).join(', ');
  const counts = t.counts ?? {};
  const splits = ['train', 'validation', 'test'].filter((s) => counts[s]);
  const credits = creditsFor(folders);
  const warnings = t.warnings ?? [];
  return [
    `- Data folder: \`${shown(t.data)}\`` +
      (t.extraData?.length ? `; more training clips of the keywords: ${listed(t.extraData)}` : '') +
      (t.negatives?.length ? `; negatives (every word counts as \`_unknown_\`): ${listed(t.negatives)}` : '') +
      (t.hardNegatives
        ? `; hard negatives mined by \`kws mine\`: ${listed(t.hardNegatives.folders)} (${t.hardNegatives.clips} training \`_unknown_\` clips, frame weights × ${t.hardNegatives.weight})`
        : '') +
      (t.noise?.length ? `; background noise: ${listed(t.noise)}` : '') +
      (t.speech?.length
        ? `; background speech: ${listed(t.speech)} (split by speaker: ${BACKGROUND_SPEECH_VALIDATION_PERCENT} % of speakers only in the validation stream, ${BACKGROUND_SPEECH_TESTING_PERCENT} % only in the test stream, the rest in training)`
        : ''),
    `- Split: ${t.splitSource === 'lists' ? "the folder's validation_list.txt / testing_list.txt" : t.splitSource === 'hash' ? `a stable hash of each ${t.groups ? `recording's group in ${t.groups} (kws groups)` : "file's path"} (${DEFAULT_VALIDATION_PERCENT} % validation, ${DEFAULT_TESTING_PERCENT} % test)` : 'unknown'}; ` +
      `training window ${t.clipSec ?? '?'} s` +
      (warnings.length ? `; ${warnings.length} warning(s) while reading (kws.json training.warnings)` : ''),
    ...(t.clipsUsed
      ? [
          `- Clips used (after the \`_unknown_\` / \`_silence_\` shares and any --max-per-label): train ${t.clipsUsed.train}, validation ${t.clipsUsed.validation}, test ${t.clipsUsed.test}`,
        ]
      : []),
    ...(splits.length
      ? [
          '',
          'Clips in the data folder:',
          '',
          `| split | ${c.labels.join(' | ')} |`,
          `|---|${c.labels.map(() => '---:').join('|')}|`,
          ...splits.map((s) => `| ${s} | ${c.labels.map((l) => counts[s][l] ?? 0).join(' | ')} |`),
        ]
      : []),
    ...(p.text.data?.length ? ['', ...p.text.data] : []),
    ...(credits.length ? ['', 'Credits — this model was trained on:', ...credits.map((x) => `- ${x}`)] : []),
  ];
}

/** What the `bytes` of kws.json are bytes of. */
const weightsName = (c: KwsModelConfig) => (c.quantization ? 'int8 weights (float32 biases and scales)' : 'float32 weights');

/** Section "Model": architecture, size, smoother, thresholds. */
export function modelSection(c: KwsModelConfig): string[] {
  const v: Partial<ValidationStreamMetrics> = c.metrics?.validationStream ?? {};
  const head = c.training?.config?.model?.headUnits;
  const layers = c.training?.config?.model?.layers ?? 1;
  const front = c.training?.config?.model?.frontUnits ?? 0;
  const raised = Object.entries(v.quiet?.raised ?? {});
  const lmu = Object.entries(c.lmu ?? {})
    .map(([k, val]) => `${k} ${val}`)
    .join(', ');
  const network = c.rival
    ? describeRival(c.rival)
    : `${front > 0 ? `dense ${front} ReLU on each frame → ` : ''}${layers > 1 ? `${layers} stacked LMU layers, each reading the one below (each ` : 'LMU ('}${lmu})`;
  return [
    `- Labels: ${c.labels.join(', ')} (events for: ${c.keywords.join(', ')})`,
    `- Features: ${describeCoefficients(c.features)} of ${c.features.windowSize}-sample windows every ${c.features.hop} samples at ${c.features.sampleRate} Hz, ${c.features.melBands} mel bands, ` +
      `samples × ${c.features.sampleScale}${c.features.sampleScale === INT16_SAMPLE_SCALE ? ' (16-bit units)' : ''}, normalised with training statistics`,
    `- Network: ${network} → ${head === undefined ? '(head layer not recorded) → ' : head > 0 ? `dense ${head} ReLU → ` : ''}softmax, one step per frame`,
    `- Parameters: **${c.params}**; ${weightsName(c)}: **${c.bytes} bytes**; per frame **${c.macsPerFrame}** multiply-accumulates; ` +
      `state carried from frame to frame: **${c.stateFloats} floats** (${4 * c.stateFloats} bytes)`,
    `- Smoother: ${c.smoother.smoothFrames}-frame moving average, ${c.smoother.maxFrames}-frame max, ${c.smoother.refractoryFrames}-frame refractory period, ${c.smoother.minFrames} frames above threshold, ` +
      `no event in the first ${c.smoother.warmupFrames ?? 0} frames of a stream`,
    `- Thresholds (${Object.entries(c.smoother.thresholds)
      .map(([k, x]) => `${k} ${x}`)
      .join(
        ', ',
      )}) chosen on the validation split's ${v.hours !== undefined ? `${v.hours.toFixed(2)} h ` : ''}stream for ≤ ${v.targetFaPerHour ?? 1} false alarm(s) per hour` +
      (v.command ? `, by \`${v.command}\`` : ''),
    ...(v.quiet
      ? [
          `- Silence check: no keyword may fire on ${v.quiet.inputs.join(', ')} (${v.quiet.seconds} s each, from a reset state): ` +
            (raised.length ? `raised ${raised.map(([k, r]) => `${k} ${r.from} → ${r.to}`).join(', ')}` : 'no threshold had to be raised') +
            (Object.keys(v.quiet.firing).length
              ? `; **still firing at the top of the range: ${Object.keys(v.quiet.firing).join(', ')}**`
              : ''),
        ]
      : []),
  ];
}

function trainingSection(c: KwsModelConfig, p: Parts): string[] {
  const { t, history } = p;
  const cfg = t.config ?? {};
  const aug = cfg.augmentation ?? {};
  const hasCurves = history.length > 0;
  return [
    `- Command: \`${t.command ?? '?'}\``,
    `- Seed ${t.seed ?? '?'}; tfjs backend ${t.backend ?? '?'}; ${t.seconds ?? '?'} s of training${typeof t.seconds === 'number' ? ` (${(t.seconds / 60).toFixed(1)} min)` : ''}` +
      (typeof t.thresholdSeconds === 'number' ? `, then ${t.thresholdSeconds} s choosing thresholds` : ''),
    `- Best epoch ${t.bestEpoch ?? '?'} of ${history.length} (at most ${cfg.epochs ?? '?'}, early stopping after ${cfg.patience ?? '?'} epochs without a better validation accuracy); ` +
      `batch ${cfg.batchSize ?? '?'}, peak learning rate ${cfg.learningRate ?? '?'} (Adam, warm-up then cosine), dropout ${cfg.model?.dropout ?? 0}` +
      (cfg.averageEpochs ? `; the weights measured and kept are a moving average over about ${cfg.averageEpochs} epochs` : ''),
    ...(cfg.initFrom ? [`- Started from the weights and feature normalisation of \`${cfg.initFrom}\`, not from random weights`] : []),
    ...(cfg.teachers?.length
      ? [
          `- Distilled from ${cfg.teachers.length === 1 ? 'a teacher' : `an ensemble of ${cfg.teachers.length} teachers`} (${cfg.teachers.map((d) => `\`${d}\``).join(', ')}): ` +
            `${pct(cfg.distillWeight)} of the loss is the cross-entropy against their mean posteriors on the same augmented batches, the rest the labels'`,
        ]
      : []),
    `- Augmentation: noise in ${pct(aug.noiseProb)} of sequences at ${aug.snrDb?.join('–') ?? '?'} dB SNR, gain ${aug.gainDb?.join('…') ?? '?'} dB, shift up to ±${((aug.maxShift ?? 0) / c.features.sampleRate).toFixed(2)} s; class balance power ${cfg.balancePower ?? 0}`,
    ...(hasCurves
      ? [
          '',
          `![learning curves](${LEARNING_CURVES_FILE})`,
          '',
          '| epoch | loss, training batches (augmented) | train accuracy | train loss | validation accuracy | validation loss | learning rate | seconds |',
          '|---:|---:|---:|---:|---:|---:|---:|---:|',
          ...history.map(
            (h) =>
              `| ${h.epoch}${h.epoch === t.bestEpoch ? ' (kept)' : ''} | ${num(h.loss)} | ${pct(h.trainAccuracy)} | ${num(h.trainLoss)} | ${pct(h.valAccuracy)} | ${num(h.valLoss)} | ${h.learningRate?.toExponential(2) ?? '—'} | ${h.seconds?.toFixed(0) ?? '—'} |`,
          ),
        ]
      : []),
  ];
}

/** How train and validation accuracy compare, in words (rules of thumb: UNDERFIT_BELOW, OVERFIT_GAP). */
export function fitReading(train: number | undefined, validation: number | undefined): string | null {
  if (typeof train !== 'number' || typeof validation !== 'number') return null;
  const gap = 100 * (train - validation);
  if (train < UNDERFIT_BELOW)
    return `Underfitting: the model reaches only ${pct(train)} on its own training clips — more capacity, epochs or a better learning rate before more data.`;
  if (gap > 100 * OVERFIT_GAP)
    return `Overfitting: train accuracy is ${gap.toFixed(1)} points above validation — more or more varied data, or more augmentation, before more capacity.`;
  return `Train and validation accuracy are ${Math.abs(gap).toFixed(1)} points apart: no sign of overfitting.`;
}

function measuredSection(c: KwsModelConfig, p: Parts, figures: readonly string[]): string[] {
  const { best, v, evals } = p;
  const test = evals.test;
  const notYet = `not measured yet: run \`kws eval --model <this folder> --data ${shown(p.t.data)}\``;
  const valAccuracy = best?.valAccuracy ?? c.metrics?.validationClipAccuracy;
  const lines = [
    `| | train | validation | test |`,
    `|---|---:|---:|---:|`,
    `| clip accuracy | ${pct(best?.trainAccuracy)} | ${pct(valAccuracy)} | ${test ? pct(test.accuracy) : notYet} |`,
    `| clip loss | ${num(best?.trainLoss)} | ${num(best?.valLoss)} | — |`,
    `| clips | ${best?.trainClips !== undefined ? `${best.trainClips} (a fixed sample)` : '—'} | ${p.t.clipsUsed?.validation ?? '—'} | ${test?.clips ?? '—'} |`,
    `| detection: FRR, false alarms per hour | — | ${v.hours !== undefined ? `${pct(v.frr)}, ${num(v.faPerHour, 2)} (${v.hours.toFixed(2)} h stream)` : '—'} | ${test ? `${pct(test.frr)}, ${num(test.faPerHour, 2)} (${test.streamHours.toFixed(2)} h stream)` : '—'} |`,
    '',
    'Train and validation figures are those of the kept epoch, measured during training on unaugmented clips (the tfjs model); ' +
      "test figures are `kws eval`'s, through the streaming runtime frame by frame (the same weights, the same clip rule: src/eval/clipScore.ts).",
  ];
  const reading = fitReading(best?.trainAccuracy, valAccuracy);
  if (reading) lines.push('', reading);
  for (const [split, e] of Object.entries(evals)) {
    lines.push(
      '',
      `### \`kws eval\` on the ${split} split`,
      '',
      `- Data \`${shown(e.data)}\`, ${e.clips} clips through the streaming runtime: clip accuracy **${pct(e.accuracy)}**` +
        (e.command ? `; by \`${e.command}\`` : ''),
      `- Detection on a ${e.streamHours.toFixed(2)} h composed stream (background noise, non-keyword speech, ${split} keywords inserted): ` +
        `mean false-reject rate **${pct(e.frr)}**, **${num(e.faPerHour, 2)}** false alarms per hour (all keywords together) at the thresholds`,
      `- On silence and low noise: ${
        Object.keys(e.quietFiring ?? {}).length
          ? `fires — ${Object.entries(e.quietFiring)
              .map(([k, on]) => `${k} (${on.join(', ')})`)
              .join('; ')}`
          : 'no event'
      }`,
      '',
      '| label | precision | recall | clips |',
      '|---|---:|---:|---:|',
      ...Object.entries(e.perClass).map(([l, s]) => `| ${l} | ${pct(s.precision)} | ${pct(s.recall)} | ${s.support} |`),
      '',
      '| keyword | threshold | FRR | missed / inserted | false alarms per hour |',
      '|---|---:|---:|---:|---:|',
      ...Object.entries(e.perKeyword).map(
        ([k, s]) => `| ${k} | ${e.thresholds[k]} | ${pct(s.frr)} | ${s.missed} / ${s.inserted} | ${num(s.faPerHour, 2)} |`,
      ),
    );
  }
  const shownFigures = EVAL_FIGURES.filter((f) => figures.includes(f.file));
  if (shownFigures.length) lines.push('', `Figures: ${shownFigures.map((f) => `[${f.name}](${f.file})`).join(', ')}.`);
  return lines;
}

/** The card of a model, from its kws.json (`figures`: the figure files present beside it). */
export function modelCard(c: KwsModelConfig, figures: readonly string[] = []): string {
  const p = partsOf(c);
  const { text } = p;
  const reproduce = text.reproduce ?? p.t.command ?? '';
  return [
    `# ${text.title ?? `${c.name}: keyword spotter for ${c.keywords.join(', ')}`}`,
    '',
    text.summary ??
      `Spots ${c.keywords.join(', ')} in a ${c.features.sampleRate / 1000} kHz stream with a streaming ${ARCHITECTURE_NAMES[c.rival?.architecture ?? 'lmu']}: ${c.params} parameters, ${c.bytes} bytes of ${weightsName(c)}, ${c.stateFloats} floats of state, one step (${c.macsPerFrame} multiply-accumulates) per ${(1000 * c.features.hop) / c.features.sampleRate} ms frame.`,
    '',
    verdictLine(p.verdicts),
    '',
    CARD_MARKER,
    '',
    '## Data',
    '',
    ...dataSection(c, p),
    '',
    '## Model',
    '',
    ...modelSection(c),
    '',
    '## Training',
    '',
    ...trainingSection(c, p),
    '',
    '## Measured',
    '',
    ...measuredSection(c, p, figures),
    '',
    ...(c.quantization ? [`## ${QUANTIZATION_HEADING}`, '', ...quantizationLines(c.quantization), ''] : []),
    ...(text.sections ?? []).flatMap((s) => [`## ${s.heading}`, '', ...s.lines, '']),
    ...(c.metrics?.mining ? [`## ${MINING_HEADING}`, '', ...miningLines(c.metrics.mining), ''] : []),
    '## What these numbers mean',
    '',
    `- Clip accuracy: a clip counts as right when the strongest smoothed posterior over it (silence when nothing reaches ${CLIP_MIN_SCORE}) is its label. The train column is a fixed sample of training clips, unaugmented.`,
    '- FRR is the mean over keywords of missed / inserted words; false alarms per hour count every keyword together. Validation figures chose the thresholds, so test figures are the honest ones.',
    ...(text.caveats ?? []).map((s) => `- ${s}`),
    '',
    '## Reproduce',
    '',
    '```sh',
    reproduce,
    '```',
    '',
  ].join('\n');
}

/** True when DIR has no README.md or one this writer made (so rewriting it loses nothing). */
export function cardIsOurs(dir: string): boolean {
  const file = path.join(dir, CARD_FILE);
  return !fs.existsSync(file) || fs.readFileSync(file, 'utf8').includes(CARD_MARKER);
}

/**
 * Writes DIR/README.md and DIR/learning-curves.svg from DIR/kws.json. `text`, when given, is
 * stored in kws.json `card` first, so later rewrites (kws eval) keep it. Returns the files written.
 */
export async function writeModelCard(dir: string, text?: CardText): Promise<string[]> {
  let config = loadModelConfig(dir);
  if (text) {
    config = { ...config, card: text };
    writeModelConfig(dir, config);
  }
  const { learningCurvesSvg } = await import('../eval/plots.js');
  const p = partsOf(config);
  const written: string[] = [];
  if (p.history.length) {
    const curves = path.join(dir, LEARNING_CURVES_FILE);
    fs.writeFileSync(curves, await learningCurvesSvg(p.history, `${config.name}: learning curves`, p.t.bestEpoch));
    written.push(curves);
  }
  const figures = EVAL_FIGURES.map((f) => f.file).filter((f) => fs.existsSync(path.join(dir, f)));
  const card = path.join(dir, CARD_FILE);
  // the int8 comparison `npm run int8` measured stays until it is measured again
  const old = fs.existsSync(card) ? fs.readFileSync(card, 'utf8') : '';
  fs.writeFileSync(card, withKeptSections(modelCard(config, figures), old, [INT8_SECTION], card));
  return [card, ...written];
}

/** After kws eval / kws thresholds: rewrites the card if it is ours; says what happened, in one line. */
export async function refreshModelCard(dir: string): Promise<string> {
  if (!cardIsOurs(dir)) return `${path.join(dir, CARD_FILE)} was not written by kws train: left as it is (the figures are in kws.json)`;
  const [card] = await writeModelCard(dir);
  return `model card: ${card}`;
}

/** What each frame's coefficients are: MFCCs, or the DCT of PCEN-compressed mel energies with PCEN's constants. */
function describeCoefficients(f: FeatureConfig): string {
  if (f.compression !== 'pcen' || !f.pcen) return `${f.coefficients} MFCCs (meyda's definition)`;
  const { smoothing, alpha, delta, root, epsilon } = f.pcen;
  return `${f.coefficients} cepstral coefficients of PCEN-compressed mel energies (meyda's mel bank and DCT; PCEN s ${smoothing}, α ${alpha}, δ ${delta}, r ${root}, ε ${epsilon}: src/features/pcen.ts)`;
}
