/**
 * The state of one audio stream through the spotter's stages:
 *
 *   samples ─► MfccExtractor ─► (x − mean)/std ─► classifier.step (LMU or rival) ─► PosteriorSmoother ─► KeywordEvent
 *
 * Pure TypeScript with no Node module: KeywordSpotter (Node) and the browser build run exactly
 * this. The per-frame path allocates nothing (events, which are rare, are the only new objects).
 */
import { MfccExtractor } from '../features/mfcc';
import { makeNormalizer, Normalizer } from '../features/normalize';
import type { KwsModelConfig } from '../model/kwsConfig';
import { KeywordEvent } from './events';
import { PosteriorSmoother } from './smoother';

/** What the spotter needs from a classifier: one step per frame, posteriors in label order. */
export interface FrameClassifier {
  /** Posteriors for this frame; may be a buffer the classifier reuses on the next step. */
  step(frame: Float32Array): Float32Array;
  reset(): void;
}

/**
 * Called after each frame with the smoothed posteriors of the model's keywords (in `keywords`
 * order) — a buffer the stream reuses, to read or copy at once (a live plot).
 */
export type SmoothedListener = (smoothed: Float32Array, frameIndex: number) => void;

/** The state of one audio stream: feed samples, get events. Not shared between streams. */
export class SpotterStream {
  private readonly extractor: MfccExtractor;
  private readonly normalize: Normalizer;
  private readonly normalized: Float32Array;
  private readonly classifier: FrameClassifier;
  private readonly smoother: PosteriorSmoother;
  private readonly smoothed: Float32Array;
  private pending: KeywordEvent[] = [];
  private readonly onFrame = (frame: Float32Array, index: number): void => {
    const posteriors = this.classifier.step(this.normalize(frame, this.normalized));
    const event = this.smoother.push(posteriors, index);
    if (event) this.pending.push(event);
    if (this.onSmoothed) this.onSmoothed(this.smoother.smoothedInto(this.smoothed), index);
  };

  constructor(
    config: KwsModelConfig,
    classifier: FrameClassifier,
    private readonly onSmoothed?: SmoothedListener,
  ) {
    this.extractor = new MfccExtractor(config.features);
    const n = this.extractor.config.coefficients;
    this.normalize = makeNormalizer(config.normalization, n);
    this.normalized = new Float32Array(n);
    this.classifier = classifier;
    this.smoother = new PosteriorSmoother(config.smoother, config.labels, config.keywords, this.extractor.config);
    this.smoothed = new Float32Array(config.keywords.length);
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
