/** Timing helpers for the benchmarks: per-call samples in µs, median and p99. */

/** Runs `fn(i)` `warmup` times untimed, then `count` times timed; returns µs per call, sorted. */
export function timeEach(count: number, fn: (i: number) => void, warmup = Math.min(1000, count)): Float64Array {
  for (let i = 0; i < warmup; i++) fn(i);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    fn(i);
    out[i] = Number(process.hrtime.bigint() - t0) / 1e3;
  }
  return out.sort();
}

/** Async variant for calls that must be awaited (tfjs data download). */
export async function timeEachAsync(count: number, fn: (i: number) => Promise<void>, warmup = 3): Promise<Float64Array> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    out[i] = Number(process.hrtime.bigint() - t0) / 1e3;
  }
  return out.sort();
}

/** Mean ms per call of `fn(i)` over `count` timed calls after `warmup` untimed ones (timeEach's samples). */
export function meanMs(count: number, fn: (i: number) => void, warmup = 1): number {
  const samples = timeEach(count, fn, warmup);
  return samples.reduce((a, b) => a + b, 0) / samples.length / 1e3;
}

export interface Summary {
  median: number;
  p99: number;
  n: number;
}

/** Median and 99th percentile (nearest rank) of sorted samples. */
export function summarize(sorted: Float64Array): Summary {
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: at(0.5), p99: at(0.99), n: sorted.length };
}
