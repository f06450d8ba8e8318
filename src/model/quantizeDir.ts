/**
 * `kws quantize`: a model directory whose runtime weights are int8 (src/lmu/quantize.ts), made
 * from a float32 one. The tfjs model is copied as it is (float32, for further training); kws.json
 * is the source's with the int8 byte count and a `quantization` record, so the loader refuses a
 * float32 runtime file in its place (classifierFile.ts). Figures measured on the float32 model's
 * test split (`kws eval`) are dropped: they were not measured on these weights.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../errors';
import { quantizeWeights } from '../lmu/quantize';
import { ARCHITECTURE_NAMES } from '../rivals/options';
import { modelClassifier } from './classifierFile';
import { KwsModelConfig, loadModelConfig, writeModelConfig } from './kwsJson';
import { QuantizationRecord } from './records';
import { saveRuntimeWeights } from './runtimeFile';
import { bytesOf } from './size';
import { copyTfjsModel } from './tfjsFiles';

export const QUANTIZATION_SCHEME = 'symmetric int8, one scale per output channel (max |w| / 127), no zero point';
export const KEPT_FLOAT = "the biases and the scales; the LMU's Ā and B̄, which are not stored (recomputed from order and θ)";

/** Writes the int8 form of the LMU model in `from` to `out` (not `from`); returns its kws.json. */
export function quantizeModelDir(from: string, out: string, command?: string): KwsModelConfig {
  if (path.resolve(from) === path.resolve(out))
    throw new ConfigError(`--out ${out}: must be another directory (the float32 model is kept)`);
  const config = loadModelConfig(from);
  if (config.rival) {
    throw new ConfigError(
      `${from}: a ${ARCHITECTURE_NAMES[config.rival.architecture]} model; kws quantize makes int8 weights of LMU models only`,
    );
  }
  if (config.quantization) throw new ConfigError(`${from}: its runtime weights are int8 already`);
  const { weights } = modelClassifier(from, config);
  if ('architecture' in weights) throw new ConfigError(`${from}: runtime weights of a ${weights.architecture} network, not an LMU`);
  const int8 = quantizeWeights(weights);
  fs.mkdirSync(out, { recursive: true });
  copyTfjsModel(from, out);
  saveRuntimeWeights(out, int8, config.files.runtime);
  const quantization: QuantizationRecord = {
    dtype: 'int8',
    scheme: QUANTIZATION_SCHEME,
    float: KEPT_FLOAT,
    from,
    floatBytes: config.bytes,
    ...(command && { command }),
  };
  const { eval: _measuredOnFloat, verdict, ...metrics } = config.metrics ?? {};
  const { test: _testOfFloat, ...verdicts } = verdict ?? {};
  const quantized: KwsModelConfig = {
    ...config,
    name: `${config.name}-int8`,
    bytes: bytesOf(int8),
    quantization,
    metrics: { ...metrics, ...(verdict && { verdict: verdicts }) },
  };
  writeModelConfig(out, quantized);
  return quantized;
}
