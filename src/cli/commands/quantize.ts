/**
 * `kws quantize --model DIR --out DIR` — writes DIR's LMU model again with int8 runtime weights
 * (src/model/quantizeDir.ts): about a quarter of the bytes; the tfjs model stays float32. Then
 * writes the new directory's model card.
 */
import { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('quantize')
    .description('write an LMU model with int8 runtime weights (one scale per output channel); the tfjs model stays float32')
    .requiredOption('--model <dir>', 'the float32 model directory (left as it is)')
    .requiredOption('--out <dir>', 'the new model directory')
    .action(async (opts) => {
      const { quantizeModelDir } = await import('../../model/quantizeDir.js');
      const { writeModelCard } = await import('../../cards/modelCard.js');
      const config = quantizeModelDir(opts.model, opts.out, ['kws', ...process.argv.slice(2)].join(' '));
      await writeModelCard(opts.out);
      const from = config.quantization!.floatBytes;
      const share = ((100 * config.bytes) / from).toFixed(0);
      process.stdout.write(`${opts.out}: int8 runtime weights, ${config.bytes} bytes (float32: ${from} bytes, ${share} %)\n`);
    });
}
