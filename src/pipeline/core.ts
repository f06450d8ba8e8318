/**
 * KeywordSpotterCore — the spotter without Node: a model in memory (kws.json's config and a maker
 * of classifiers), per-stream state (SpotterStream) and detect() over any AudioSource. It loads a
 * model directory by URL (fetchModel). KeywordSpotter (spotter.ts) is this plus what needs Node —
 * loading from disk and the EventEmitter form listen() — and the browser build (web/) bundles
 * this file, so both run one code path.
 *
 * One spotter holds the model (read-only); every stream gets its own SpotterStream with its own
 * extractor, classifier state and smoother, so any number of detect() calls can run on one
 * spotter at once without sharing state. It never imports tfjs.
 */
import { AudioSource } from '../audio/source';
import { stderrWarning, Warnings, WarningSink } from '../audio/warnings';
import { ConfigError } from '../errors';
import { KeywordEvent } from './events';
import type { KwsModelConfig } from '../model/kwsConfig';
import { fetchModel } from '../model/modelUrl';
import { narrowBandWarning } from './narrowBand';
import { withThresholds } from '../model/smootherConfig';
import { FrameClassifier, SmoothedListener, SpotterStream } from './stream';

export interface SpotterOptions {
  /** Per-keyword threshold overrides, e.g. { yes: 0.8 }; validated against the model's keywords. */
  thresholds?: Record<string, number>;
  /** Where warnings about a source go (e.g. audio narrower-band than the model's); default: stderr (a browser: the console). */
  onWarning?: WarningSink;
}

export class KeywordSpotterCore {
  readonly config: KwsModelConfig;
  readonly keywords: readonly string[];
  protected readonly onWarning: WarningSink;

  /**
   * @param config         the model's kws.json (thresholds already merged, or pass overrides)
   * @param newClassifier  makes a fresh classifier (own state, shared weights) for each stream
   */
  constructor(
    config: KwsModelConfig,
    protected readonly newClassifier: () => FrameClassifier,
    options: SpotterOptions = {},
  ) {
    this.config = { ...config, smoother: withThresholds(config.smoother, config.keywords, options.thresholds) };
    this.keywords = config.keywords;
    this.onWarning = options.onWarning ?? stderrWarning;
    // Build one stream now so a bad config fails at load time, not on the first audio.
    this.createStream();
  }

  /**
   * Loads the model directory at `url` (kws.json + runtime weights, any architecture), e.g.
   * 'models/default/' relative to the page; `base` resolves relative URLs where there is no page.
   */
  static async fromUrl<T extends typeof KeywordSpotterCore>(
    this: T,
    url: string,
    options: SpotterOptions = {},
    base?: string,
  ): Promise<InstanceType<T>> {
    const model = await fetchModel(url, base);
    return new this(model.config, model.create, options) as InstanceType<T>;
  }

  /** Per-stream state for callers that push samples themselves (benchmarks, custom sources). */
  createStream(onSmoothed?: SmoothedListener): SpotterStream {
    return new SpotterStream(this.config, this.newClassifier(), onSmoothed);
  }

  /**
   * Events of one source, in order, as they happen. The source is closed when iteration ends,
   * fails or is abandoned. Backpressure: the next chunk is read only when the consumer asks for
   * the next event, so a slow consumer pauses files and stdin; how a live source buffers
   * meanwhile is that source's policy (see src/audio/microphone.ts). `onSmoothed` sees each
   * frame's smoothed posteriors (SpotterStream).
   */
  async *detect(source: AudioSource, onSmoothed?: SmoothedListener): AsyncGenerator<KeywordEvent, void, undefined> {
    try {
      const rate = this.config.features.sampleRate;
      if (source.sampleRate !== rate) {
        throw new ConfigError(`${source.name}: delivers ${source.sampleRate} Hz but the model expects ${rate} Hz`);
      }
      const narrowBand = narrowBandWarning(source.inputSampleRate, this.config.features);
      if (narrowBand) new Warnings(source.name, this.onWarning).warn(narrowBand);
      const stream = this.createStream(onSmoothed);
      for await (const chunk of source) yield* stream.push(chunk);
      yield* stream.flush();
    } finally {
      await source.close();
    }
  }
}
