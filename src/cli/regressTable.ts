/** What `kws regress` prints: the pass/fail table of a regression run. */
import { FileReport, summarize } from '../regress/compare';

/**
 * The pass/fail table a person reads: one row per expected or detected event. The "expected"
 * column shows the manifest's span: an expected event's, or a known false alarm's.
 */
export function formatRegressionTable(reports: readonly FileReport[], tolerance: number): string {
  const rows: string[][] = [['file', 'result', 'keyword', 'expected (s)', 'detected (s)', 'off by (s)']];
  const span = (x?: { start: number; end: number }) => (x ? `${x.start.toFixed(2)}–${x.end.toFixed(2)}` : '—');
  for (const r of reports) {
    if (r.error) rows.push([r.file, 'ERROR', '—', '—', '—', r.error]);
    else if (r.comparisons.length === 0) rows.push([r.file, 'ok', '(none)', '—', '—', '—']);
    for (const c of r.comparisons) {
      const label = c.outcome === 'ok' ? 'ok' : c.outcome.toUpperCase();
      rows.push([
        r.file,
        label,
        c.keyword,
        span(c.expected ?? c.knownFalseAlarm),
        span(c.detected),
        c.distance === undefined ? '—' : c.distance.toFixed(2),
      ]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const s = summarize(reports);
  lines.push('');
  lines.push(
    `${s.passed ? 'PASS' : 'FAIL'}: ${s.ok} ok, ${s.missed} missed, ${s.shifted} shifted, ${s.extra} extra` +
      `${s['known-miss'] ? `, ${s['known-miss']} known misses` : ''}` +
      `${s['known-false-alarm'] ? `, ${s['known-false-alarm']} known false alarms` : ''}` +
      `${s.fixed ? `, ${s.fixed} fixed (drop their knownMiss / knownFalseAlarms entry)` : ''}` +
      `${s.errors ? `, ${s.errors} unreadable` : ''} (tolerance ${tolerance} s)`,
  );
  return lines.join('\n');
}
