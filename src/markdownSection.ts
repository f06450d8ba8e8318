/**
 * A generated section of a Markdown file that is otherwise kept another way (BENCHMARKS.md: most
 * of it by `npm run bench`, one table by `npm run rivals`). The section is the lines from
 *
 *     <!-- begin NAME … -->     to     <!-- end NAME -->
 *
 * (whatever follows NAME on the first line is a note for readers); rewriting it leaves every
 * other line of the file as it was.
 */
import { KwsError } from './errors';

const beginsSection = (line: string, name: string) => line === `<!-- begin ${name} -->` || line.startsWith(`<!-- begin ${name} `);
const endsSection = (line: string, name: string) => line === `<!-- end ${name} -->`;

/** [first, last] line of the section, or undefined when the text has none; a KwsError when it is broken. */
function sectionLines(lines: readonly string[], name: string, file: string): [number, number] | undefined {
  const begins = lines.flatMap((l, i) => (beginsSection(l, name) ? [i] : []));
  const ends = lines.flatMap((l, i) => (endsSection(l, name) ? [i] : []));
  if (begins.length === 0 && ends.length === 0) return undefined;
  if (begins.length !== 1 || ends.length !== 1 || ends[0] < begins[0]) {
    throw new KwsError(`${file}: section '${name}' needs one '<!-- begin ${name} -->' line and one '<!-- end ${name} -->' line after it`);
  }
  return [begins[0], ends[0]];
}

/** The whole section, markers included, or undefined when `text` has none. */
export function markedSection(text: string, name: string, file = 'text'): string | undefined {
  const lines = text.split('\n');
  const at = sectionLines(lines, name, file);
  return at && lines.slice(at[0], at[1] + 1).join('\n');
}

/**
 * `text` with section `name` holding `body` (its markers written anew, `note` after the name):
 * in place of the old section, or appended after a blank line when there was none.
 */
export function replaceMarkedSection(text: string, name: string, body: string, note = '', file = 'text'): string {
  const section = [`<!-- begin ${name}${note ? ` ${note}` : ''} -->`, body.replace(/\n+$/, ''), `<!-- end ${name} -->`];
  const lines = text.split('\n');
  const at = sectionLines(lines, name, file);
  if (at) return [...lines.slice(0, at[0]), ...section, ...lines.slice(at[1] + 1)].join('\n');
  const head = text.replace(/\n+$/, '');
  return `${head}${head ? '\n\n' : ''}${section.join('\n')}\n`;
}

/**
 * `text` (a file written anew) followed by the sections `names` of the file's `old` text, in that
 * order, each after a blank line: what another command generated survives the rewrite.
 */
export function withKeptSections(text: string, old: string, names: readonly string[], file = 'text'): string {
  const kept = names.map((name) => markedSection(old, name, file)).filter((s): s is string => s !== undefined);
  return `${[text.replace(/\n*$/, ''), ...kept].join('\n\n')}\n`;
}
