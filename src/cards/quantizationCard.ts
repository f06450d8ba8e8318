/**
 * The int8 part of a model card: how the runtime weights were quantized and, once bench/int8.ts
 * has measured it, the float32 model against its int8 form (bytes, test accuracy, detection,
 * µs per step). The int8 model's own card shows it (modelCard.ts), and `npm run int8` writes the
 * same lines into the float32 model's card, so both cards carry the one table.
 */
import { percent } from '../format';
import { QuantizationMeasurement, QuantizationRecord } from '../model/records';

export const QUANTIZATION_HEADING = 'int8 runtime weights (`kws quantize`)';
/** The marked section (markdownSection.ts) that `npm run int8` writes into a float32 model's card and into BENCHMARKS.md. */
export const INT8_SECTION = 'int8';

const points = (from: number, to: number) => `${(100 * (to - from)).toFixed(1)} points`;

function measuredLines(m: QuantizationMeasurement): string[] {
  const { float: f, int8: q } = m;
  const same = f.demoKeywords.join(' ') === q.demoKeywords.join(' ');
  return [
    '| | float32 | int8 | int8 / float32 |',
    '|---|---:|---:|---:|',
    `| runtime weight bytes (kws.json \`bytes\`) | ${f.bytes} | ${q.bytes} | ${percent(q.bytes / f.bytes)} |`,
    `| runtime weights file on disk (JSON, base64) | ${f.fileBytes} | ${q.fileBytes} | ${percent(q.fileBytes / f.fileBytes)} |`,
    `| clip accuracy, ${m.split} split (${f.clips} clips) | ${percent(f.accuracy)} | ${percent(q.accuracy)} | ${points(f.accuracy, q.accuracy)} |`,
    `| detection: FRR, false alarms per hour (${m.streamMinutes} min stream) | ${percent(f.frr)}, ${f.faPerHour.toFixed(1)} | ${percent(q.frr)}, ${q.faPerHour.toFixed(1)} | |`,
    `| µs per streaming step, median (p99) | ${f.usPerStep.median.toFixed(1)} (${f.usPerStep.p99.toFixed(1)}) | ${q.usPerStep.median.toFixed(1)} (${q.usPerStep.p99.toFixed(1)}) | ${(q.usPerStep.median / f.usPerStep.median).toFixed(2)}× |`,
    `| \`kws detect fixtures/demo.wav\` | ${f.demoKeywords.join(', ') || 'nothing'} | ${q.demoKeywords.join(', ') || 'nothing'} | ${same ? 'same' : 'differ'} |`,
    '',
    `Measured by \`${m.command}\` on ${m.date}: \`kws eval\` on \`${m.data}\` for both; the step timing alternates float32 and int8 in one process, ` +
      `with load average ${m.load.map((l) => l.toFixed(2)).join(', ')} on the machine (other work inflates µs, most of all p99).`,
  ];
}

/** The section's lines (no heading): the method, then the measured table when there is one. */
export function quantizationLines(q: QuantizationRecord): string[] {
  return [
    `- Kernels: ${q.scheme}; kept float32: ${q.float}. The streaming runtime multiplies the int8 values as stored and scales each output once (no float copy of the weights).`,
    `- Made from \`${q.from}\` (${q.floatBytes} bytes of float32 weights)${q.command ? ` by \`${q.command}\`` : ''}; the tfjs model stays float32, for further training.`,
    '',
    ...(q.measured ? measuredLines(q.measured) : ['Not measured yet against the float32 model: `npm run int8`.']),
  ];
}
