/**
 * SVG figures for evaluation reports and model cards, drawn by vega-lite (rendered headless by
 * vega): a DET curve (miss rate against false alarms per hour, one line per keyword, log FA
 * axis), a confusion-matrix heat map, and learning curves (accuracy and loss per epoch, train
 * against validation). Plus the confusion matrix as a terminal table.
 */
import * as vega from 'vega';
import { compile, TopLevelSpec } from 'vega-lite';
import type { DetPoint } from './detection';
import type { EpochRecord } from '../model/records';

/** Callers import this module lazily (`await import`), so vega loads only when a figure is drawn. */
async function render(spec: object): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec as TopLevelSpec).spec), { renderer: 'none' });
  return view.toSVG();
}

/** DET curve. FA/h of 0 is drawn at `floorFa` so the log axis can show it. */
export function detSvg(points: readonly DetPoint[], title: string, floorFa = 0.1): Promise<string> {
  const values = points.map((p) => ({ ...p, fa: Math.max(floorFa, p.faPerHour), miss: 100 * p.frr }));
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 480,
    height: 320,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'fa', type: 'quantitative', scale: { type: 'log' }, title: `false alarms per hour (0 drawn at ${floorFa})` },
      y: { field: 'miss', type: 'quantitative', title: 'miss rate (%)' },
      color: { field: 'keyword', type: 'nominal' },
      order: { field: 'threshold', type: 'quantitative' },
      tooltip: [{ field: 'threshold' }, { field: 'faPerHour' }, { field: 'miss' }],
    },
  });
}

/** Confusion matrix heat map: rows true label, columns predicted, cells counts. */
export function confusionSvg(labels: readonly string[], matrix: readonly number[][], title: string): Promise<string> {
  const values = matrix.flatMap((row, i) => row.map((count, j) => ({ actual: labels[i], predicted: labels[j], count })));
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: labels as string[] },
      y: { field: 'actual', type: 'nominal', sort: labels as string[] },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues' } } } },
      { mark: { type: 'text' }, encoding: { text: { field: 'count', type: 'quantitative' } } },
    ],
  });
}

/**
 * Learning curves: clip accuracy (left) and loss (right) per epoch, for the training sample and
 * the validation split, plus the running loss of the augmented training batches. Fields an older
 * history lacks are left out. `bestEpoch` is named in the title (the weights kept).
 */
export function learningCurvesSvg(history: ReadonlyArray<Partial<EpochRecord>>, title: string, bestEpoch?: number): Promise<string> {
  const values: Array<{ epoch: number; measure: string; set: string; value: number }> = [];
  const add = (epoch: number, measure: string, set: string, value: number | undefined, scale = 1) => {
    if (typeof value === 'number' && Number.isFinite(value)) values.push({ epoch, measure, set, value: scale * value });
  };
  history.forEach((h, i) => {
    const epoch = h.epoch ?? i + 1;
    add(epoch, 'clip accuracy (%)', 'train', h.trainAccuracy, 100);
    add(epoch, 'clip accuracy (%)', 'validation', h.valAccuracy, 100);
    add(epoch, 'loss', 'train', h.trainLoss);
    add(epoch, 'loss', 'validation', h.valLoss);
    add(epoch, 'loss', 'training batches (augmented)', h.loss);
  });
  const sets = ['train', 'validation', 'training batches (augmented)'];
  const bySet = {
    field: 'set',
    type: 'nominal',
    title: null,
    sort: sets,
    scale: { domain: sets },
    legend: { labelLimit: 300, orient: 'bottom' },
  };
  const panel = (measure: string, y: object) => ({
    width: 300,
    height: 220,
    transform: [{ filter: { field: 'measure', equal: measure } }],
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: measure, ...y },
      // one legend: colour and dash both tell the sets apart
      color: bySet,
      strokeDash: bySet,
    },
  });
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: bestEpoch ? `${title} (weights kept: epoch ${bestEpoch})` : title,
    data: { values },
    // Accuracy on its full 0–100 % scale, so a model near chance looks like one.
    hconcat: [panel('clip accuracy (%)', { scale: { domain: [0, 100] } }), panel('loss', { scale: { zero: true } })],
  });
}

/** The confusion matrix as aligned text (rows: true label, columns: predicted). */
export function confusionTable(labels: readonly string[], matrix: readonly number[][]): string {
  const width = Math.max(6, ...labels.map((l) => l.length)) + 1;
  const pad = (s: string) => s.padStart(width);
  const head = pad('true\\pred') + labels.map(pad).join('');
  return [head, ...matrix.map((row, i) => pad(labels[i]) + row.map((n) => pad(String(n))).join(''))].join('\n');
}
