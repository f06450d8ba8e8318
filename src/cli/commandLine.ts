/**
 * The command line a model directory records (kws.json `training.command`), written and read by
 * one rule: words joined by spaces, a word holding whitespace JSON-quoted.
 */

/** `kws` and its arguments as one recorded line. */
export function recordedCommand(args: readonly string[]): string {
  return ['kws', ...args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a))].join(' ');
}

/** The words of a recorded line (the inverse of recordedCommand). */
export function commandWords(line: string): string[] {
  return (line.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? []).map((w) => (w.startsWith('"') ? (JSON.parse(w) as string) : w));
}
