/**
 * An AudioSource's feature frames as an async iterator, for callers that want the frames
 * themselves (tools, tests). The spotter, training and evaluation feed MfccExtractor directly
 * (pushInto, no allocation per frame); every path uses the same MfccExtractor, so the frames are
 * the same.
 */
import { AudioSource } from '../audio/source';
import { ConfigError } from '../errors';
import { FeatureConfig, FeatureNormalization } from './config';
import { MfccExtractor } from './mfcc';
import { makeNormalizer } from './normalize';

/**
 * Yields the source's MFCC frames in order (frame n starts at sample n·hop), ending with the
 * flushed tail frame. Each yielded array is fresh and owned by the consumer. Frames are
 * normalised with `normalization` when given. The source is closed when iteration ends,
 * fails or is abandoned (break/return).
 * @throws ConfigError if the source's sample rate differs from the feature config's.
 */
export async function* featuresOf(
  source: AudioSource,
  config: Partial<FeatureConfig> = {},
  normalization?: FeatureNormalization,
): AsyncGenerator<Float32Array, void, undefined> {
  const extractor = new MfccExtractor(config);
  const normalize = normalization ? makeNormalizer(normalization, extractor.config.coefficients) : undefined;
  const finish = (frames: Float32Array[]) => (normalize ? frames.map((f) => normalize(f, f)) : frames);
  try {
    if (source.sampleRate !== extractor.config.sampleRate) {
      throw new ConfigError(`${source.name}: delivers ${source.sampleRate} Hz but the features expect ${extractor.config.sampleRate} Hz`);
    }
    for await (const chunk of source) yield* finish(extractor.push(chunk));
    yield* finish(extractor.flush());
  } finally {
    await source.close();
  }
}
