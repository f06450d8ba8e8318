import { KwsError } from '../errors';

/** Turns an error into the one line a user sees. Unknown errors are bugs: say so. */
export function userMessage(err: unknown): string {
  if (err instanceof KwsError) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e && e.code === 'ENOENT' && e.path) return `${e.path}: no such file`;
  if (e && e.code === 'EISDIR' && e.path) return `${e.path}: is a directory, expected a file`;
  if (e && e.code === 'EACCES' && e.path) return `${e.path}: permission denied`;
  return `internal error: ${e && e.message ? e.message : String(err)} (please report this)`;
}
