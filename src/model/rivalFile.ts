/**
 * The rivals' runtime weights on disk (RivalWeights, src/rivals/weights.ts): runtime.json with
 * the LMU file's frame (format, inputSize, dense: src/model/runtimeFile.ts) and the network in
 * place of its `lmu` section:
 *
 *     "architecture": "gru" | "lstm",
 *     "cell": { "units": H,
 *               "kernel": T,            // [inputSize, g·H]   g = 3 (GRU: z r h) or 4 (LSTM: i f c o)
 *               "recurrentKernel": T,   // [H, g·H]
 *               "bias": T }             // [g·H]
 *
 *     "architecture": "dscnn",
 *     "convs": [ { "depthwise": false | true, "activation": "relu" | "linear",
 *                  "kernel": T,         // full [taps, in, out]; depthwise [taps, channels]
 *                  "bias": T } ]        // [out], applied in order, each on the one before
 *
 * T as in runtimeFile.ts. Shapes must chain from inputSize through the network to the Dense layers.
 */
import { KwsError, ModelError } from '../errors';
import { RUNTIME_FORMAT } from '../lmu/weights';
import { GATES, RecurrentWeights, RivalWeights, RuntimeConv } from '../rivals/weights';
import { decodeDense, decodeMatrix, encodeDense, encodeMatrix, expectShape, fileDtype, RuntimeJson } from './runtimeCodec';

const CONV_ACTIVATIONS: readonly unknown[] = ['relu', 'linear'] satisfies RuntimeConv['activation'][];

export function encodeRivalWeights(w: RivalWeights): object {
  const network =
    w.architecture === 'dscnn'
      ? {
          convs: w.convs.map((c) => ({
            depthwise: c.depthwise,
            activation: c.activation,
            kernel: encodeMatrix(c.kernel),
            bias: encodeMatrix(c.bias),
          })),
        }
      : {
          cell: {
            units: w.cell.units,
            kernel: encodeMatrix(w.cell.kernel),
            recurrentKernel: encodeMatrix(w.cell.recurrentKernel),
            bias: encodeMatrix(w.cell.bias),
          },
        };
  return { format: w.format, architecture: w.architecture, inputSize: w.inputSize, ...network, dense: encodeDense(w.dense) };
}

/** Decodes and checks the JSON form; every problem is a ModelError naming `source`. */
export function decodeRivalWeights(json: unknown, source: string): RivalWeights {
  try {
    const j = json as RuntimeJson<'cell' | 'convs'>;
    if (!j || j.format !== RUNTIME_FORMAT)
      throw new Error(`not a runtime weights file (format '${j?.format}', expected '${RUNTIME_FORMAT}')`);
    if (fileDtype(j.dtype) !== 'float32') throw new Error(`${j.architecture} weights are float32 only; int8 is for LMU models`);
    const inputSize = j.inputSize as number;
    if (!Number.isInteger(inputSize) || inputSize < 1) throw new Error(`bad inputSize ${j.inputSize}`);
    const base = { format: RUNTIME_FORMAT, inputSize } as const;
    if (j.architecture === 'gru' || j.architecture === 'lstm') {
      const cell = decodeCell(j.cell, inputSize, GATES[j.architecture]);
      return { ...base, architecture: j.architecture, cell, dense: decodeDense(j.dense, cell.units) };
    }
    if (j.architecture === 'dscnn') {
      const convs = decodeConvs(j.convs, inputSize);
      return { ...base, architecture: 'dscnn', convs, dense: decodeDense(j.dense, convs[convs.length - 1].bias.data.length) };
    }
    throw new Error(`architecture '${j.architecture}' is not one of gru, lstm, dscnn`);
  } catch (err) {
    if (err instanceof ModelError) throw err;
    throw new ModelError(`${source}: ${err instanceof KwsError || err instanceof Error ? err.message : String(err)}`);
  }
}

function decodeCell(raw: unknown, inputSize: number, gates: number): RecurrentWeights['cell'] {
  const r = raw as { units?: unknown; kernel?: unknown; recurrentKernel?: unknown; bias?: unknown } | undefined;
  if (!r || typeof r !== 'object') throw new Error('cell section is missing');
  const units = r.units as number;
  if (!Number.isInteger(units) || units < 1) throw new Error(`cell.units must be an integer ≥ 1 (got ${r.units})`);
  const cell = {
    units,
    kernel: decodeMatrix(r.kernel, 'cell.kernel'),
    recurrentKernel: decodeMatrix(r.recurrentKernel, 'cell.recurrentKernel'),
    bias: decodeMatrix(r.bias, 'cell.bias'),
  };
  expectShape(cell.kernel, [inputSize, gates * units], 'cell.kernel');
  expectShape(cell.recurrentKernel, [units, gates * units], 'cell.recurrentKernel');
  expectShape(cell.bias, [gates * units], 'cell.bias');
  return cell;
}

function decodeConvs(raw: unknown, inputSize: number): RuntimeConv[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new Error('convs section is missing or empty');
  let width = inputSize;
  return raw.map((r: { depthwise?: unknown; activation?: unknown; kernel?: unknown; bias?: unknown }, k: number): RuntimeConv => {
    const what = `convs[${k}]`;
    if (typeof r?.depthwise !== 'boolean') throw new Error(`${what}.depthwise must be true or false`);
    if (!CONV_ACTIVATIONS.includes(r.activation))
      throw new Error(`${what}.activation '${r.activation}' is not one of ${CONV_ACTIVATIONS.join(', ')}`);
    const conv: RuntimeConv = {
      depthwise: r.depthwise,
      activation: r.activation as RuntimeConv['activation'],
      kernel: decodeMatrix(r.kernel, `${what}.kernel`),
      bias: decodeMatrix(r.bias, `${what}.bias`),
    };
    const taps = conv.kernel.shape[0];
    const out = conv.depthwise ? width : conv.kernel.shape[2];
    expectShape(conv.kernel, conv.depthwise ? [taps, width] : [taps, width, out], `${what}.kernel`);
    expectShape(conv.bias, [out], `${what}.bias`);
    width = out;
    return conv;
  });
}
