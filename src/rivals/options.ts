/**
 * The LMU's rivals (issue 14): other per-frame networks that `kws train --arch` trains through the
 * same harness as the LMU — data, batches, augmentation, loss, schedule, early stopping,
 * thresholds, card and eval — so that a comparison differs only in the network. Their options,
 * checked once here for the tfjs builders (tf/), the training command and the cards. No heavy
 * imports, so `kws --help` stays instant.
 */
import { ConfigError } from '../errors';

/** Every network kws train can train; 'lmu' is the project's own (src/lmu). */
export const ARCHITECTURES = ['lmu', 'gru', 'lstm', 'dscnn'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export const ARCHITECTURE_NAMES: Readonly<Record<Architecture, string>> = { lmu: 'LMU', gru: 'GRU', lstm: 'LSTM', dscnn: 'DS-CNN' };

/** A GRU or LSTM layer of `units` cells (tf.layers.gru / lstm). */
export interface RecurrentOptions {
  architecture: 'gru' | 'lstm';
  units: number;
}

/**
 * A causal DS-CNN (dscnn.ts): a full convolution of `firstKernel` frames over every coefficient
 * to `channels`, then `blocks` × (depthwise convolution of `kernel` frames + pointwise 1×1).
 * Receptive field: firstKernel + blocks·(kernel − 1) frames.
 */
export interface DsCnnOptions {
  architecture: 'dscnn';
  channels: number;
  blocks: number;
  kernel: number;
  firstKernel: number;
}

export type RivalOptions = RecurrentOptions | DsCnnOptions;
export type RivalArchitecture = RivalOptions['architecture'];
/** The size settings of every rival, as a caller gives them (any subset). */
export type RivalSizes = Partial<Omit<RecurrentOptions, 'architecture'> & Omit<DsCnnOptions, 'architecture'>>;

/**
 * Default sizes for a bare `kws train --arch`: about 15.6 k parameters with 20 MFCCs, 12 classes
 * and no head layer (GRU 61 units 15 750, LSTM 52 units 15 820, DS-CNN 41 channels 15 797). The
 * comparison itself (`npm run rivals`) sizes each rival to the shipped LMU with rivalSizedLike.
 * The DS-CNN's receptive field, 5 + 4·24 = 101 frames, is the LMU's window θ = 100 frames.
 */
type Sizes<O> = Readonly<Omit<O, 'architecture'>>;
export const RIVAL_DEFAULTS: Readonly<{ gru: Sizes<RecurrentOptions>; lstm: Sizes<RecurrentOptions>; dscnn: Sizes<DsCnnOptions> }> =
  Object.freeze({
    gru: { units: 61 },
    lstm: { units: 52 },
    dscnn: { channels: 41, blocks: 4, kernel: 25, firstKernel: 5 },
  });

/** What sits around a rival: its input width and the classifier after it (src/rivals/tf/model.ts). */
export interface ClassifierShape {
  inputDim: number;
  numClasses: number;
  headUnits: number;
}

/** Weight matrices per recurrent cell: the gates (GRU: update, reset, candidate; LSTM: input, forget, cell, output). */
const GATES = { gru: 3, lstm: 4 } as const;

/**
 * The parameters of `rival` in `shape`, as src/rivals/cost.ts counts the trained weights (batch
 * normalisation folded), without building it: with w = units or channels, x = inputDim,
 *   GRU / LSTM:  g·w·(x + w + 1), g = 3 / 4 gates (tfjs's cells: one bias per gate);
 *   DS-CNN:      firstKernel·x·w + w  +  blocks·((kernel + 1)·w + (w + 1)·w);
 * then the head, Dense(w → headUnits) if any, and Dense(→ numClasses), each (inputs + 1)·outputs.
 */
export function rivalParams(rival: RivalOptions, shape: ClassifierShape): number {
  const dense = (inputs: number, outputs: number) => (inputs + 1) * outputs;
  const w = rival.architecture === 'dscnn' ? rival.channels : rival.units;
  const network =
    rival.architecture === 'dscnn'
      ? rival.firstKernel * shape.inputDim * w + w + rival.blocks * ((rival.kernel + 1) * w + dense(w, w))
      : GATES[rival.architecture] * w * (shape.inputDim + w + 1);
  const classifier =
    shape.headUnits > 0 ? dense(w, shape.headUnits) + dense(shape.headUnits, shape.numClasses) : dense(w, shape.numClasses);
  return network + classifier;
}

/**
 * `architecture` at the width (units; DS-CNN channels, its other sizes at RIVAL_DEFAULTS) whose
 * parameter count in `shape` is nearest `params`: a rival as large as the model it is compared with.
 */
export function rivalSizedLike(architecture: RivalArchitecture, params: number, shape: ClassifierShape): RivalOptions {
  const at = (w: number): RivalOptions =>
    architecture === 'dscnn' ? { architecture, ...RIVAL_DEFAULTS.dscnn, channels: w } : { architecture, units: w };
  let w = 1;
  // the count grows with the width, so the first width past `params` or the one before it is nearest
  while (rivalParams(at(w + 1), shape) <= params) w++;
  const gap = (width: number) => Math.abs(rivalParams(at(width), shape) - params);
  return at(gap(w + 1) < gap(w) ? w + 1 : w);
}

/** The least each size may be (a DS-CNN may have no block: the first convolution alone). */
const MINIMUM: Required<{ [K in keyof RivalSizes]: number }> = { units: 1, channels: 1, blocks: 0, kernel: 1, firstKernel: 1 };

/**
 * The options of `architecture`: RIVAL_DEFAULTS with `given` on top, checked (one ConfigError per
 * problem, naming the setting); undefined for the LMU. A size that `architecture` does not have is
 * an error rather than ignored, so `--arch gru --channels 40` cannot silently train something else.
 */
export function rivalOptions(architecture: Architecture, given: RivalSizes = {}): RivalOptions | undefined {
  if (!(ARCHITECTURES as readonly string[]).includes(architecture)) {
    throw new ConfigError(`architecture must be one of ${ARCHITECTURES.join(', ')} (got '${architecture}')`);
  }
  const defaults: RivalSizes = architecture === 'lmu' ? {} : RIVAL_DEFAULTS[architecture];
  const options: Record<string, unknown> = { architecture };
  for (const [key, value] of Object.entries(given) as [keyof RivalSizes, unknown][]) {
    if (value === undefined) continue;
    if (!(key in defaults)) throw new ConfigError(`${ARCHITECTURE_NAMES[architecture]} has no setting '${key}'`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < MINIMUM[key]) {
      throw new ConfigError(`${ARCHITECTURE_NAMES[architecture]} ${key} must be an integer ≥ ${MINIMUM[key]} (got ${value})`);
    }
  }
  if (architecture === 'lmu') return undefined;
  for (const key of Object.keys(defaults) as (keyof RivalSizes)[]) options[key] = given[key] ?? defaults[key];
  return options as unknown as RivalOptions;
}

/** One line for cards and tables, e.g. "GRU, 61 units". */
export function describeRival(o: RivalOptions): string {
  if (o.architecture !== 'dscnn') return `${ARCHITECTURE_NAMES[o.architecture]}, ${o.units} units`;
  return (
    `DS-CNN, ${o.channels} channels: causal conv ${o.firstKernel} frames → ${o.blocks} × (depthwise ${o.kernel} frames + pointwise), ` +
    `receptive field ${o.firstKernel + o.blocks * (o.kernel - 1)} frames`
  );
}
