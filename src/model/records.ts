/**
 * What kws.json records besides the settings the spotter runs on: the training run (`training`),
 * the measured figures (`metrics`) and the card's own text (`card`). Training, threshold choice
 * and evaluation write these; the verdict and the model card read them. Every field is optional
 * on reading, since models written by older versions lack some.
 */
import type { SmootherConfig } from './smootherConfig';

/** One epoch of training (kws.json training.history[]). */
export interface EpochRecord {
  epoch: number;
  epochs: number;
  /** Mean loss of the epoch's training batches (augmented, dropout on). */
  loss: number;
  /** Clip accuracy and loss on the fixed unaugmented training sample (`trainClips` clips). */
  trainAccuracy: number;
  trainLoss: number;
  trainClips: number;
  /** Clip accuracy and loss on the validation split, unaugmented. */
  valAccuracy: number;
  valLoss: number;
  learningRate: number;
  seconds: number;
  best: boolean;
}

/** The training settings as recorded (kws.json training.config): what the card shows of them. */
export interface TrainingSettings {
  /** `layers`: LMU layers stacked (absent: 1, as before stacks existed); `frontUnits`: the ReLU layer before the LMU (absent: none). */
  model?: { lmu?: Record<string, unknown>; headUnits?: number; dropout?: number; layers?: number; frontUnits?: number };
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  patience?: number;
  seed?: number;
  augmentation?: { maxShift?: number; noiseProb?: number; snrDb?: readonly number[]; gainDb?: readonly number[] };
  weightDecay?: number;
  /** Epochs the kept weights were averaged over (absent: not averaged). */
  averageEpochs?: number;
  /** The model directory whose weights and normalisation training started from (absent: random weights). */
  initFrom?: string;
  /** Model directories distilled from (absent: none) and the share of the loss that was theirs. */
  teachers?: string[];
  distillWeight?: number;
  balancePower?: number;
  [more: string]: unknown;
}

/** kws.json `training`. */
export interface TrainingRecord {
  /** The command line that trained the model. */
  command?: string;
  data?: string;
  extraData?: string[];
  negatives?: string[];
  /** Hard negatives (kws mine's folders) in the train split: the folders, clips used and their frame-weight multiplier. */
  hardNegatives?: { folders: string[]; clips: number; weight: number };
  noise?: string[];
  speech?: string[];
  /** The `_unknown_` and `_silence_` shares the splits were made with (kws thresholds makes its stream the same way). */
  unknownPercent?: number;
  silencePercent?: number;
  /** Training `_unknown_` clips cut from background speech, % of the keyword clips. */
  speechUnknownPercent?: number;
  /** Running-speech training sequences, % of the keyword clips, and how many there were. */
  runningSpeechPercent?: number;
  runningSpeechClips?: number;
  /** Seconds of background before each training clip. */
  leadInSec?: number;
  /** Weight of the "this word or no keyword" frames around each word (absent or 0: no loss there). */
  wordSpanWeight?: number;
  /** The training window in seconds. */
  clipSec?: number;
  warnings?: string[];
  seed?: number;
  backend?: string;
  config?: TrainingSettings;
  /** Clips per split and label in the data folder. */
  counts?: Record<string, Record<string, number>>;
  clipsUsed?: { train: number; validation: number; test: number };
  splitSource?: string;
  /** The groups file the split of `data` followed (kws groups; relative to the package root when inside it); evaluation and thresholds read the same split with it. */
  groups?: string;
  bestEpoch?: number;
  history?: EpochRecord[];
  seconds?: number;
  thresholdSeconds?: number;
  [more: string]: unknown;
}

/** One keyword's detections on a stream: words inserted, missed, false alarms. */
export interface KeywordScore {
  inserted: number;
  missed: number;
  falseAlarms: number;
  frr: number;
  faPerHour: number;
}

/** kws.json metrics.validationStream: the threshold choice and what it gave (src/train/thresholds.ts). */
export interface ValidationStreamMetrics {
  hours: number;
  frr: number;
  faPerHour: number;
  targetFaPerHour: number;
  perKeyword: Record<string, KeywordScore>;
  /** The quiet-input check: which inputs, and the thresholds it raised or could not raise enough. */
  quiet: { inputs: string[]; seconds: number; raised: Record<string, { from: number; to: number }>; firing: Record<string, string[]> };
  command?: string;
}

/** Whether a model is usable on one split's figures (src/eval/verdict.ts). */
export interface Verdict {
  split: string;
  usable: boolean;
  /** One plain sentence per problem; empty when usable. */
  problems: string[];
}

