/**
 * Where the real data sets live. They are too big (and not ours) to keep in the repository, so
 * they are read in place from one folder: $KWS_DATA, or ../shared/data beside the repository
 * (where CI and the developers' machines have it).
 */
import * as path from 'path';
import { PACKAGE_ROOT } from '../packageRoot';

/** The environment variable that names the data folder. */
export const DATA_ROOT_ENV = 'KWS_DATA';

/** The data folder when KWS_DATA is not set: `shared/data` next to the repository. */
export const DEFAULT_DATA_ROOT = path.resolve(PACKAGE_ROOT, '..', 'shared', 'data');

/** The data folder (absolute; a relative KWS_DATA is taken from the current directory). */
export function dataRoot(env: NodeJS.ProcessEnv = process.env): string {
  const set = env[DATA_ROOT_ENV];
  return set ? path.resolve(set) : DEFAULT_DATA_ROOT;
}

/** A path inside the data folder, e.g. dataPath('wakewords'). */
export function dataPath(...parts: string[]): string {
  return path.join(dataRoot(), ...parts);
}

/** `p` as a card or table shows it: inside the data folder as `$KWS_DATA/…`, so it reads the same on every machine. */
export function shownDataPath(p: string): string {
  const rel = path.relative(dataRoot(), path.resolve(p));
  return rel.startsWith('..') || path.isAbsolute(rel) ? p : path.join(`$${DATA_ROOT_ENV}`, rel);
}
