/**
 * The runtime weights file of a model directory (RuntimeWeights, src/lmu/weights.ts): its JSON
 * form, encoded and decoded without Node modules, so the browser build reads the same files
 * (runtimeFile.ts reads and writes them on disk).
 *
 * On disk (`runtime.json`, plain JSON, one file):
 *
 *     {
 *       "format": "lmu-kws-runtime/1",          // "lmu-kws-runtime/2" with lmuStack, "/3" with front
 *       "inputSize": 20,                       // features per frame
 *       "front": [ D, … ]?,                     // /3 only: Dense layers on each frame before the LMU
 *       "lmu": L,                              // the first LMU layer: its input is the features (or the front's output)
 *       "lmuStack": [ L, … ]?,                  // /2 and /3: layers 2…N, each reading the output of the one below
 *       "dense": [ D, … ]                       // after the LMU, applied in order
 *     }
 *     D = { "activation": "relu" | "softmax" | "linear" | "tanh" | "sigmoid",
 *           "kernel": T, "bias": T }           // [in, units], [units]
 *     L = { "order", "theta", "memoryD", "hiddenUnits", "hiddenRank", "hiddenActivation",
 *           "hiddenToMemory", "memoryToMemory", "inputToHidden", "discretizer",
 *           "kernel":          T,          // [in (+ hiddenUnits if hiddenToMemory), memoryD]
 *           "recurrentKernel": T?,         // [memoryD·order, memoryD]        (memoryToMemory)
 *           "hiddenProjection": T?,        // [memoryD·order (+ in if inputToHidden), hiddenRank]  (hiddenRank > 0)
 *           "hiddenKernel":    T?,         // [hiddenRank, or memoryD·order (+ in if inputToHidden) when 0, hiddenUnits]
 *           "hiddenBias":      T? }        // [hiddenUnits]
 *       with `in` the layer's input size: inputSize (or the front's units), or the output size of the layer below
 *       (hiddenUnits, or memoryD·order without a hidden cell)
 *     T = { "shape": [rows, cols] | [n], "data": base64 of little-endian float32, row-major }
 *
 * One layer is written as /1, as before stacks existed, and a stack without front layers as /2,
 * so that the readers of each format keep reading what they can run.
 *
 * A quantized model (`kws quantize`, src/lmu/quantize.ts) says `"dtype": "int8"` beside the
 * format (absent: float32) and stores every kernel — the LMU layers' kernel, recurrentKernel,
 * hiddenProjection and hiddenKernel, the Dense kernels — as
 *     Q = { "shape": [rows, cols], "data": base64 of int8, row-major,
 *           "scales": base64 of little-endian float32 [cols] }     w[j][k] ≈ data[j·cols + k] · scales[k]
 * while the biases stay T. A reader from before int8 refuses such a file (its kernels hold a
 * quarter of the bytes their shapes need).
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
  Int8Matrix,
  isInt8,
  Kernel,
  RUNTIME_FORMAT,
  RUNTIME_FORMATS,
  RUNTIME_FRONT_FORMAT,
  RUNTIME_STACK_FORMAT,
  RuntimeDense,
  RuntimeFormat,
  RuntimeLmu,
  RuntimeWeights,
  runtimeFormatFor,
  WEIGHT_DTYPES,
  WeightDtype,
  weightDtype,
  WeightMatrix,
} from '../lmu/weights';

/** The base64 of bytes, the standard alphabet with padding (atob/btoa exist in Node ≥ 16 and every browser). */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The bytes of `text`, the base64 of `what` (a field: 'lmu.kernel.data'). */
function fromBase64(text: string, what: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new Error(`${what} is not base64`);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function encodeFloats(values: Float32Array): string {
  const bytes = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((v, i) => bytes.setFloat32(i * 4, v, true));
  return toBase64(new Uint8Array(bytes.buffer));
}

/** `count` finite little-endian float32 values from `bytes` (`what` names them in errors). */
function decodeFloats(bytes: Uint8Array, count: number, what: string, shape: unknown[] = [count]): Float32Array {
  if (bytes.length !== count * 4) throw new Error(`${what} holds ${bytes.length / 4} float32 values, shape [${shape}] needs ${count}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * 4, true);
  if (data.some((v) => !Number.isFinite(v))) throw new Error(`${what} contains NaN or Infinity`);
  return data;
}

export function encodeMatrix(m: WeightMatrix): { shape: number[]; data: string } {
  return { shape: m.shape, data: encodeFloats(m.data) };
}

/** A kernel as stored: T for float32, Q (int8 + scales) for int8. */
export function encodeKernel(m: Kernel): { shape: number[]; data: string; scales?: string } {
  if (!isInt8(m)) return encodeMatrix(m);
  return {
    shape: m.shape,
    data: toBase64(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.length)),
    scales: encodeFloats(m.scales),
  };
}

/** {shape, data, scales?} with a well-formed shape; `what` names it in errors. */
function weightJson(raw: unknown, what: string): { shape: number[]; data: string; scales?: unknown; size: number } {
  const r = raw as { shape?: unknown; data?: unknown; scales?: unknown };
  if (!r || !Array.isArray(r.shape) || !r.shape.every((n) => Number.isInteger(n) && n > 0) || typeof r.data !== 'string') {
    throw new Error(`${what} is not a {shape, data} weight`);
  }
  const shape = r.shape as number[];
  return { shape, data: r.data, scales: r.scales, size: shape.reduce((a, b) => a * b, 1) };
}

export function decodeMatrix(raw: unknown, what: string): WeightMatrix {
  const r = weightJson(raw, what);
  if (r.scales !== undefined) throw new Error(`${what} has int8 scales but the file's weights are float32`);
  return { shape: r.shape, data: decodeFloats(fromBase64(r.data, `${what}.data`), r.size, what, r.shape) };
}

/** A kernel of a file whose weights are `dtype`: T for float32, Q for int8 (one scale per column). */
export function decodeKernel(raw: unknown, what: string, dtype: WeightDtype): Kernel {
  if (dtype === 'float32') return decodeMatrix(raw, what);
  const r = weightJson(raw, what);
  if (typeof r.scales !== 'string') throw new Error(`${what} has no scales, which the file's int8 weights need`);
  const bytes = fromBase64(r.data, `${what}.data`);
  if (bytes.length !== r.size) throw new Error(`${what} holds ${bytes.length} int8 values, shape [${r.shape}] needs ${r.size}`);
  const columns = r.shape[r.shape.length - 1];
  const scales = decodeFloats(fromBase64(r.scales, `${what}.scales`), columns, `${what}.scales`);
  const q: Int8Matrix = { shape: r.shape, data: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length), scales };
  if (q.scales.some((v) => v < 0)) throw new Error(`${what}.scales has a negative scale`);
  return q;
}

function encodeLmu({ kernel, recurrentKernel, hiddenProjection, hiddenKernel, hiddenBias, ...options }: RuntimeLmu): object {
  const opt = (m?: Kernel) => (m ? encodeKernel(m) : undefined);
  return {
    ...options,
    hiddenRank: options.hiddenRank || undefined, // full-rank files as they were before ranks
    kernel: encodeKernel(kernel),
    recurrentKernel: opt(recurrentKernel),
    hiddenProjection: opt(hiddenProjection),
    hiddenKernel: opt(hiddenKernel),
    hiddenBias: hiddenBias && encodeMatrix(hiddenBias),
  };
}

/** Plain-JSON form of the weights (see the format above; the format tag follows the layers). */
export function encodeRuntimeWeights(w: RuntimeWeights): object {
  const stack = w.lmuStack ?? [];
  const front = w.front ?? [];
  return {
    format: runtimeFormatFor(stack.length, front.length),
    dtype: weightDtype(w) === 'float32' ? undefined : weightDtype(w), // float32 files as they were before int8
    inputSize: w.inputSize,
    front: front.length ? encodeDense(front) : undefined,
    lmu: encodeLmu(w.lmu),
    lmuStack: stack.length ? stack.map(encodeLmu) : undefined,
    dense: encodeDense(w.dense),
  };
}

/** Dense layers as stored: after any network (every architecture's runtime.json ends with them), or an LMU's front. */
export function encodeDense(dense: readonly RuntimeDense[]): object[] {
  return dense.map((d) => ({ activation: d.activation, kernel: encodeKernel(d.kernel), bias: encodeMatrix(d.bias) }));
}

/**
 * Decodes the section `what` (default `dense`: after a network) of Dense layers reading `width`
 * values; shapes must chain.
 */
export function decodeDense(raw: unknown, width: number, dtype: WeightDtype = 'float32', what = 'dense'): RuntimeDense[] {
  if (!Array.isArray(raw)) throw new Error(`${what} section is missing`);
  return raw.map((r: { activation?: unknown; kernel?: unknown; bias?: unknown }, k: number): RuntimeDense => {
    if (!(DENSE_ACTIVATIONS as readonly unknown[]).includes(r?.activation))
      throw new Error(`${what}[${k}].activation '${r?.activation}' is not one of ${DENSE_ACTIVATIONS.join(', ')}`);
    const d = {
      activation: r.activation as DenseActivation,
      kernel: decodeKernel(r.kernel, `${what}[${k}].kernel`, dtype),
      bias: decodeMatrix(r.bias, `${what}[${k}].bias`),
    };
    const units = d.kernel.shape[1];
    expectShape(d.kernel, [width, units], `${what}[${k}].kernel`);
    expectShape(d.bias, [units], `${what}[${k}].bias`);
    width = units;
    return d;
  });
}

export function expectShape(m: Kernel | undefined, shape: number[], what: string): void {
  if (!m) throw new Error(`${what} is missing`);
  if (m.shape.join(',') !== shape.join(',')) throw new Error(`${what} has shape [${m.shape}], expected [${shape}]`);
}

/** One LMU layer `what` reading `inputSize` values per step; its options and weight shapes checked. */
function decodeLmu(raw: unknown, inputSize: number, what: string, dtype: WeightDtype): RuntimeLmu {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${what} section is missing`);
  const { kernel, recurrentKernel, hiddenProjection, hiddenKernel, hiddenBias, ...rawOptions } = raw as Record<string, unknown>;
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
    hiddenRank: o.hiddenRank,
    hiddenActivation: o.hiddenActivation,
    hiddenToMemory: o.hiddenToMemory,
    memoryToMemory: o.memoryToMemory,
    inputToHidden: o.inputToHidden,
    discretizer: o.discretizer,
    kernel: decodeKernel(kernel, `${what}.kernel`, dtype),
  };
  expectShape(lmu.kernel, [inputSize + (o.hiddenToMemory ? o.hiddenUnits : 0), o.memoryD], `${what}.kernel`);
  if (o.memoryToMemory) {
    lmu.recurrentKernel = decodeKernel(recurrentKernel, `${what}.recurrentKernel`, dtype);
    expectShape(lmu.recurrentKernel, [mem, o.memoryD], `${what}.recurrentKernel`);
  }
  if (o.hiddenUnits > 0) {
    const hiddenIn = mem + (o.inputToHidden ? inputSize : 0);
    if (o.hiddenRank > 0) {
      lmu.hiddenProjection = decodeKernel(hiddenProjection, `${what}.hiddenProjection`, dtype);
      expectShape(lmu.hiddenProjection, [hiddenIn, o.hiddenRank], `${what}.hiddenProjection`);
    }
    lmu.hiddenKernel = decodeKernel(hiddenKernel, `${what}.hiddenKernel`, dtype);
    lmu.hiddenBias = decodeMatrix(hiddenBias, `${what}.hiddenBias`);
    expectShape(lmu.hiddenKernel, [o.hiddenRank || hiddenIn, o.hiddenUnits], `${what}.hiddenKernel`);
    expectShape(lmu.hiddenBias, [o.hiddenUnits], `${what}.hiddenBias`);
  }
  return lmu;
}

/** A runtime.json as read, before its checks: the fields of every architecture's file, and its network's sections. */
export type RuntimeJson<Network extends string> = {
  format?: unknown;
  dtype?: unknown;
  architecture?: unknown;
  inputSize?: unknown;
  dense?: unknown;
} & Partial<Record<Network, unknown>>;

/**
 * Decodes and checks the JSON form; every problem is a ModelError naming `source`.
 * Shapes must chain: input → each LMU layer → each Dense.
 */
export function decodeRuntimeWeights(json: unknown, source: string): RuntimeWeights {
  try {
    const j = json as RuntimeJson<'front' | 'lmu' | 'lmuStack'>;
    const format = j?.format as RuntimeFormat;
    if (!j || !RUNTIME_FORMATS.includes(format)) {
      throw new Error(`not a runtime weights file (format '${j?.format}', expected one of '${RUNTIME_FORMATS.join("', '")}')`);
    }
    if (j.architecture !== undefined && j.architecture !== 'lmu') throw new Error(`holds a ${j.architecture} network, not an LMU`);
    const fronted = format === RUNTIME_FRONT_FORMAT;
    if (!fronted && j.front !== undefined) throw new Error(`front needs format '${RUNTIME_FRONT_FORMAT}' (this file says '${format}')`);
    if (fronted && !(Array.isArray(j.front) && j.front.length))
      throw new Error(`format '${RUNTIME_FRONT_FORMAT}' needs front, a list of Dense layers`);
    const stacked = format === RUNTIME_STACK_FORMAT;
    if (format === RUNTIME_FORMAT && j.lmuStack !== undefined)
      throw new Error(`lmuStack needs format '${RUNTIME_STACK_FORMAT}' (this file says '${format}')`);
    if (stacked && !Array.isArray(j.lmuStack)) throw new Error(`format '${RUNTIME_STACK_FORMAT}' needs lmuStack, a list of LMU layers`);
    if (j.lmuStack !== undefined && !Array.isArray(j.lmuStack)) throw new Error('lmuStack must be a list of LMU layers');
    const dtype = fileDtype(j.dtype);
    const inputSize = j.inputSize;
    if (!Number.isInteger(inputSize) || (inputSize as number) < 1) throw new Error(`bad inputSize ${inputSize}`);
    const n = inputSize as number;
    const front = fronted ? decodeDense(j.front, n, dtype, 'front') : undefined;
    const lmu = decodeLmu(j.lmu, front ? front[front.length - 1].kernel.shape[1] : n, 'lmu', dtype);
    let width = lmuOutputSize(lmu);
    const lmuStack =
      j.lmuStack !== undefined
        ? (j.lmuStack as unknown[]).map((raw, k) => {
            const layer = decodeLmu(raw, width, `lmuStack[${k}]`, dtype);
            width = lmuOutputSize(layer);
            return layer;
          })
        : undefined;
    const dense = decodeDense(j.dense, width, dtype);
    return { format, inputSize: n, ...(front && { front }), lmu, ...(lmuStack && { lmuStack }), dense };
  } catch (err) {
    if (err instanceof ModelError) throw err;
    const msg = err instanceof KwsError || err instanceof Error ? err.message : String(err);
    throw new ModelError(`${source}: ${msg}`);
  }
}

/** The file's `dtype` field: absent (as in every file before int8) is float32. */
export function fileDtype(raw: unknown): WeightDtype {
  if (raw === undefined) return 'float32';
  if (!(WEIGHT_DTYPES as readonly unknown[]).includes(raw))
    throw new Error(`dtype ${JSON.stringify(raw)} is not one of ${WEIGHT_DTYPES.join(', ')}`);
  return raw as WeightDtype;
}

/** The runtime weights' file name in a model directory (kws.json files.runtime). */
export const RUNTIME_FILE = 'runtime.json';
