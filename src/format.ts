/** How figures are printed in logs, tables and model cards. */

/** 0.6234 → "62.3 %"; `missing` for a value that is absent or not finite, `unit` after the number. */
export function percent(x: number | null | undefined, missing = '—', unit = ' %'): string {
  return typeof x === 'number' && Number.isFinite(x) ? `${(100 * x).toFixed(1)}${unit}` : missing;
}
