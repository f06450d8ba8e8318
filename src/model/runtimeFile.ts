/**
 * The runtime weights file of a model directory (RuntimeWeights, src/lmu/weights.ts, on disk).
 *
 * On disk (`runtime.json`, plain JSON, one file):
 *
 *     {
 *       "format": "lmu-kws-runtime/1",
 *       "inputSize": 20,                       // features per frame
 *       "lmu": { "order", "theta", "memoryD", "hiddenUnits", "hiddenActivation",
 *                "hiddenToMemory", "memoryToMemory", "inputToHidden", "discretizer",
 *                "kernel":          T,          // [inputSize (+ hiddenUnits if hiddenToMemory), memoryD]
 *                "recurrentKernel": T?,         // [memoryD·order, memoryD]        (memoryToMemory)
 *                "hiddenKernel":    T?,         // [memoryD·order (+ inputSize if inputToHidden), hiddenUnits]
 *                "hiddenBias":      T? },       // [hiddenUnits]
 *       "dense": [ { "activation": "relu" | "softmax" | "linear" | "tanh" | "sigmoid",
 *                    "kernel": T, "bias": T } ]  // [in, units], [units], applied in order
 *     }
 *     T = { "shape": [rows, cols] | [n], "data": base64 of little-endian float32, row-major }
 *
 * Ā and B̄ are not stored: the runtime recomputes them with lmuMatrices(order, theta,
 * discretizer), exactly as the tfjs layer does. Memory index layout is channel-major
 * (d·order + i), as in keras-lmu.
 */
import * as fs from 'fs';
import * as path from 'path';
import { KwsError, ModelError } from '../errors';
import { lmuOutputSize, ResolvedLmuOptions, resolveLmuOptions } from '../lmu/options';
import { DENSE_ACTIVATIONS, DenseActivation, RUNTIME_FORMAT, RuntimeDense, RuntimeLmu, RuntimeWeights, WeightMatrix } from '../lmu/weights';

function encodeMatrix(m: WeightMatrix): { shape: number[]; data: string } {
  const bytes = Buffer.alloc(m.data.length * 4);
  m.data.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return { shape: m.shape, data: bytes.toString('base64') };
}

function decodeMatrix(raw: unknown, what: string): WeightMatrix {
  const r = raw as { shape?: unknown; data?: unknown };
  if (!r || !Array.isArray(r.shape) || !r.shape.every((n) => Number.isInteger(n) && n > 0) || typeof r.data !== 'string') {
    throw new Error(`${what} is not a {shape, data} weight`);
  }
  const bytes = Buffer.from(r.data, 'base64');
  const size = (r.shape as number[]).reduce((a, b) => a * b, 1);
  if (bytes.length !== size * 4) throw new Error(`${what} holds ${bytes.length / 4} values, shape [${r.shape}] needs ${size}`);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = bytes.readFloatLE(i * 4);
  if (data.some((v) => !Number.isFinite(v))) throw new Error(`${what} contains NaN or Infinity`);
  return { shape: r.shape as number[], data };
}

/** Plain-JSON form of the weights (see the format above). */
export function encodeRuntimeWeights(w: RuntimeWeights): object {
  const { kernel, recurrentKernel, hiddenKernel, hiddenBias, ...lmuOptions } = w.lmu;
  const opt = (m?: WeightMatrix) => (m ? encodeMatrix(m) : undefined);
  return {
    format: w.format,
    inputSize: w.inputSize,
    lmu: {
      ...lmuOptions,
      kernel: encodeMatrix(kernel),
      recurrentKernel: opt(recurrentKernel),
      hiddenKernel: opt(hiddenKernel),
      hiddenBias: opt(hiddenBias),
    },
    dense: w.dense.map((d) => ({ activation: d.activation, kernel: encodeMatrix(d.kernel), bias: encodeMatrix(d.bias) })),
  };
}

function expectShape(m: WeightMatrix | undefined, shape: number[], what: string): void {
  if (!m) throw new Error(`${what} is missing`);
  if (m.shape.join(',') !== shape.join(',')) throw new Error(`${what} has shape [${m.shape}], expected [${shape}]`);
}

