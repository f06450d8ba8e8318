/**
 * KeywordSpotter — the public API: audio in, keyword events out.
 *
 *   samples ─► MfccExtractor ─► (x − mean)/std ─► classifier.step (LMU or rival) ─► PosteriorSmoother ─► KeywordEvent
 *
 * One spotter holds the model (config + weights, read-only); every stream gets its own
 * SpotterStream with its own extractor, classifier state and smoother, so any number of
 * detect()/listen() calls can run on one spotter at once without sharing state.
 * The per-frame path allocates nothing (events, which are rare, are the only new objects) and
 * never imports tfjs.
 */
import { EventEmitter } from 'events';
import * as path from 'path';
import { AudioSource } from '../audio/source';
import { stderrWarning, Warnings, WarningSink } from '../audio/warnings';
import { ConfigError } from '../errors';
import { MfccExtractor } from '../features/mfcc';
import { makeNormalizer, Normalizer } from '../features/normalize';
import { KeywordEvent } from './events';
import { KwsModelConfig, loadModelConfig } from '../model/kwsJson';
import { narrowBandWarning } from './narrowBand';
import { withThresholds } from '../model/smootherConfig';
import { PosteriorSmoother } from './smoother';
import { modelClassifier } from '../model/classifierFile';
import { PACKAGE_ROOT } from '../packageRoot';

/** The shipped model, relative to the package root. */
export const DEFAULT_MODEL_DIR = path.join(PACKAGE_ROOT, 'models', 'default');

/** What the spotter needs from a classifier: one step per frame, posteriors in label order. */
export interface FrameClassifier {
  /** Posteriors for this frame; may be a buffer the classifier reuses on the next step. */
  step(frame: Float32Array): Float32Array;
  reset(): void;
}

export interface SpotterOptions {
  /** Per-keyword threshold overrides, e.g. { yes: 0.8 }; validated against the model's keywords. */
  thresholds?: Record<string, number>;
  /** Where warnings about a source go (e.g. audio narrower-band than the model's); default: stderr. */
  onWarning?: WarningSink;
}

/** The state of one audio stream: feed samples, get events. Not shared between streams. */
export class SpotterStream {
  private readonly extractor: MfccExtractor;
  private readonly normalize: Normalizer;
  private readonly normalized: Float32Array;
  private readonly classifier: FrameClassifier;
  private readonly smoother: PosteriorSmoother;
  private pending: KeywordEvent[] = [];
  private readonly onFrame = (frame: Float32Array, index: number): void => {
    const posteriors = this.classifier.step(this.normalize(frame, this.normalized));
    const event = this.smoother.push(posteriors, index);
    if (event) this.pending.push(event);
  };

  constructor(config: KwsModelConfig, classifier: FrameClassifier) {
    this.extractor = new MfccExtractor(config.features);
    const n = this.extractor.config.coefficients;
    this.normalize = makeNormalizer(config.normalization, n);
    this.normalized = new Float32Array(n);
    this.classifier = classifier;
    this.smoother = new PosteriorSmoother(config.smoother, config.labels, config.keywords, this.extractor.config);
  }

  /** Feeds the next samples of the stream; returns the events they completed (usually none). */
  push(samples: Float32Array): KeywordEvent[] {
    this.extractor.pushInto(samples, this.onFrame);
    return this.takePending();
  }

  /** End of stream: processes the zero-padded tail frame, returns its events, and resets. */
  flush(): KeywordEvent[] {
    this.extractor.flushInto(this.onFrame);
    const events = this.takePending();
    this.reset();
    return events;
  }

  /** Forgets everything, as at the start of a new stream. */
  reset(): void {
    this.extractor.reset();
    this.classifier.reset();
    this.smoother.reset();
    this.pending = [];
  }

