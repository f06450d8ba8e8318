/** Public API of lmu-kws. */
export * from './errors';
export * from './audio/source';
export * from './features/config';
export * from './pipeline/events';
export { MfccExtractor, type FrameCallback } from './features/mfcc';
export { featuresOf } from './features/stream';
export { makeNormalizer, featureStatistics, type Normalizer } from './features/normalize';
export { openWav } from './audio/wav';
export { openFlac } from './audio/flac';
export { openAudio } from './audio/open';
export { audioFromBytes, audioFileSource, type AudioFileOptions } from './audio/decode';
export { bytesFile, type AudioFile } from './audio/audioFile';
export { microphone } from './audio/microphone';
export { pcmStream } from './audio/pcm';
export {
  KeywordSpotter,
  SpotterStream,
  DEFAULT_MODEL_DIR,
  type KeywordListener,
  type SpotterOptions,
  type FrameClassifier,
  type SmoothedListener,
} from './pipeline/spotter';
export { KeywordSpotterCore } from './pipeline/core';
export { fetchModel } from './model/modelUrl';
export { PosteriorSmoother, type FrameTiming } from './pipeline/smoother';
export { DEFAULT_SMOOTHER_SETTINGS, withThresholds, resolveSmootherConfig, type SmootherConfig } from './model/smootherConfig';
// LMU core without tfjs; the tfjs side is src/lmu/tf: layer (LMU), model (buildKwsModel), export, backend (initTf)
export { lmuMatrices, legendreDecoder, impulseResponse, continuousLmu, type LmuMatrices, type Discretizer } from './lmu/matrices';
export { resolveLmuOptions, type LmuOptions, type LmuActivation } from './lmu/options';
export { StreamingClassifier, type StreamingClassifierOptions } from './lmu/runtime';
export {
  RUNTIME_FORMAT,
  RUNTIME_STACK_FORMAT,
  RUNTIME_FRONT_FORMAT,
  weightDtype,
  type RuntimeWeights,
  type Int8Matrix,
  type WeightDtype,
} from './lmu/weights';
export { macsPerFrame, paramCount, stateFloats, weightBytes } from './lmu/cost';
export { quantizeWeights } from './lmu/quantize';
export { loadRuntimeWeights, saveRuntimeWeights } from './model/runtimeFile';
// The LMU's rivals (GRU, LSTM, causal DS-CNN) without tfjs; their tfjs side is src/rivals/tf
export { streamingClassifier } from './rivals/classifier';
export { ARCHITECTURES, RIVAL_DEFAULTS, rivalOptions, type Architecture, type RivalOptions } from './rivals/options';
export type { StreamingModel } from './rivals/streamingRival';
export type { ClassifierWeights, RivalWeights } from './rivals/weights';
export { loadClassifierWeights, saveClassifierWeights } from './model/classifierFile';
export {
  loadDataset,
  readClip,
  readClipRef,
  whichSet,
  labelOf,
  UNKNOWN_LABEL,
  SILENCE_LABEL,
  type Dataset,
  type DatasetOptions,
  type ClipRef,
  type Split,
} from './data/dataset';
export { benchWakeword, type WakewordReport, type WakewordBenchOptions } from './eval/wakewordBench';
export { synthesize, type SynthOptions, type SynthSummary } from './synth/synthesize';