/**
 * Decodes and checks the JSON form; every problem is a ModelError naming `source`.
 * Shapes must chain: input → LMU → each Dense.
 */
export function decodeRuntimeWeights(json: unknown, source: string): RuntimeWeights {
  try {
    const j = json as { format?: unknown; inputSize?: unknown; lmu?: Record<string, unknown>; dense?: unknown };
    if (!j || j.format !== RUNTIME_FORMAT)
      throw new Error(`not a runtime weights file (format '${j?.format}', expected '${RUNTIME_FORMAT}')`);
    const inputSize = j.inputSize;
    if (!Number.isInteger(inputSize) || (inputSize as number) < 1) throw new Error(`bad inputSize ${inputSize}`);
    if (!j.lmu || typeof j.lmu !== 'object') throw new Error('lmu section is missing');
    const { kernel, recurrentKernel, hiddenKernel, hiddenBias, ...rawOptions } = j.lmu;
    const o = resolveLmuOptions(rawOptions as unknown as ResolvedLmuOptions);
    const n = inputSize as number;
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
      kernel: decodeMatrix(kernel, 'lmu.kernel'),
    };
    expectShape(lmu.kernel, [n + (o.hiddenToMemory ? o.hiddenUnits : 0), o.memoryD], 'lmu.kernel');
    if (o.memoryToMemory) {
      lmu.recurrentKernel = decodeMatrix(recurrentKernel, 'lmu.recurrentKernel');
      expectShape(lmu.recurrentKernel, [mem, o.memoryD], 'lmu.recurrentKernel');
    }
    if (o.hiddenUnits > 0) {
      lmu.hiddenKernel = decodeMatrix(hiddenKernel, 'lmu.hiddenKernel');
      lmu.hiddenBias = decodeMatrix(hiddenBias, 'lmu.hiddenBias');
      expectShape(lmu.hiddenKernel, [mem + (o.inputToHidden ? n : 0), o.hiddenUnits], 'lmu.hiddenKernel');
      expectShape(lmu.hiddenBias, [o.hiddenUnits], 'lmu.hiddenBias');
    }
    if (!Array.isArray(j.dense)) throw new Error('dense section is missing');
    let width = lmuOutputSize({ ...o, returnSequences: true });
    const dense = j.dense.map((raw: { activation?: unknown; kernel?: unknown; bias?: unknown }, k: number): RuntimeDense => {
      if (!(DENSE_ACTIVATIONS as readonly unknown[]).includes(raw?.activation))
        throw new Error(`dense[${k}].activation '${raw?.activation}' is not one of ${DENSE_ACTIVATIONS.join(', ')}`);
      const d = {
        activation: raw.activation as DenseActivation,
        kernel: decodeMatrix(raw.kernel, `dense[${k}].kernel`),
        bias: decodeMatrix(raw.bias, `dense[${k}].bias`),
      };
      const units = d.kernel.shape[1];
      expectShape(d.kernel, [width, units], `dense[${k}].kernel`);
      expectShape(d.bias, [units], `dense[${k}].bias`);
      width = units;
      return d;
    });
    return { format: RUNTIME_FORMAT, inputSize: n, lmu, dense };
  } catch (err) {
    if (err instanceof ModelError) throw err;
    const msg = err instanceof KwsError || err instanceof Error ? err.message : String(err);
    throw new ModelError(`${source}: ${msg}`);
  }
}

/** The runtime weights' file name in a model directory (kws.json files.runtime). */
export const RUNTIME_FILE = 'runtime.json';

/** Writes `dir/file` (creating dir) and returns its path. */
export function saveRuntimeWeights(dir: string, w: RuntimeWeights, file = RUNTIME_FILE): string {
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, file);
  fs.writeFileSync(out, JSON.stringify(encodeRuntimeWeights(w)));
  return out;
}

/** Reads and checks a runtime weights file; a missing or malformed file is a ModelError naming it. */
export function loadRuntimeWeights(file: string): RuntimeWeights {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ModelError(`${file}: cannot read runtime weights (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return decodeRuntimeWeights(json, file);
}
