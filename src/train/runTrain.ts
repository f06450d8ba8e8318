/**
 * `kws train`: data folder → trained model directory. Reads the folder once, trains with
 * trainer.ts, writes the model directory, picks per-keyword thresholds on the validation split
 * (thresholds.ts), judges whether the model is usable (src/eval/verdict.ts), records everything
 * in kws.json and writes the model card (src/cards/modelCard.ts). Every long step reports
 * through `progress` (the CLI passes src/cli/progress.ts's printer); `strict` turns an unusable
 * model into an error after everything is written.
 */
import * as path from 'path';
import { resolveFeatureConfig } from '../features/config';
import { MelCompression, PcenConfig, resolvePcenConfig } from '../features/pcen';
import { ConfigError, DatasetError } from '../errors';
import type { TfBackendName } from '../lmu/tf/backend';
import { writeModelConfig } from '../model/kwsJson';
import { DEFAULT_HARD_NEGATIVE_WEIGHT, SILENCE_LABEL, UNKNOWN_LABEL } from '../data/dataset';
import { writeModelCard } from '../cards/modelCard';
import { ProgressPrinter, READING_CLIPS_STEP, SILENT_PRINTER } from '../progress';
import { loadTrainingData } from '../data/clips';
import { recordedGroupsPath } from '../data/splitGroups';
import { TARGET_SAMPLE_RATE } from '../audio/source';
import type { Augmentation } from '../data/sequence';
import { TRAIN_DEFAULTS } from './defaults';
import { DEFAULT_DISTILL_WEIGHT, trainKwsModel, TrainConfig } from './trainer';
import { writeModelDir } from '../model/modelDir';
import { describeThresholds, setThresholds } from './thresholds';
import { describeVerdict, UnusableModelError, validationVerdict, Verdict } from '../eval/verdict';
import { Architecture, RivalSizes, rivalOptions } from '../rivals/options';

/** What `kws train` takes; every setting left out is TRAIN_DEFAULTS' (src/train/defaults.ts). */
/** kws train's settings; the augmentation ones are Augmentation's (src/data/sequence.ts), with --rt60 for rt60Sec. */
export interface TrainCommandOptions extends Partial<Omit<Augmentation, 'rt60Sec'>>, RivalSizes {
  /** Reverb time range in seconds (Augmentation.rt60Sec). */
  rt60?: [number, number];
  data: string;
  /** More folders with clips of the same keywords (e.g. synthesized beside real recordings). */
  extraData?: string[];
  /** Folders of negatives only (word folders → _unknown_, plus their silence and background). */
  negatives?: string[];
  /** Folders of hard negatives (kws mine): training `_unknown_` clips with frame weights × hardNegativeWeight (default DEFAULT_HARD_NEGATIVE_WEIGHT). */
  hardNegatives?: string[];
  hardNegativeWeight?: number;
  /** A groups file (kws groups) for `data`: copies of a recording kept once, one speaker's takes in one split. */
  groups?: string;
  /** Folders of background recordings: noise, and speech without the keywords. */
  noise?: string[];
  speech?: string[];
  /** Training window in seconds (default: the data's synth.json clipSec, else 1). */
  clipSec?: number;
  out: string;
  keywords?: string[];
  /** The network to train (default lmu; the LMU's settings below are then unused), and a rival's sizes (RivalSizes; RIVAL_DEFAULTS where left out). */
  arch?: Architecture;
  seed?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  patience?: number;
  order?: number;
  theta?: number;
  memoryD?: number;
  hidden?: number;
  /** Rank of the LMU hidden kernel, 0 = full (LmuOptions.hiddenRank). */
  hiddenRank?: number;
  hiddenActivation?: 'tanh' | 'relu';
  /** LMU layers stacked, each reading the per-step output of the one below, all with the options above. */
  layers?: number;
  /** Units of a per-frame ReLU layer between the features and the LMU (0 = none). */
  front?: number;
  head?: number;
  dropout?: number;
  coefficients?: number;
  /** Sample multiplier before the MFCC (default INT16_SAMPLE_SCALE; see FeatureConfig). */
  sampleScale?: number;
  /** How mel energies are compressed (default log; see FeatureConfig.compression). */
  compression?: MelCompression;
  /** PCEN constants other than the defaults (compression 'pcen' only). */
  pcen?: Partial<PcenConfig>;
  maxPerLabel?: number;
  /** Train on this share of the training speakers (DatasetOptions.trainSpeakerShare). */
  trainSpeakers?: number;
  unknownPercent?: number;
  /** Class-balancing power for the frame weights (0 = off). */
  balance?: number;
  /** L2 penalty on the weight matrices. */
  weightDecay?: number;
  /** Keep a moving average of the weights over about this many epochs (0 = off). */
  averageEpochs?: number;
  /** A model directory to start from: its weights and feature normalisation (initialWeights.ts). */
  init?: string;
  /** Model directories to distil from (teachers.ts). */
  teacher?: string[];
  /** Share of the loss that is the teachers' (default DEFAULT_DISTILL_WEIGHT). */
  distillWeight?: number;
  silencePercent?: number;
  /** Training `_unknown_` clips cut from the training speakers' background speech, % of keyword clips. */
  speechUnknownPercent?: number;
  /** Running-speech training sequences (`_unknown_` at every frame), % of the keyword clips. */
  runningSpeechPercent?: number;
  /** Weight of "this word or no keyword" around each training word (TrainingData.wordSpanWeight). */
  wordSpanWeight?: number;
  /** Minutes of validation stream the thresholds are chosen on (default THRESHOLD_STREAM_MINUTES). */
  thresholdMinutes?: number;
  /** False alarms per hour (all keywords) the thresholds aim at (default TARGET_FA_PER_HOUR). */
  faPerHour?: number;
  backend?: TfBackendName;
  quiet?: boolean;
  /** Exit non-zero (UnusableModelError) when the verdict is "not usable". */
  strict?: boolean;
  /** The command line, recorded in kws.json so the run can be repeated. */
  commandLine?: string;
}

