/**
 * Options shared by the commands that run the spotter (detect, listen, regress). Kept free of
 * heavy imports so `kws --help` stays instant.
 */
import { Command } from 'commander';
import { collect } from './numbers';

/** Adds `--model DIR` and the repeatable `--threshold kw=value` to a command. */
export function modelOptions(command: Command): Command {
  return command
    .option('--model <dir>', 'model directory (default: the shipped models/default)')
    .option('--threshold <keyword=value>', 'override a keyword threshold, e.g. yes=0.8 (repeatable)', collect);
}
