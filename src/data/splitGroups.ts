/**
 * Recordings that must land in one split, for a data folder without speaker labels (a groups
 * file, made by `kws groups`): a test figure means "voices and takes the model never heard" only
 * if no copy of a test recording, and as little as possible of its speaker, is in training.
 *
 *   - `sameRecording`: copies of one take (sameRecording.ts). The first of each group is kept;
 *     the others are skipped in every split, so one take counts once.
 *   - `sameSpeaker`: recordings one speaker made together (e.g. consecutively numbered files);
 *     all are kept, in one split.
 * A grouped file's split is the hash split (dataset.ts whichSet) of its group's smallest path,
 * so whole groups move together and ungrouped files keep their split.
 */
import * as fs from 'fs';
import * as path from 'path';
import { connectedGroups } from '../arrays';
import { DatasetError } from '../errors';
import { PACKAGE_ROOT } from '../packageRoot';

/** The groups file as written (paths relative to the data folder, '/'-separated). */
export interface SplitGroupsFile {
  /** What the file is and the command that made it. */
  about: string;
  command: string;
  sameRecording: string[][];
  sameSpeaker: string[][];
}

export interface SplitGroups {
  /** The file it was read from. */
  file: string;
  /** The name whose hash decides `rel`'s split: its group's smallest path, or itself. */
  keyOf(rel: string): string;
  /** True for every copy of a recording but the one kept. */
  isExtraCopy(rel: string): boolean;
  /** Every path the file names. */
  named: ReadonlySet<string>;
}

/** Groups of files named by whole numbers (`12.flac`) in one folder: blocks of `block` consecutive numbers (n div block). */
export function numberedRuns(rels: readonly string[], block: number): string[][] {
  const runs = new Map<string, string[]>();
  for (const rel of rels) {
    const m = /^(.*\/)?(\d+)\.[^./]+$/.exec(rel);
    if (!m) continue;
    const key = `${m[1] ?? ''}${Math.floor(Number(m[2]) / block)}`;
    runs.set(key, [...(runs.get(key) ?? []), rel]);
  }
  return [...runs.values()].filter((g) => g.length > 1).map((g) => g.sort(byNumber));
}

function byNumber(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Reads and checks a groups file as written; one DatasetError naming the file and the problem. */
export function readSplitGroupsFile(file: string): SplitGroupsFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new DatasetError(`${file}: cannot read the split groups (${e.code ?? e.message})`);
  }
  const f = parsed as Partial<SplitGroupsFile>;
  const isGroups = (g: unknown): g is string[][] =>
    Array.isArray(g) && g.every((x) => Array.isArray(x) && x.length > 0 && x.every((p) => typeof p === 'string'));
  if (!isGroups(f.sameRecording) || !isGroups(f.sameSpeaker)) {
    throw new DatasetError(
      `${file}: not a split groups file (expected sameRecording and sameSpeaker: lists of lists of paths; make one with kws groups)`,
    );
  }
  return f as SplitGroupsFile;
}

/** Reads a groups file (readSplitGroupsFile) into the rule the dataset follows. */
export function readSplitGroups(file: string): SplitGroups {
  const f = readSplitGroupsFile(file);
  const slashed = (g: string[]) => g.map((p) => p.replace(/\\/g, '/'));
  // union of both kinds: a copy of a recording in a speaker's run moves with the run; the key is
  // the group's smallest path, so it does not depend on the order groups are listed
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const keys = new Map(
    connectedGroups([...f.sameRecording, ...f.sameSpeaker].map(slashed), byName).flatMap((g) => g.map((m) => [m, g[0]] as const)),
  );
  const extraCopies = new Set(f.sameRecording.flatMap((g) => slashed(g).slice(1)));
  return {
    file,
    keyOf: (rel) => keys.get(rel) ?? rel,
    isExtraCopy: (rel) => extraCopies.has(rel),
    named: new Set(keys.keys()),
  };
}

/** Writes a groups file (pretty enough to diff: one group per line). */
export function writeSplitGroups(file: string, groups: SplitGroupsFile): void {
  const list = (gs: string[][]) => (gs.length === 0 ? '[]' : `[\n${gs.map((g) => `    ${JSON.stringify(g)}`).join(',\n')}\n  ]`);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(
    file,
    `{\n  "about": ${JSON.stringify(groups.about)},\n  "command": ${JSON.stringify(groups.command)},\n` +
      `  "sameRecording": ${list(groups.sameRecording)},\n  "sameSpeaker": ${list(groups.sameSpeaker)}\n}\n`,
  );
}

/**
 * How kws.json records a groups file: relative to the package root when it lies inside it (the
 * shipped splits/*.json — so a clone anywhere, or a model directory copied elsewhere, still finds
 * it), else absolute.
 */
export function recordedGroupsPath(file: string): string {
  const rel = path.relative(PACKAGE_ROOT, path.resolve(file));
  return rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(file) : rel.split(path.sep).join('/');
}

/** The file a kws.json record names (recordedGroupsPath's inverse). */
export function recordedGroupsFile(recorded: string): string {
  return path.resolve(PACKAGE_ROOT, recorded);
}
