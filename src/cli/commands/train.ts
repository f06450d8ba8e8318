/** `kws train --data DIR --out DIR` — trains an LMU keyword model, or a rival of it with --arch (src/train/runTrain.ts). */
import { Command, InvalidArgumentError, Option } from 'commander';
import { collect, decimal, integer, list } from '../numbers';
import { DEFAULT_HARD_NEGATIVE_WEIGHT, DEFAULT_SILENCE_PERCENT, DEFAULT_UNKNOWN_PERCENT } from '../../data/dataset';
import { TARGET_FA_PER_HOUR, THRESHOLD_STREAM_MINUTES, TRAIN_DEFAULTS } from '../../train/defaults';
import { progressPrinter } from '../progress';
import { recordedCommand } from '../commandLine';
import { ARCHITECTURES, RIVAL_DEFAULTS } from '../../rivals/options';
import { DEFAULT_PCEN, MEL_COMPRESSIONS, parsePcenConstants } from '../../features/pcen';

/** A `lo,hi` option with lo ≤ hi, each in [min, max]. */
function range(min: number, max: number, unit: string) {
  return (value: string): [number, number] => {
    const [lo, hi] = list(value).map(decimal(min, max));
    if (hi === undefined || lo > hi) throw new InvalidArgumentError(`expected lo,hi${unit} with lo ≤ hi, got '${value}'`);
    return [lo, hi];
  };
}
const snrRange = range(-30, 60, ' in dB');

