/**
 * `kws` — a thin shell over the library. Each subcommand lives in src/cli/commands/<name>.ts
 * and exports `register(program)`; heavy modules (tfjs, audio) are imported inside the action
 * (`await import()`) so `kws --help` stays instant. Known errors (KwsError) become one line and exit code 1.
 */
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { PACKAGE_ROOT } from '../packageRoot';
import * as detect from './commands/detect';
import * as evaluate from './commands/eval';
import * as groups from './commands/groups';
import * as listen from './commands/listen';
import * as mine from './commands/mine';
import * as quantize from './commands/quantize';
import * as regress from './commands/regress';
import * as synth from './commands/synth';
import * as thresholds from './commands/thresholds';
import * as train from './commands/train';
import { userMessage } from './userMessage';

export { userMessage };

export interface CommandModule {
  register(program: Command): void;
}

/** Every subcommand, in the order `kws --help` lists them. */
const COMMANDS: readonly CommandModule[] = [detect, evaluate, groups, listen, mine, quantize, regress, synth, thresholds, train];

export function buildProgram(): Command {
  const program = new Command('kws')
    .description('Keyword spotting with a streaming Legendre Memory Unit')
    .version(packageVersion(), '-V, --version', 'print the lmu-kws version')
    .showHelpAfterError();
  for (const command of COMMANDS) command.register(program);
  return program;
}

/** The version in package.json, the one place it is written. */
export function packageVersion(): string {
  const file = path.join(PACKAGE_ROOT, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

/**
 * A reader that goes away (`kws detect … | head -1`, `| grep -q`) ends the command quietly, as it
 * ends any Unix filter: nobody is left to read what it would print, and a stack trace helps no one.
 */
function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

export async function main(argv: string[]): Promise<void> {
  endQuietlyWhenStdoutCloses();
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    process.stderr.write(`kws: ${userMessage(err)}\n`);
    if (process.env.KWS_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  }
}
