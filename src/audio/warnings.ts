/**
 * Recoverable problems in audio input (a truncated data chunk, NaN samples, a FLAC that lost
 * sync): reading goes on, and the problem is reported once, naming the source.
 * Default sink: one `warning: …` line on stderr (in a browser, on the console). Every message is also kept in `list`.
 */
export type WarningSink = (message: string) => void;

/** What a warning needs of Node's process.stderr; looked up per call, so the browser build (no process) can use this file. */
type Stderr = { write(text: string): unknown };

/** One `warning: …` line on stderr; in a browser, which has no stderr, on the console. */
export const stderrWarning: WarningSink = (message) => {
  const stderr = (globalThis as { process?: { stderr?: Stderr } }).process?.stderr;
  if (stderr) stderr.write(`warning: ${message}\n`);
  else console.warn(`warning: ${message}`);
};

export class Warnings {
  readonly list: string[] = [];
  constructor(
    private readonly sourceName: string,
    private readonly sink: WarningSink = stderrWarning,
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
