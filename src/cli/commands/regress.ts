/**
 * `kws regress <manifest.json>` — offline audio regression tests (manifest format: see
 * src/regress/compare.ts or the README). Prints a pass/fail table (or one JSON object with
 * --json) and exits 1 on any missed, shifted or extra event or unreadable file.
 */
import { Command } from 'commander';
import { modelOptions } from '../modelOptions';
import { numberOption } from '../numbers';
import { formatRegressionTable } from '../regressTable';

interface RegressOptions {
  model?: string;
  threshold?: string[];
  tolerance?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const command = program
    .command('regress')
    .description('run the spotter over the WAVs of a manifest and compare with the expected events')
    .argument('<manifest>', 'manifest.json listing files and their expected events')
    .option('--tolerance <seconds>', "how far an event may be from its expected place (default: the manifest's, else 0.5)")
    .option('--json', 'print one JSON object (for CI) instead of the table');
  modelOptions(command).action(async (manifestPath: string, opts: RegressOptions) => {
    const { runRegression } = await import('../../regress/run.js');
    const { loadSpotterFromOptions } = await import('../spotterOptions.js');
    const tolerance = opts.tolerance === undefined ? undefined : numberOption('--tolerance', opts.tolerance, { unit: 'seconds' });
    const spotter = await loadSpotterFromOptions(opts);
    const result = await runRegression(spotter, manifestPath, tolerance);
    if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stdout.write(`${formatRegressionTable(result.files, result.tolerance)}\n`);
    if (!result.summary.passed) process.exitCode = 1;
  });
}