/** kws.json metrics.eval.<split>: the figures of `kws eval` (src/eval/evaluate.ts). */
export interface EvalFigures {
  data: string;
  split: string;
  clips: number;
  accuracy: number;
  perClass: Record<string, { precision: number; recall: number; support: number }>;
  confusion: { labels: string[]; matrix: number[][] };
  frr: number;
  faPerHour: number;
  streamHours: number;
  perKeyword: Record<string, KeywordScore>;
  thresholds: SmootherConfig['thresholds'];
  /** Keyword → quiet inputs (silence, low noise) it fires on at the model's thresholds. */
  quietFiring: Record<string, string[]>;
  verdict: Verdict;
  command?: string;
}

/** The model after one round of hard-negative mining (scripts/trainWakewords.ts --mining-rounds), measured. */
export interface MiningRound {
  /** 0: the model before any mining. */
  round: number;
  /** Mined windows the model was trained with (every round's so far). */
  hardNegatives: number;
  /** Windows `kws mine` found with this model (the next round's new hard negatives). */
  minedWindows: number;
  /** False alarms per hour at the model's thresholds on training material (kws mine's stream). */
  trainingFaPerHour: number;
  /** The wake-word benchmark on held-out material, per SNR: FA/h at the thresholds, mean miss rate at 1 FA/h. */
  benchmark: Array<{ snrDb: number; faPerHour: number | null; missAt1FaPerHour: number | null }>;
  /** Mean FRR at the model's thresholds on its validation stream (the same budget every round); absent in older records. */
  validationFrr?: number | null;
}

/** kws.json metrics.mining: the rounds of hard-negative mining that made this model. */
export interface MiningRecord {
  rounds: MiningRound[];
  /** Hours of negative stream mined per round, the threshold scale and the hard negatives' frame weight. */
  hours: number;
  thresholdScale: number;
  weight: number;
  /** The material mined (training split only). */
  sources: string[];
  benchmarkHours: number;
  /** The round whose model was shipped (chooseRound); absent in older records, which shipped the last. */
  shipped?: number;
}

/** kws.json `metrics`. */
export interface ModelMetrics {
  mining?: MiningRecord;
  validationClipAccuracy?: number;
  validationStream?: ValidationStreamMetrics;
  eval?: Record<string, EvalFigures>;
  verdict?: Record<string, Verdict>;
  [more: string]: unknown;
}

export interface CardSection {
  heading: string;
  lines: string[];
}

/** kws.json `card`: text a script adds to the generated model card (src/cards/modelCard.ts). */
export interface CardText {
  title?: string;
  /** One paragraph: what the model is for and what it was trained on. */
  summary?: string;
  /** Markdown lines added to the Data section (where the data came from, how it was split). */
  data?: string[];
  /** Sections after "Measured" (e.g. the wake-word benchmark). */
  sections?: CardSection[];
  /** Plain statements of what the numbers do and do not show. */
  caveats?: string[];
  /** The one command that reproduces this directory (default: the training command). */
  reproduce?: string;
}

/** One model's figures in a float32 vs int8 comparison (bench/int8.ts). */
export interface QuantizedFigures {
  /** Runtime weight bytes (kws.json `bytes`) and the runtime weights file's size on disk. */
  bytes: number;
  fileBytes: number;
  /** `kws eval` on the split: clip accuracy, clips, FRR and false alarms per hour at the thresholds. */
  accuracy: number;
  clips: number;
  frr: number;
  faPerHour: number;
  /** µs per streaming step, median and p99. */
  usPerStep: { median: number; p99: number };
  /** Keywords `kws detect` finds in fixtures/demo.wav, in order. */
  demoKeywords: string[];
}

/** The float32 model against its int8 form, measured in one run (bench/int8.ts). */
export interface QuantizationMeasurement {
  date: string;
  command: string;
  /** The data `kws eval` ran on, its split and stream length. */
  data: string;
  split: string;
  streamMinutes: number;
  /** The machine's load average when the timing ran (a training shared it). */
  load: number[];
  float: QuantizedFigures;
  int8: QuantizedFigures;
}

/** kws.json `quantization` (`kws quantize`): the runtime weights are int8. Absent: float32. */
export interface QuantizationRecord {
  dtype: 'int8';
  /** How, in words (src/lmu/quantize.ts). */
  scheme: string;
  /** What stays float32. */
  float: string;
  /** The float32 model directory it was made from, and that model's weight bytes. */
  from: string;
  floatBytes: number;
  command?: string;
  measured?: QuantizationMeasurement;
}
