/**
 * `kws` — a thin shell over the library. Each subcommand lives in src/cli/commands/<name>.ts
 * and exports `register(program)`; heavy modules (tfjs, audio) are imported inside the action
 * so `kws --help` stays instant. Known errors (KwsError) become one line and exit code 1.
 */
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { KwsError } from '../errors';
import { PACKAGE_ROOT } from '../packageRoot';

export interface CommandModule {
  register(program: Command): void;
}

export function buildProgram(): Command {
  const program = new Command('kws')
    .description('Keyword spotting with a streaming Legendre Memory Unit')
    .version(packageVersion(), '-V, --version', 'print the lmu-kws version')
    .showHelpAfterError();
  const dir = path.join(__dirname, 'commands');
  // .ts when run from src/ through tsx, .js (beside .d.ts) when run from the built dist/.
  for (const file of fs.readdirSync(dir).sort()) {
    if (!/\.[jt]s$/.test(file) || file.endsWith('.d.ts')) continue;
    const mod = require(path.join(dir, file)) as CommandModule;
    mod.register(program);
  }
  return program;
}

/** The version in package.json, the one place it is written. */
export function packageVersion(): string {
  const file = path.join(PACKAGE_ROOT, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Turns an error into the one line a user sees. Unknown errors are bugs: say so. */
export function userMessage(err: unknown): string {
  if (err instanceof KwsError) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e && e.code === 'ENOENT' && e.path) return `${e.path}: no such file`;
  if (e && e.code === 'EISDIR' && e.path) return `${e.path}: is a directory, expected a file`;
  if (e && e.code === 'EACCES' && e.path) return `${e.path}: permission denied`;
  return `internal error: ${e && e.message ? e.message : String(err)} (please report this)`;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    process.stderr.write(`kws: ${userMessage(err)}\n`);
    if (process.env.KWS_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  }
}
