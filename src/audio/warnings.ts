/**
 * Recoverable problems in audio input (a truncated data chunk, NaN samples, a FLAC that lost
 * sync): reading goes on, and the problem is reported once, naming the source.
 * Default sink: one `warning: …` line on stderr (in a browser, on the console). Every message is also kept in `list`.
 */
export type WarningSink = (message: string) => void;

export const stderrWarning: WarningSink = (message) => {
  process.stderr.write(`warning: ${message}\n`);
};

/** stderr under Node; in a browser, which has no stderr, the console. */
export const defaultWarning: WarningSink = (message) =>
  typeof process !== 'undefined' && process.stderr ? stderrWarning(message) : console.warn(`warning: ${message}`);

export class Warnings {
  readonly list: string[] = [];
  constructor(
    private readonly sourceName: string,
    private readonly sink: WarningSink = defaultWarning,
  ) {}

  warn(problem: string): void {
    const message = `${this.sourceName}: ${problem}`;
    this.list.push(message);
    this.sink(message);
  }
}

/** Options every audio source accepts. */
export interface SourceOptions {
  /** Where warnings go; default: stderr. They are also listed on `source.warnings`. */
  onWarning?: WarningSink;
}
