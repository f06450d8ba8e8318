/**
 * `kws detect <file|-> …` — keyword events in audio files (or raw PCM on stdin), one line each.
 * A file that cannot be read is reported in one line and the others still run; the exit code
 * is 1 if any input failed, 0 otherwise (also when nothing was detected).
 */
import { Command } from 'commander';
import { TARGET_SAMPLE_RATE } from '../../audio/source';
import { modelOptions } from '../modelOptions';
import { numberOption } from '../numbers';
import { userMessage } from '../userMessage';
import { MIN_SAMPLE_RATE } from '../../audio/wavHeader';

interface DetectOptions {
  model?: string;
  json?: boolean;
  threshold?: string[];
  rate: string;
  encoding: string;
  channels: string;
}

export function register(program: Command): void {
  const command = program
    .command('detect')
    .description('print the keyword events in WAV/FLAC files, or in raw PCM read from stdin (-)')
    .argument('<inputs...>', "audio files; '-' reads raw PCM from stdin (see --rate/--encoding/--channels)")
    .option('--json', 'one JSON object per event: file, keyword, start, end, confidence')
    .option('--rate <hz>', 'stdin PCM sample rate', String(TARGET_SAMPLE_RATE))
    .option('--encoding <enc>', 'stdin PCM encoding: s16le or f32le', 's16le')
    .option('--channels <n>', 'stdin PCM channels', '1');
  modelOptions(command).action(async (inputs: string[], opts: DetectOptions) => {
    const { loadSpotterFromOptions, formatEvent } = await import('../spotterOptions.js');
    const { openAudio } = await import('../../audio/open.js');
    const { pcmStream } = await import('../../audio/pcm.js');
    const sampleRate = numberOption('--rate', opts.rate, { unit: 'Hz', min: MIN_SAMPLE_RATE });
    const channels = numberOption('--channels', opts.channels, { whole: true, min: 1 });
    const spotter = await loadSpotterFromOptions(opts);
    for (const input of inputs) {
      try {
        if (input === '-' && process.stdin.isTTY) process.stderr.write('reading raw PCM from stdin (end with Ctrl-D)\n');
        const source =
          input === '-'
            ? pcmStream(process.stdin, {
                sampleRate,
                encoding: opts.encoding as 's16le' | 'f32le',
                channels,
              })
            : await openAudio(input);
        for await (const event of spotter.detect(source)) process.stdout.write(`${formatEvent(input, event, !!opts.json)}\n`);
      } catch (err) {
        process.stderr.write(`kws: ${userMessage(err)}\n`);
        process.exitCode = 1;
      }
    }
  });
}
