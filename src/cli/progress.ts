/**
 * What the user sees of a long step (src/progress.ts): on a terminal, one cli-progress bar
 * per step; elsewhere (CI logs, pipes) a line when a step starts, one every PROGRESS_LINE_SEC
 * while it runs, e.g. `thresholds: validation stream: 3.2 of 10 h (1 min 5 s, about 2 min left)`,
 * and one when a step that printed a periodic line ends. Every command's progress goes through
 * here, so long steps look the same everywhere.
 */
import { Presets, SingleBar } from 'cli-progress';
import { OnProgress, ProgressPrinter, ProgressStep } from '../progress';

/** Seconds between progress lines when stderr is not a terminal. */
export const PROGRESS_LINE_SEC = 10;

export interface ProgressOptions {
  /** No progress at all (log lines too). */
  quiet?: boolean;
  stream?: Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean };
  lineEverySec?: number;
  /** Clock in ms (tests). */
  now?: () => number;
}

export type { ProgressPrinter };

/** 3.2, 10, 0.05: two significant digits below 10, whole numbers as they are. */
export function formatAmount(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(x >= 10 ? 3 : 2)));
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min${s - 60 * m >= 1 ? ` ${Math.round(s - 60 * m)} s` : ''}`;
}

function amountText(step: ProgressStep, done: number, total: number): string {
  return step.unit === '%' ? `${Math.round(done)} %` : `${formatAmount(done)} of ${formatAmount(total)} ${step.unit}`;
}

export function progressPrinter(o: ProgressOptions = {}): ProgressPrinter {
  const stream = o.stream ?? process.stderr;
  const now = o.now ?? Date.now;
  const every = 1000 * (o.lineEverySec ?? PROGRESS_LINE_SEC);
  if (o.quiet) return { onProgress: () => undefined, log: () => undefined, end: () => undefined };

  let current: ProgressStep | null = null;
  /** The step that just ended: a repeated "done" of it is not a new step. */
  let finished: string | null = null;
  let bar: SingleBar | null = null;
  let started = 0;
  let lastLine = 0;
  let periodic = false;
  const end = () => {
    bar?.stop();
    bar = null;
    if (current) finished = current.name;
    current = null;
  };
  const line = (text: string) => stream.write(text + '\n');

  const onTerminal = (step: ProgressStep, done: number, total: number) => {
    if (!bar) {
      bar = new SingleBar(
        { format: `${step.name} |{bar}| {amount} ETA {eta_formatted}`, stream: stream as NodeJS.WriteStream },
        Presets.shades_classic,
      );
      bar.start(total, done, { amount: amountText(step, done, total) });
    }
    bar.setTotal(total);
    bar.update(done, { amount: amountText(step, done, total) });
    if (done >= total) end();
  };

  const inLog = (step: ProgressStep, done: number, total: number) => {
    const t = now();
    if (done >= total) {
      const elapsed = (t - started) / 1000;
      if (periodic) line(`${step.name}: ${amountText(step, done, total)} (done in ${formatSeconds(elapsed)})`);
      end();
      return;
    }
    if (t - lastLine < every) return;
    const elapsed = (t - started) / 1000;
    const left = done > 0 ? (elapsed * (total - done)) / done : NaN;
    line(
      `${step.name}: ${amountText(step, done, total)} (${formatSeconds(elapsed)}${Number.isFinite(left) ? `, about ${formatSeconds(left)} left` : ''})`,
    );
    lastLine = t;
    periodic = true;
  };

  const onProgress: OnProgress = (step, done, total) => {
    if (!current && step.name === finished && done >= total) return;
    if (!current || current.name !== step.name) {
      end();
      finished = null;
      current = step;
      started = now();
      periodic = false;
      if (!stream.isTTY) {
        line(`${step.name}: ${amountText(step, done, total)}`);
        lastLine = started;
        if (done >= total) end();
        return;
      }
    }
    if (stream.isTTY) onTerminal(step, done, total);
    else inLog(step, done, total);
  };

  return {
    onProgress,
    log: (text) => {
      end();
      line(text);
    },
    end,
  };
}
