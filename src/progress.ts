/**
 * How long library steps report progress: `onProgress(step, done, total)`, with `done` and
 * `total` in the step's unit (clips, hours of stream, thresholds). The library only counts;
 * what a user sees — a bar on a terminal, a line every few seconds in a log — is the CLI's
 * business (src/cli/progress.ts).
 */
export interface ProgressStep {
  /** What is being done, e.g. "thresholds: validation stream". */
  name: string;
  /** Unit of done/total, e.g. "clips", "h". */
  unit: string;
}

export type OnProgress = (step: ProgressStep, done: number, total: number) => void;

/** Decoding a data folder's clips (loadTrainingData's onClip). */
export const READING_CLIPS_STEP: ProgressStep = { name: 'reading clips', unit: 'clips' };

/** A callback that ignores progress. */
export const NO_PROGRESS: OnProgress = () => undefined;

/** Where a long library job (kws train) reports: progress, log lines, and the end of its last bar. */
export interface ProgressPrinter {
  onProgress: OnProgress;
  /** Prints one line, after ending the bar in progress. */
  log(line: string): void;
  /** Ends the bar in progress (before the command prints its results). */
  end(): void;
}

/** A printer that prints nothing. */
export const SILENT_PRINTER: ProgressPrinter = { onProgress: NO_PROGRESS, log: () => undefined, end: () => undefined };

/**
 * Passes `blocks` through, reporting after each block; `amount(block)` is what one block adds to
 * `done` (e.g. its hours of audio). Reports 0 of `total` before the first block.
 */
export function* reportBlocks<T>(
  blocks: Iterable<T>,
  step: ProgressStep,
  total: number,
  amount: (block: T) => number,
  onProgress: OnProgress,
): Generator<T> {
  let done = 0;
  onProgress(step, 0, total);
  for (const block of blocks) {
    yield block;
    done += amount(block);
    onProgress(step, Math.min(done, total), total);
  }
}
