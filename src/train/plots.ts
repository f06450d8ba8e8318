/**
 * SVG figures for evaluation reports, drawn by vega-lite (rendered headless by vega): a DET
 * curve (miss rate against false alarms per hour, one line per keyword, log FA axis) and a
 * confusion-matrix heat map. Plus the confusion matrix as a terminal table.
 */
import type { DetPoint } from './detection';

async function render(spec: object): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const vega = require('vega');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const vl = require('vega-lite');
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
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

/** The confusion matrix as aligned text (rows: true label, columns: predicted). */
export function confusionTable(labels: readonly string[], matrix: readonly number[][]): string {
  const width = Math.max(6, ...labels.map((l) => l.length)) + 1;
  const pad = (s: string) => s.padStart(width);
  const head = pad('true\\pred') + labels.map(pad).join('');
  return [head, ...matrix.map((row, i) => pad(labels[i]) + row.map((n) => pad(String(n))).join(''))].join('\n');
}