/** `progress` shows the long steps and the log lines (the CLI's progressPrinter); default: nothing. */
export async function runTrain(
  options: TrainCommandOptions,
  progress: ProgressPrinter = SILENT_PRINTER,
): Promise<{ dir: string; valAccuracy: number; verdict: Verdict }> {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o = { ...TRAIN_DEFAULTS, ...given } as TrainCommandOptions & typeof TRAIN_DEFAULTS;
  const log = progress.log;
  // the network's settings are checked before the data is read
  const rival = rivalOptions(o.arch, {
    units: o.units,
    channels: o.channels,
    blocks: o.blocks,
    kernel: o.kernel,
    firstKernel: o.firstKernel,
  });
  if (rival && o.layers !== 1) throw new ConfigError(`--layers stacks LMU layers; --arch ${o.arch} has none`);
  if (rival && o.front !== 0) throw new ConfigError(`--front puts a layer before the LMU; --arch ${o.arch} has none`);

  const data = await loadTrainingData(o.data, {
    keywords: o.keywords,
    seed: o.seed,
    maxPerLabel: o.maxPerLabel,
    trainSpeakerShare: o.trainSpeakers,
    unknownPercent: o.unknownPercent,
    silencePercent: o.silencePercent,
    speechUnknownPercent: o.speechUnknownPercent,
    extraData: o.extraData,
    negatives: o.negatives,
    hardNegatives: o.hardNegatives,
    hardNegativeWeight: o.hardNegativeWeight,
    groups: o.groups,
    noise: o.noise,
    speech: o.speech,
    clipSec: o.clipSec,
    runningSpeechPercent: o.runningSpeechPercent,
    wordSpanWeight: o.wordSpanWeight,
    leadInSec: o.speechBeforeProb > 0 ? o.speechLeadInSec : undefined,
    onClip: (done, total) => progress.onProgress(READING_CLIPS_STEP, done, total),
  });
  for (const w of data.warnings) log(`warning: ${w}`);
  if (o.speechBeforeProb > 0 && data.speech.train.length === 0)
    throw new ConfigError('--speech-before-prob needs training speech: add --speech folders');
  if (data.clips.train.length === 0) throw new DatasetError(`${o.data}: the train split is empty`);
  if (data.clips.validation.length === 0)
    throw new DatasetError(`${o.data}: the validation split is empty (add validation_list.txt or more clips)`);
  log(
    `data: ${data.labels.join(', ')} — train ${data.clips.train.length}, validation ${data.clips.validation.length}, test ${data.clips.test.length} clips`,
  );

  if (o.pcen && o.compression !== 'pcen') throw new ConfigError('--pcen sets PCEN constants: it needs --compression pcen');
  if (o.distillWeight !== undefined && !o.teacher?.length)
    throw new ConfigError('--distill-weight weighs the teachers: it needs --teacher');
  const features = resolveFeatureConfig({
    coefficients: o.coefficients,
    sampleScale: o.sampleScale,
    compression: o.compression,
    pcen: o.pcen && resolvePcenConfig(o.pcen),
  });
  const lmu = {
    order: o.order,
    theta: o.theta,
    memoryD: o.memoryD,
    hiddenUnits: o.hidden,
    ...(o.hiddenRank > 0 && { hiddenRank: o.hiddenRank }), // full-rank kws.json files as before ranks
    hiddenActivation: o.hiddenActivation,
    inputToHidden: true,
  };
  const cfg: TrainConfig = {
    features,
    model: { lmu, layers: o.layers, ...(o.front > 0 && { frontUnits: o.front }), headUnits: o.head, dropout: o.dropout },
    rival,
    epochs: o.epochs,
    batchSize: o.batchSize,
    learningRate: o.lr,
    patience: o.patience,
    seed: o.seed,
    augmentation: {
      maxShift: o.maxShift,
      noiseProb: o.noiseProb,
      snrDb: o.snrDb,
      gainDb: o.gainDb,
      speedProb: o.speedProb,
      speed: o.speed,
      reverbProb: o.reverbProb,
      rt60Sec: o.rt60,
      timeMasks: o.timeMasks,
      timeMaskFrames: o.timeMaskFrames,
      freqMasks: o.freqMasks,
      freqMaskCoefficients: o.freqMaskCoefficients,
      speechBeforeProb: o.speechBeforeProb,
      speechGapSec: o.speechGapSec,
    },
    weightDecay: o.weightDecay,
    ...(o.averageEpochs > 0 && { averageEpochs: o.averageEpochs }), // kws.json as before without averaging
    ...(o.init && { initFrom: path.resolve(o.init) }),
    ...(o.teacher?.length && {
      teachers: o.teacher.map((d) => path.resolve(d)),
      distillWeight: o.distillWeight ?? DEFAULT_DISTILL_WEIGHT,
    }),
    balancePower: o.balance,
    backend: o.backend,
  };
  const started = Date.now();
  const result = await trainKwsModel(data, cfg, {
    quiet: o.quiet,
    onProgress: progress.onProgress,
    onBatch: (epoch, fraction) => progress.onProgress({ name: `epoch ${epoch}/${o.epochs}`, unit: '%' }, 100 * fraction, 100),
    onEpoch: (r) => {
      log(
        `epoch ${r.epoch}/${r.epochs}  loss ${r.loss.toFixed(4)}  train acc ${(100 * r.trainAccuracy).toFixed(1)}% loss ${r.trainLoss.toFixed(4)}  ` +
          `val acc ${(100 * r.valAccuracy).toFixed(1)}% loss ${r.valLoss.toFixed(4)}  lr ${r.learningRate.toExponential(2)}  ${r.seconds.toFixed(0)} s${r.best ? '  (best)' : ''}`,
      );
    },
  });
  const trainingSeconds = Math.round((Date.now() - started) / 1000);
  const keywords = data.labels.filter((l) => l !== SILENCE_LABEL && l !== UNKNOWN_LABEL);
  const dir = path.resolve(o.out);
  const config = await writeModelDir(result.tf, result.model, dir, {
    name: path.basename(dir),
    labels: data.labels,
    keywords,
    features,
    normalization: result.normalization,
    ...(rival ? { rival } : { lmu }),
    training: {
      command: o.commandLine,
      data: path.resolve(o.data),
      extraData: data.dataset.extraData,
      negatives: data.dataset.negatives,
      ...(data.dataset.hardNegatives.length > 0 && {
        hardNegatives: {
          folders: data.dataset.hardNegatives,
          clips: data.clips.train.filter((c) => c.weight !== undefined).length,
          weight: o.hardNegativeWeight ?? DEFAULT_HARD_NEGATIVE_WEIGHT,
        },
      }),
      noise: o.noise?.map((d) => path.resolve(d)),
      speech: o.speech?.map((d) => path.resolve(d)),
      unknownPercent: o.unknownPercent,
      silencePercent: o.silencePercent,
      speechUnknownPercent: o.speechUnknownPercent,
      runningSpeechPercent: o.runningSpeechPercent,
      runningSpeechClips: data.clips.train.filter((c) => c.running).length,
      leadInSec: data.layout.leadInSamples / TARGET_SAMPLE_RATE,
      wordSpanWeight: data.wordSpanWeight,
      clipSec: data.dataset.clipSec,
      warnings: data.warnings,
      seed: o.seed,
      backend: result.backend,
      // a rival's record leaves out the LMU settings it did not use
      config: { ...cfg, features: undefined, ...(rival && { model: { headUnits: o.head, dropout: o.dropout } }) },
      counts: data.dataset.counts,
      clipsUsed: { train: data.clips.train.length, validation: data.clips.validation.length, test: data.clips.test.length },
      splitSource: data.dataset.splitSource,
      ...(data.dataset.groups && { groups: recordedGroupsPath(data.dataset.groups) }),
      bestEpoch: result.bestEpoch,
      history: result.history,
      seconds: trainingSeconds,
    },
    metrics: { validationClipAccuracy: result.valAccuracy },
  });
  const thresholdsStarted = Date.now();
  const withThresholds = setThresholds(dir, config, data, {
    minutes: o.thresholdMinutes,
    faPerHour: o.faPerHour,
    seed: o.seed,
    onProgress: progress.onProgress,
  });
  log(describeThresholds(withThresholds));
  const verdict = validationVerdict(withThresholds);
  writeModelConfig(dir, {
    ...withThresholds,
    training: { ...withThresholds.training, thresholdSeconds: Math.round((Date.now() - thresholdsStarted) / 1000) },
    metrics: { ...withThresholds.metrics, verdict: { validation: verdict } },
  });
  const files = await writeModelCard(dir);
  progress.end();
  log(
    `wrote ${dir} (best epoch ${result.bestEpoch}, validation clip accuracy ${(100 * result.valAccuracy).toFixed(1)}%; model card ${path.relative(dir, files[0])})`,
  );
  // A usable model is one more progress line; an unusable one is the caller's to say (even with --quiet).
  if (verdict.usable) log(describeVerdict(verdict));
  else if (o.strict) throw new UnusableModelError(describeVerdict(verdict));
  return { dir, valAccuracy: result.valAccuracy, verdict };
}
