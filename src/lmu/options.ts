/**
 * LMU layer options, checked once and shared by the tfjs layer, the model builder and the
 * streaming runtime (plain TS: no tfjs here).
 */
import { ConfigError } from '../errors';
import { checkDiscretizer, checkOrder, checkTheta, Discretizer } from './matrices';

/** Activations the runtime implements; the tfjs layer accepts exactly these. */
export const LMU_ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'linear'] as const;
export type LmuActivation = (typeof LMU_ACTIVATIONS)[number];

export interface LmuOptions {
  /** Number of Legendre polynomials kept (memory size per channel). */
  order: number;
  /** Window length θ in steps (frames). */
  theta: number;
  /** Memory channels: the input is encoded to memoryD scalars, each with its own memory. Default 1. */
  memoryD?: number;
  /** Units of the feed-forward hidden cell h = f(W_m·m + W_x·x + b); 0 = no hidden cell (output is m). Default 0. */
  hiddenUnits?: number;
  /**
   * Rank r of the hidden cell's kernel, 0 = full (default). With r > 0 the kernel is the product
   * P·W of a projection P [memoryD·order (+ in), r] and W [r, hiddenUnits]: fewer weights and
   * multiply-accumulates per step than the full kernel when r < (rows·hiddenUnits)/(rows + hiddenUnits).
   */
  hiddenRank?: number;
  /** Activation f of the hidden cell. Default 'tanh'. */
  hiddenActivation?: LmuActivation;
  /** Feed h[t−1] into the memory encoder (forces recurrent mode). Default false. */
  hiddenToMemory?: boolean;
  /** Learned feedback m[t−1] → memory encoder (forces recurrent mode). Default false. */
  memoryToMemory?: boolean;
  /** Feed x[t] directly into the hidden cell besides m[t]. Default false. */
  inputToHidden?: boolean;
  /**
   * 'zoh' (default, exact and stable for every order/θ) or 'euler' (Ā = I + A/θ). Euler is only
   * stable when θ exceeds max_λ |λ|²/(2|Re λ|) over the eigenvalues λ of A, which grows faster
   * than keras-lmu's "θ > 4·order" advice: θ > 18, 60, 197, 639, 2051, 6542 for order
   * 8, 16, 32, 64, 128, 256 (numpy eigenvalues). Below that the memory explodes.
   */
  discretizer?: Discretizer;
  /** Output every step [batch, T, units] (true) or only the last [batch, units]. Default false. */
  returnSequences?: boolean;
}

export type ResolvedLmuOptions = Required<LmuOptions>;

function checkCount(name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ConfigError(`LMU ${name} must be an integer ≥ ${min} (got ${v})`);
  }
  return v;
}

function checkFlag(name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ConfigError(`LMU ${name} must be true or false (got ${v})`);
  return v;
}

/** Fills defaults and throws ConfigError (one clear line) for any bad option. */
export function resolveLmuOptions(o: LmuOptions): ResolvedLmuOptions {
  if (o === null || typeof o !== 'object') throw new ConfigError('LMU options must be an object');
  checkOrder(o.order);
  checkTheta(o.theta);
  const discretizer = o.discretizer ?? 'zoh';
  checkDiscretizer(discretizer);
  const r: ResolvedLmuOptions = {
    order: o.order,
    theta: o.theta,
    memoryD: checkCount('memoryD', o.memoryD ?? 1, 1),
    hiddenUnits: checkCount('hiddenUnits', o.hiddenUnits ?? 0, 0),
    hiddenRank: checkCount('hiddenRank', o.hiddenRank ?? 0, 0),
    hiddenActivation: o.hiddenActivation ?? 'tanh',
    hiddenToMemory: checkFlag('hiddenToMemory', o.hiddenToMemory ?? false),
    memoryToMemory: checkFlag('memoryToMemory', o.memoryToMemory ?? false),
    inputToHidden: checkFlag('inputToHidden', o.inputToHidden ?? false),
    discretizer,
    returnSequences: checkFlag('returnSequences', o.returnSequences ?? false),
  };
  if (!(LMU_ACTIVATIONS as readonly string[]).includes(r.hiddenActivation)) {
    throw new ConfigError(`LMU hiddenActivation must be one of ${LMU_ACTIVATIONS.join(', ')} (got '${r.hiddenActivation}')`);
  }
  if (r.hiddenUnits === 0) {
    for (const flag of ['hiddenToMemory', 'inputToHidden'] as const) {
      if (r[flag]) throw new ConfigError(`LMU ${flag} needs a hidden cell (hiddenUnits > 0)`);
    }
  }
  if (r.hiddenRank > 0 && r.hiddenRank >= r.hiddenUnits) {
    throw new ConfigError(`LMU hiddenRank must be below hiddenUnits (${r.hiddenUnits}), or 0 for a full kernel (got ${r.hiddenRank})`);
  }
  return r;
}

/** Size of the layer's per-step output: hiddenUnits, or memoryD·order without a hidden cell. */
export function lmuOutputSize(o: Pick<ResolvedLmuOptions, 'hiddenUnits' | 'memoryD' | 'order'>): number {
  return o.hiddenUnits > 0 ? o.hiddenUnits : o.memoryD * o.order;
}

/** True when the memory has no feedback, so all steps can be computed at once (parallel mode). */
export function lmuCanRunParallel(o: ResolvedLmuOptions): boolean {
  return !o.hiddenToMemory && !o.memoryToMemory;
}