export function register(program: Command): void {
  const d = TRAIN_DEFAULTS;
  const r = RIVAL_DEFAULTS;
  program
    .command('train')
    .description('train an LMU keyword model (or, with --arch, a rival of it) on a Speech Commands-layout folder')
    .requiredOption(
      '--data <dir>',
      'data folder: <label>/<clip>.wav or .flac, any length (+ validation_list.txt, testing_list.txt, _background_noise_); repeat to add folders with clips of the same keywords',
      collect,
    )
    .option(
      '--negatives <dir>',
      'folder of negatives (e.g. kws synth --per-word 0): every word folder counts as _unknown_, its _silence_ and _background_noise_ are added; repeatable',
      collect,
    )
    .option(
      '--hard-negatives <dir>',
      'folder of hard negatives (kws mine --out): its training clips join the training _unknown_ clips, never validation or test; repeatable',
      collect,
    )
    .option(
      '--hard-negative-weight <w>',
      'multiplier of the frame weights of the hard-negative clips',
      decimal(0, 100),
      DEFAULT_HARD_NEGATIVE_WEIGHT,
    )
    .option(
      '--groups <file>',
      "split groups of --data (kws groups): copies of one recording are kept once, one speaker's takes share a split; evaluation reads the same split",
    )
    .option(
      '--noise <dir>',
      "folder of background noise recordings (every audio file; beside the data's _background_noise_); repeatable",
      collect,
    )
    .option('--speech <dir>', 'folder of speech recordings without the keywords, used as background speech; repeatable', collect)
    .option(
      '--clip-sec <s>',
      "training window in seconds; longer clips are cut around the word (default: the data's synth.json clipSec, else 1)",
      decimal(0.2, 10),
    )
    .requiredOption('--out <dir>', 'model directory to write')
    .option('--keywords <list>', 'comma-separated keywords (default: every word folder)', list)
    .option('--seed <n>', 'random seed', integer(0), d.seed)
    .option('--epochs <n>', 'maximum epochs', integer(1), d.epochs)
    .option('--batch-size <n>', 'sequences per batch', integer(1), d.batchSize)
    .option('--lr <rate>', 'peak learning rate (Adam)', decimal(1e-6, 1), d.lr)
    .option('--patience <n>', 'stop after this many epochs without a better validation accuracy', integer(1), d.patience)
    .addOption(
      new Option('--arch <name>', 'network: the LMU, or a rival trained the same way (GRU, LSTM, causal DS-CNN)')
        .choices(ARCHITECTURES)
        .default(d.arch),
    )
    .option(
      '--units <n>',
      `--arch gru/lstm: units (default ${r.gru.units} / ${r.lstm.units}: about 15.6 k parameters with --head 0)`,
      integer(1),
    )
    .option('--channels <n>', `--arch dscnn: channels (default ${r.dscnn.channels}: about 15.6 k parameters with --head 0)`, integer(1))
    .option('--blocks <n>', `--arch dscnn: depthwise-separable blocks (default ${r.dscnn.blocks})`, integer(0))
    .option('--kernel <frames>', `--arch dscnn: frames of each depthwise convolution (default ${r.dscnn.kernel})`, integer(1))
    .option('--first-kernel <frames>', `--arch dscnn: frames of the first, full convolution (default ${r.dscnn.firstKernel})`, integer(1))
    .option('--order <n>', 'LMU order (Legendre polynomials per memory channel)', integer(1), d.order)
    .option('--theta <frames>', 'LMU window θ in frames (10 ms each)', decimal(1), d.theta)
    .option('--memory-d <n>', 'LMU memory channels', integer(1), d.memoryD)
    .option('--hidden <n>', 'LMU hidden units', integer(1), d.hidden)
    .option(
      '--hidden-rank <r>',
      'rank of the LMU hidden kernel: 0 = full, r > 0 = a projection to r values, then to the hidden units (fewer weights and µs per step)',
      integer(0),
      d.hiddenRank,
    )
    .addOption(
      new Option('--hidden-activation <f>', 'activation of the LMU hidden cell (relu is cheaper per frame than tanh)')
        .choices(['tanh', 'relu'])
        .default(d.hiddenActivation),
    )
    .option(
      '--layers <n>',
      'LMU layers stacked: each reads the per-step output (hidden state) of the one below and keeps its own memory; every layer has the --order, --theta, --memory-d, --hidden, --hidden-rank and --hidden-activation above',
      integer(1),
      d.layers,
    )
    .option(
      '--front <n>',
      'units of a ReLU layer on each frame before the LMU, so that its memory holds learned features (0 = none: the features feed the memory)',
      integer(0),
      d.front,
    )
    .option('--head <n>', 'units of the ReLU layer before the softmax (0 = none: hidden state → softmax)', integer(0), d.head)
    .option(
      '--dropout <p>',
      'dropout on the output of the network (the LMU, its last layer in a stack, or the rival)',
      decimal(0, 0.9),
      d.dropout,
    )
    .option('--coefficients <n>', 'MFCCs per frame', integer(1), d.coefficients)
    .option(
      '--sample-scale <k>',
      'multiply samples by k before the MFCC (32768 = 16-bit units, so its log(x+1) acts as a log; 1 = meyda on raw floats)',
      decimal(1e-6, 1e9),
      d.sampleScale,
    )
    .addOption(
      new Option(
        '--compression <c>',
        "how mel energies are compressed before the DCT: meyda's log(E+1), or PCEN (a per-band gain control: loudness and steady noise move the features less)",
      )
        .choices(MEL_COMPRESSIONS)
        .default(d.compression),
    )
    .option(
      '--pcen <constants>',
      `with --compression pcen: constants to change, as name=value pairs (${Object.entries(DEFAULT_PCEN)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')} by default; smoothing s = 0.025 is a 0.4 s time constant)`,
    )
    .option(
      '--unknown-percent <p>',
      '_unknown_ clips per split, as % of its keyword clips (Speech Commands: 10)',
      decimal(0, 1000),
      DEFAULT_UNKNOWN_PERCENT,
    )
    .option(
      '--silence-percent <p>',
      '_silence_ clips per split, as % of its keyword clips (Speech Commands: 10)',
      decimal(0, 1000),
      DEFAULT_SILENCE_PERCENT,
    )
    .option(
      '--speech-unknown-percent <p>',
      'more training _unknown_ clips, as % of the keyword clips, cut from the training speakers of --speech (running speech to stay quiet on)',
      decimal(0, 1000),
      d.speechUnknownPercent,
    )
    .option(
      '--running-speech-percent <p>',
      'running-speech training sequences (a stretch of the training speakers of --speech, "no keyword" at every frame), as % of the keyword clips',
      decimal(0, 1000),
      d.runningSpeechPercent,
    )
    .option(
      '--speech-before-prob <p>',
      `probability of running speech (training speakers of --speech) just before a training word, at its level; the lead-in grows to ${d.speechLeadInSec} s to hold it`,
      decimal(0, 1),
      d.speechBeforeProb,
    )
    .option(
      '--word-span-weight <w>',
      'weight of the target "this word or no keyword" while a training word is spoken and after its firing frames (0 = no loss there, so any other keyword may spike)',
      decimal(0, 10),
      d.wordSpanWeight,
    )
    .option('--speech-gap <lo,hi>', 'gap between that speech and the word, seconds', range(0, 2, ' in s'), d.speechGapSec)
    .option('--noise-prob <p>', 'probability of mixing background noise into a training sequence', decimal(0, 1), d.noiseProb)
    .option('--snr <lo,hi>', 'SNR range (dB) of that noise', snrRange, d.snrDb)
    .option(
      '--gain <lo,hi>',
      'random gain range (dB) of a training sequence, so that quieter and louder speakers than the recordings fire alike',
      range(-60, 20, ' in dB'),
      d.gainDb,
    )
    .option('--speed-prob <p>', 'probability of speed perturbation of a training clip', decimal(0, 1), d.speedProb)
    .option('--speed <lo,hi>', 'speed factor range (1.1 = 10 % faster)', range(0.5, 2, ''), d.speed)
    .option('--reverb-prob <p>', 'probability of room reverb on a training clip', decimal(0, 1), d.reverbProb)
    .option('--rt60 <lo,hi>', 'reverb time range in seconds', range(0.05, 3, ' in s'), d.rt60)
    .option('--time-masks <n>', 'SpecAugment time masks per training sequence', integer(0), d.timeMasks)
    .option('--time-mask-frames <n>', 'widest time mask, frames', integer(0), d.timeMaskFrames)
    .option('--freq-masks <n>', 'SpecAugment masks of MFCC coefficients per training sequence', integer(0), d.freqMasks)
    .option('--freq-mask-coefficients <n>', 'widest coefficient mask', integer(0), d.freqMaskCoefficients)
    .option('--weight-decay <l2>', 'L2 penalty on the weight matrices, added to the loss', decimal(0, 1), d.weightDecay)
    .option(
      '--average-epochs <e>',
      "measure and keep a moving average of the weights over about e epochs instead of the last step's (0 = off)",
      decimal(0, 1000),
      d.averageEpochs,
    )
    .option(
      '--init <dir>',
      'start from the weights and feature normalisation of this model directory (the same labels, features and network shape) instead of random ones: fine-tune a model on new recordings, or pretrain on one corpus and go on with another',
    )
    .option(
      '--teacher <dir>',
      'distil: the model also learns the mean posteriors of this trained model (same labels and features) on every training batch; repeat for an ensemble',
      collect,
    )
    .option(
      '--distill-weight <a>',
      "share of the loss that is the teachers' soft targets (the rest is the labels'); with --teacher",
      decimal(0, 1),
    )
    .option('--balance <power>', "scale each class's frame weights by (mean/class mass)^power; 0 = off", decimal(0, 1), d.balance)
    .option(
      '--fa-per-hour <n>',
      'false alarms per hour (all keywords together) the per-keyword thresholds aim at',
      decimal(0.001, 10000),
      TARGET_FA_PER_HOUR,
    )
    .option(
      '--threshold-minutes <m>',
      'minutes of validation stream the per-keyword thresholds are chosen on (≤ 1 FA/h in all)',
      decimal(1, 100000),
      THRESHOLD_STREAM_MINUTES,
    )
    .option('--max-per-label <n>', 'use at most n clips per label and split (quick runs)', integer(1))
    .option(
      '--train-speakers <share>',
      "train on a seeded share of --data's training speakers (a learning curve); held-out splits stay whole",
      decimal(0.01, 1),
    )
    .addOption(
      new Option('--backend <name>', 'tfjs backend (default: node if installed, else wasm, else cpu)').choices(['node', 'wasm', 'cpu']),
    )
    .option('--quiet', 'no progress output (a verdict of "not usable" is still printed)')
    .option(
      '--strict',
      'exit with code 1 when the trained model is not usable (near-chance accuracy, a keyword that cannot fire, FRR ≥ 50 %, fires on silence); everything is still written',
    )
    .action(async (opts) => {
      const { runTrain } = await import('../../train/runTrain.js');
      const [data, ...extraData] = opts.data as string[];
      const commandLine = recordedCommand(process.argv.slice(2));
      const pcen = opts.pcen === undefined ? undefined : parsePcenConstants(opts.pcen as string);
      const { verdict } = await runTrain(
        { ...opts, data, extraData, snrDb: opts.snr, gainDb: opts.gain, speechGapSec: opts.speechGap, pcen, commandLine },
        progressPrinter({ quiet: opts.quiet }),
      );
      if (!verdict.usable) {
        const { describeVerdict } = await import('../../eval/verdict.js');
        process.stderr.write(`${describeVerdict(verdict)} (kws train --strict makes this an error)\n`);
      }
    });
}
