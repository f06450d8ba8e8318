/**
 * Model cards (a model directory's README.md), written from measured numbers only: kws.json
 * (what was trained and how) and an eval report (what it scores). Nothing here is typed in by
 * hand, so re-running the training script rewrites a card that matches its model.
 */
import { INT16_SAMPLE_SCALE } from '../features/config';
import { KwsModelConfig } from '../pipeline/modelConfig';
import type { EvalReport } from './evaluate';

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export interface CardText {
  title: string;
  /** One paragraph: what the model is for and what it was trained on. */
  summary: string;
  /** Markdown bullet lines describing the data (source, voices/speakers held out, licence). */
  data: string[];
  /** The one command that reproduces this directory. */
  reproduce: string;
  /** Plain statements of what the numbers do and do not show. */
  caveats: string[];
}

/** Section "Measured" from an eval report: clip accuracy, per class, detection. */
export function measuredSection(r: EvalReport): string[] {
  const lines = [
    `- Clip accuracy on the ${r.split} split (${r.clips} clips, streaming runtime, frame by frame): **${pct(r.accuracy)}**`,
    `- Detection on a ${r.streamHours.toFixed(2)} h composed stream (background noise, non-keyword speech, ${r.split} keywords inserted): ` +
      `mean false-reject rate **${pct(r.frr)}**, **${r.faPerHour.toFixed(2)}** false alarms per hour (all keywords together) at the shipped thresholds`,
    '',
    '| label | precision | recall | clips |',
    '|---|---|---|---|',
    ...Object.entries(r.perClass).map(([l, s]) => `| ${l} | ${pct(s.precision)} | ${pct(s.recall)} | ${s.support} |`),
    '',
    '| keyword | threshold | FRR | missed / inserted | false alarms per hour |',
    '|---|---|---|---|---|',
    ...Object.entries(r.perKeyword).map(([k, s]) => `| ${k} | ${r.thresholds[k]} | ${pct(s.frr)} | ${s.missed} / ${s.inserted} | ${s.faPerHour.toFixed(2)} |`),
    '',
    'Figures: [confusion matrix](confusion.svg), [DET curve](det.svg).',
  ];
  return lines;
}

/** Section "Model": architecture, size, training run. */
export function modelSection(c: KwsModelConfig): string[] {
  const t = (c.training ?? {}) as Record<string, any>;
  const v = (c.metrics?.validationStream ?? {}) as Record<string, number> & { command?: string };
  const head = Number(t.config?.model?.headUnits ?? 1);
  return [
    `- Labels: ${c.labels.join(', ')} (events for: ${c.keywords.join(', ')})`,
    `- Features: ${c.features.coefficients} MFCCs (meyda's definition) of ${c.features.windowSize}-sample windows every ${c.features.hop} samples at ${c.features.sampleRate} Hz, ${c.features.melBands} mel bands, ` +
      `samples × ${c.features.sampleScale}${c.features.sampleScale === INT16_SAMPLE_SCALE ? ' (16-bit units)' : ''}, normalised with training statistics`,
    `- Network: LMU (${Object.entries(c.lmu).map(([k, val]) => `${k} ${val}`).join(', ')}) → ${head > 0 ? `dense ${head} ReLU → ` : ''}softmax, one step per frame`,
    `- Parameters: **${c.params}**; float32 weights: **${c.bytes} bytes**`,
    `- Smoother: ${c.smoother.smoothFrames}-frame moving average, ${c.smoother.maxFrames}-frame max, ${c.smoother.refractoryFrames}-frame refractory period, ${c.smoother.minFrames} frames above threshold`,
    `- Thresholds chosen on the validation split's ${v.hours !== undefined ? `${v.hours.toFixed(2)} h ` : ''}stream for ≤ ${v.targetFaPerHour ?? 1} false alarm(s) per hour` +
      (v.frr !== undefined ? ` (there: FRR ${pct(v.frr)}, ${v.faPerHour.toFixed(2)} FA/h)` : '') +
      (v.command ? `, by \`${v.command}\`` : ''),
    `- Training: seed ${t.seed}, backend ${t.backend}, best epoch ${t.bestEpoch} of ${(t.history ?? []).length}, ${t.seconds} s; validation clip accuracy ${pct(Number(c.metrics?.validationClipAccuracy ?? 0))}`,
    `- Command: \`${t.command}\``,
  ];
}

export function modelCard(c: KwsModelConfig, r: EvalReport, text: CardText): string {
  return [
    `# ${text.title}`,
    '',
    text.summary,
    '',
    '## Data',
    ...text.data,
    '',
    '## Model',
    ...modelSection(c),
    '',
    '## Measured',
    ...measuredSection(r),
    '',
    '## What these numbers mean',
    ...text.caveats.map((s) => `- ${s}`),
    '',
    '## Reproduce',
    '```sh',
    text.reproduce,
    '```',
    '',
  ].join('\n');
}
