/**
 * The runtime weights file of a model directory (RuntimeWeights, src/lmu/weights.ts): its JSON
 * form, encoded and decoded without Node modules, so the browser build reads the same files
 * (runtimeFile.ts reads and writes them on disk).
 *
 * On disk (`runtime.json`, plain JSON, one file):
 *
 *     {
 *       "format": "lmu-kws-runtime/1",          // "lmu-kws-runtime/2" with lmuStack
 *       "inputSize": 20,                       // features per frame
 *       "lmu": L,                              // the first LMU layer: its input is the features
 *       "lmuStack": [ L, … ]?,                  // /2 only: layers 2…N, each reading the output of the one below
 *       "dense": [ { "activation": "relu" | "softmax" | "linear" | "tanh" | "sigmoid",
 *                    "kernel": T, "bias": T } ]  // [in, units], [units], applied in order
 *     }
 *     L = { "order", "theta", "memoryD", "hiddenUnits", "hiddenActivation",
 *           "hiddenToMemory", "memoryToMemory", "inputToHidden", "discretizer",
 *           "kernel":          T,          // [in (+ hiddenUnits if hiddenToMemory), memoryD]
 *           "recurrentKernel": T?,         // [memoryD·order, memoryD]        (memoryToMemory)
 *           "hiddenKernel":    T?,         // [memoryD·order (+ in if inputToHidden), hiddenUnits]
 *           "hiddenBias":      T? }        // [hiddenUnits]
 *       with `in` the layer's input size: inputSize, or the output size of the layer below
 *       (hiddenUnits, or memoryD·order without a hidden cell)
 *     T = { "shape": [rows, cols] | [n], "data": base64 of little-endian float32, row-major }
 *
 * One layer is written as /1, as before stacks existed, so that /1 readers keep reading it.
 *
 * The LMU's rivals (src/rivals) have files of the same frame, format /1 with an `architecture`
 * (gru, lstm, dscnn) and their network in place of `lmu` (rivalFile.ts); a file without the field
 * is an LMU's, as every file before the rivals (classifierFile.ts reads both).
 *
 * Ā and B̄ are not stored: the runtime recomputes them with lmuMatrices(order, theta,
 * discretizer), exactly as the tfjs layer does. Memory index layout is channel-major
 * (d·order + i), as in keras-lmu.
 */
import { KwsError, ModelError } from '../errors';
import { lmuOutputSize, ResolvedLmuOptions, resolveLmuOptions } from '../lmu/options';
import {
  DENSE_ACTIVATIONS,
  DenseActivation,
  RUNTIME_FORMAT,
  RUNTIME_STACK_FORMAT,
  RuntimeDense,
  RuntimeLmu,
  RuntimeWeights,
  runtimeFormatFor,
  WeightMatrix,
} from '../lmu/weights';

/** The base64 of bytes, the standard alphabet with padding (atob/btoa exist in Node ≥ 16 and every browser). */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string, what: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new Error(`${what}.data is not base64`);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeMatrix(m: WeightMatrix): { shape: number[]; data: string } {
  const bytes = new DataView(new ArrayBuffer(m.data.length * 4));
  m.data.forEach((v, i) => bytes.setFloat32(i * 4, v, true));
  return { shape: m.shape, data: toBase64(new Uint8Array(bytes.buffer)) };
}