  /** Hands the collected events to the caller (one small array per chunk, none per frame). */
  private takePending(): KeywordEvent[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}

/** The event-emitter form of a running detection (see KeywordSpotter.listen). */
export interface KeywordListener extends EventEmitter {
  on(event: 'keyword', listener: (event: KeywordEvent) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: string | symbol, listener: (...args: unknown[]) => void): this;
  /** Stops reading, closes the source; resolves when the loop has ended ('end' is emitted). */
  stop(): Promise<void>;
  /** Resolves when the source ended or was stopped, or failed with an 'error' listener attached; else rejects with the failure. */
  readonly done: Promise<void>;
}

export class KeywordSpotter {
  readonly config: KwsModelConfig;
  readonly keywords: readonly string[];
  private readonly onWarning: WarningSink;

  /**
   * @param config         the model's kws.json (thresholds already merged, or pass overrides)
   * @param newClassifier  makes a fresh classifier (own state, shared weights) for each stream
   */
  constructor(
    config: KwsModelConfig,
    private readonly newClassifier: () => FrameClassifier,
    options: SpotterOptions = {},
  ) {
    this.config = { ...config, smoother: withThresholds(config.smoother, config.keywords, options.thresholds) };
    this.keywords = config.keywords;
    this.onWarning = options.onWarning ?? stderrWarning;
    // Build one stream now so a bad config fails at load time, not on the first audio.
    this.createStream();
  }

  /** Loads a model directory (kws.json + runtime weights, any architecture; no tfjs). */
  static async load(modelDir: string = DEFAULT_MODEL_DIR, options: SpotterOptions = {}): Promise<KeywordSpotter> {
    const config = loadModelConfig(modelDir);
    return new KeywordSpotter(config, modelClassifier(modelDir, config).create, options);
  }

  /** Per-stream state for callers that push samples themselves (benchmarks, custom sources). */
  createStream(): SpotterStream {
    return new SpotterStream(this.config, this.newClassifier());
  }

  /**
   * Events of one source, in order, as they happen. The source is closed when iteration ends,
   * fails or is abandoned. Backpressure: the next chunk is read only when the consumer asks for
   * the next event, so a slow consumer pauses files and stdin; how a live source buffers
   * meanwhile is that source's policy (see src/audio/microphone.ts).
   */
  async *detect(source: AudioSource): AsyncGenerator<KeywordEvent, void, undefined> {
    try {
      const rate = this.config.features.sampleRate;
      if (source.sampleRate !== rate) {
        throw new ConfigError(`${source.name}: delivers ${source.sampleRate} Hz but the model expects ${rate} Hz`);
      }
      const narrowBand = narrowBandWarning(source.inputSampleRate, this.config.features);
      if (narrowBand) new Warnings(source.name, this.onWarning).warn(narrowBand);
      const stream = this.createStream();
      for await (const chunk of source) yield* stream.push(chunk);
      yield* stream.flush();
    } finally {
      await source.close();
    }
  }

  /**
   * Live form: starts reading on the next tick and emits 'keyword' per event, then 'end'
   * (on failure: 'error' once, then 'end'). Without an 'error' listener a failure rejects
   * `done` instead of throwing. After stop() nothing but 'end' is emitted.
   */
  listen(source: AudioSource): KeywordListener {
    const emitter = new EventEmitter() as KeywordListener;
    let stopped = false;
    let failure: Error | null = null;
    const iterator = this.detect(source);
    const run = async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      try {
        while (!stopped) {
          const next = await iterator.next();
          if (next.done) break;
          if (!stopped) emitter.emit('keyword', next.value);
        }
      } catch (err) {
        failure = err instanceof Error ? err : new Error(String(err));
      } finally {
        await iterator.return(undefined).catch(() => undefined);
      }
      if (failure && !stopped && emitter.listenerCount('error') > 0) {
        emitter.emit('error', failure);
        failure = null;
      }
      emitter.emit('end');
      if (failure && !stopped) throw failure; // nobody listens for 'error': `done` rejects instead
    };
    const done = run();
    Object.defineProperty(emitter, 'done', { value: done });
    emitter.stop = async () => {
      stopped = true;
      await source.close(); // unblocks a pending read
      await done.catch(() => undefined); // a failure before stop() is the caller's via `done`
    };
    return emitter;
  }
}