export function decodeMatrix(raw: unknown, what: string): WeightMatrix {
  const r = raw as { shape?: unknown; data?: unknown };
  if (!r || !Array.isArray(r.shape) || !r.shape.every((n) => Number.isInteger(n) && n > 0) || typeof r.data !== 'string') {
    throw new Error(`${what} is not a {shape, data} weight`);
  }
  const bytes = fromBase64(r.data, what);
  const size = (r.shape as number[]).reduce((a, b) => a * b, 1);
  if (bytes.length !== size * 4) throw new Error(`${what} holds ${bytes.length / 4} values, shape [${r.shape}] needs ${size}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = view.getFloat32(i * 4, true);
  if (data.some((v) => !Number.isFinite(v))) throw new Error(`${what} contains NaN or Infinity`);
  return { shape: r.shape as number[], data };
}

function encodeLmu({ kernel, recurrentKernel, hiddenKernel, hiddenBias, ...options }: RuntimeLmu): object {
  const opt = (m?: WeightMatrix) => (m ? encodeMatrix(m) : undefined);
  return {
    ...options,
    kernel: encodeMatrix(kernel),
    recurrentKernel: opt(recurrentKernel),
    hiddenKernel: opt(hiddenKernel),
    hiddenBias: opt(hiddenBias),
  };
}

/** Plain-JSON form of the weights (see the format above; the format tag follows the layers). */
export function encodeRuntimeWeights(w: RuntimeWeights): object {
  const stack = w.lmuStack ?? [];
  return {
    format: runtimeFormatFor(stack.length),
    inputSize: w.inputSize,
    lmu: encodeLmu(w.lmu),
    lmuStack: stack.length ? stack.map(encodeLmu) : undefined,
    dense: encodeDense(w.dense),
  };
}

/** The Dense layers after any network, as stored (every architecture's runtime.json ends with them). */
export function encodeDense(dense: readonly RuntimeDense[]): object[] {
  return dense.map((d) => ({ activation: d.activation, kernel: encodeMatrix(d.kernel), bias: encodeMatrix(d.bias) }));
}

/** Decodes the `dense` section after a network whose output has `width` values; shapes must chain. */
export function decodeDense(raw: unknown, width: number): RuntimeDense[] {
  if (!Array.isArray(raw)) throw new Error('dense section is missing');
  return raw.map((r: { activation?: unknown; kernel?: unknown; bias?: unknown }, k: number): RuntimeDense => {
    if (!(DENSE_ACTIVATIONS as readonly unknown[]).includes(r?.activation))
      throw new Error(`dense[${k}].activation '${r?.activation}' is not one of ${DENSE_ACTIVATIONS.join(', ')}`);
    const d = {
      activation: r.activation as DenseActivation,
      kernel: decodeMatrix(r.kernel, `dense[${k}].kernel`),
      bias: decodeMatrix(r.bias, `dense[${k}].bias`),
    };
    const units = d.kernel.shape[1];
    expectShape(d.kernel, [width, units], `dense[${k}].kernel`);
    expectShape(d.bias, [units], `dense[${k}].bias`);
    width = units;
    return d;
  });
}

export function expectShape(m: WeightMatrix | undefined, shape: number[], what: string): void {
  if (!m) throw new Error(`${what} is missing`);
  if (m.shape.join(',') !== shape.join(',')) throw new Error(`${what} has shape [${m.shape}], expected [${shape}]`);
}

/** One LMU layer `what` reading `inputSize` values per step; its options and weight shapes checked. */
function decodeLmu(raw: unknown, inputSize: number, what: string): RuntimeLmu {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${what} section is missing`);
  const { kernel, recurrentKernel, hiddenKernel, hiddenBias, ...rawOptions } = raw as Record<string, unknown>;
  let o: ResolvedLmuOptions;
  try {
    o = resolveLmuOptions(rawOptions as unknown as ResolvedLmuOptions);
  } catch (err) {
    throw new Error(`${what}: ${(err as Error).message}`, { cause: err });
  }
  const mem = o.memoryD * o.order;
  const lmu: RuntimeLmu = {
    order: o.order,
    theta: o.theta,
    memoryD: o.memoryD,
    hiddenUnits: o.hiddenUnits,
    hiddenActivation: o.hiddenActivation,
    hiddenToMemory: o.hiddenToMemory,
    memoryToMemory: o.memoryToMemory,
    inputToHidden: o.inputToHidden,
    discretizer: o.discretizer,
    kernel: decodeMatrix(kernel, `${what}.kernel`),
  };
  expectShape(lmu.kernel, [inputSize + (o.hiddenToMemory ? o.hiddenUnits : 0), o.memoryD], `${what}.kernel`);
  if (o.memoryToMemory) {
    lmu.recurrentKernel = decodeMatrix(recurrentKernel, `${what}.recurrentKernel`);
    expectShape(lmu.recurrentKernel, [mem, o.memoryD], `${what}.recurrentKernel`);
  }
  if (o.hiddenUnits > 0) {
    lmu.hiddenKernel = decodeMatrix(hiddenKernel, `${what}.hiddenKernel`);
    lmu.hiddenBias = decodeMatrix(hiddenBias, `${what}.hiddenBias`);
    expectShape(lmu.hiddenKernel, [mem + (o.inputToHidden ? inputSize : 0), o.hiddenUnits], `${what}.hiddenKernel`);
    expectShape(lmu.hiddenBias, [o.hiddenUnits], `${what}.hiddenBias`);
  }
  return lmu;
}

/**
 * Decodes and checks the JSON form; every problem is a ModelError naming `source`.
 * Shapes must chain: input → each LMU layer → each Dense.
 */
export function decodeRuntimeWeights(json: unknown, source: string): RuntimeWeights {
  try {
    const j = json as { format?: unknown; architecture?: unknown; inputSize?: unknown; lmu?: unknown; lmuStack?: unknown; dense?: unknown };
    if (!j || (j.format !== RUNTIME_FORMAT && j.format !== RUNTIME_STACK_FORMAT)) {
      throw new Error(`not a runtime weights file (format '${j?.format}', expected '${RUNTIME_FORMAT}' or '${RUNTIME_STACK_FORMAT}')`);
    }
    if (j.architecture !== undefined && j.architecture !== 'lmu') throw new Error(`holds a ${j.architecture} network, not an LMU`);
    const stacked = j.format === RUNTIME_STACK_FORMAT;
    if (!stacked && j.lmuStack !== undefined)
      throw new Error(`lmuStack needs format '${RUNTIME_STACK_FORMAT}' (this file says '${j.format}')`);
    if (stacked && !Array.isArray(j.lmuStack)) throw new Error(`format '${RUNTIME_STACK_FORMAT}' needs lmuStack, a list of LMU layers`);
    const inputSize = j.inputSize;
    if (!Number.isInteger(inputSize) || (inputSize as number) < 1) throw new Error(`bad inputSize ${inputSize}`);
    const n = inputSize as number;
    const lmu = decodeLmu(j.lmu, n, 'lmu');
    let width = lmuOutputSize(lmu);
    const lmuStack = stacked
      ? (j.lmuStack as unknown[]).map((raw, k) => {
          const layer = decodeLmu(raw, width, `lmuStack[${k}]`);
          width = lmuOutputSize(layer);
          return layer;
        })
      : undefined;
    const dense = decodeDense(j.dense, width);
    return { format: j.format, inputSize: n, lmu, ...(lmuStack && { lmuStack }), dense };
  } catch (err) {
    if (err instanceof ModelError) throw err;
    const msg = err instanceof KwsError || err instanceof Error ? err.message : String(err);
    throw new ModelError(`${source}: ${msg}`);
  }
}

/** The runtime weights' file name in a model directory (kws.json files.runtime). */
export const RUNTIME_FILE = 'runtime.json';
