/**
 * Posterior smoother: turns the classifier's per-frame posteriors into keyword events
 * (Chen, Parada & Heigold, "Small-footprint keyword spotting using deep neural networks", 2014).
 *
 * For keyword i with raw posterior p_i at frame j (all windows in frames, clipped at the stream start):
 *
 *   p′_ij          = (1 / w_smooth) · Σ_{k = j − w_smooth + 1 … j} p_ik          (moving average)
 *   confidence_ij  = max_{k = j − w_max + 1 … j} p′_ik                            (single-keyword case
 *                    of Chen's (Π_i max p′)^{1/(n−1)}: with one keyword per event, n − 1 = 1)
 *
 * Before w_smooth frames have been seen, the average is over the frames seen so far.
 *
 * An event for keyword i fires at frame j when all of these hold:
 *   1. p′_ij ≥ θ_i (its threshold) for `minFrames` consecutive frames ending at j (at least 1);
 *   2. keyword i is armed: after its previous event, p′_i fell below the onset level ρ·θ_i
 *      (ρ = onsetRatio), so one long utterance never fires twice;
 *   3. no event of any keyword in the last `refractoryFrames` frames (one utterance, one event,
 *      even when two keywords' posteriors rise together; the TFLM recognizer does the same);
 *   4. the stream is past its warm-up: at least `warmupFrames` frames came before j since the
 *      start (or reset).
 * The posteriors of the warm-up frames count as 0 in the moving average. The classifier's first
 * frames after a reset are the least trustworthy (training puts no target on them), and with the
 * average over "the frames seen so far" one stray posterior there would be the whole average;
 * counted as 0 they can only damp the first averages after the warm-up, never fire.
 * If several keywords qualify at the same frame, the one with the highest p′ wins.
 *
 * Event times (seconds; frame n covers samples [n·hop, n·hop + windowSize)):
 *   end   = end of frame j, the last audio the decision used: (j·hop + windowSize) / sampleRate;
 *   start = start of frame r, the first frame of the current run in which p′_i ≥ ρ·θ_i:
 *           r·hop / sampleRate. Both are exact frame boundaries, so accurate to one hop.
 *   confidence = confidence_ij at the firing frame.
 *
 * Per frame the smoother allocates nothing: ring buffers of raw posteriors (w_smooth × K) and of
 * smoothed posteriors (w_max × K), running sums in float64 recomputed exactly once per w_smooth
 * frames (no drift on hours-long streams). Non-finite posteriors count as 0.
 */
import { ConfigError } from '../errors';
import { resolveSmootherConfig, SmootherConfig } from '../model/smootherConfig';
import { KeywordEvent } from './events';

/** Where frame n lies in the audio: frame n covers samples [n·hop, n·hop + windowSize). */
export interface FrameTiming {
  sampleRate: number;
  hop: number;
  windowSize: number;
}

export class PosteriorSmoother {
  readonly keywords: readonly string[];
  private readonly w: number;
  private readonly wMax: number;
  private readonly minFrames: number;
  private readonly refractory: number;
  private readonly labelIndex: Int32Array;
  private readonly threshold: Float64Array;
  private readonly onset: Float64Array;
  private readonly raw: Float32Array; // ring, w × K
  private readonly smooth: Float32Array; // ring, wMax × K
  private readonly sums: Float64Array;
  private readonly aboveCount: Int32Array;
  private readonly runStart: Float64Array; // frame index where p′ rose above onset, −1 if below
  private readonly armed: Uint8Array;
  private readonly warmup: number;
  private seen = 0;
  private lastEventFrame = -Infinity;

  /**
   * @param config   smoother settings (thresholds for every keyword)
   * @param labels   the classifier's output order
   * @param keywords the labels that produce events
   */
  constructor(
    config: SmootherConfig,
    labels: readonly string[],
    keywords: readonly string[],
    private readonly timing: FrameTiming,
  ) {
    for (const kw of keywords) {
      if (!labels.includes(kw)) throw new ConfigError(`keyword "${kw}" is not one of the labels ${labels.join(', ')}`);
    }
    const c = resolveSmootherConfig(config, keywords);
    this.warmup = c.warmupFrames;
    this.keywords = [...keywords];
    const K = keywords.length;
    this.w = c.smoothFrames;
    this.wMax = c.maxFrames;
    this.minFrames = Math.max(1, c.minFrames);
    this.refractory = c.refractoryFrames;
    this.labelIndex = new Int32Array(K);
    this.threshold = new Float64Array(K);
    this.onset = new Float64Array(K);
    keywords.forEach((kw, i) => {
      this.labelIndex[i] = labels.indexOf(kw);
      this.threshold[i] = c.thresholds[kw];
      this.onset[i] = c.onsetRatio * c.thresholds[kw];
    });
    this.raw = new Float32Array(this.w * K);
    this.smooth = new Float32Array(this.wMax * K);
    this.sums = new Float64Array(K);
    this.aboveCount = new Int32Array(K);
    this.runStart = new Float64Array(K);
    this.armed = new Uint8Array(K);
    this.reset();
  }

  /** Forgets all history, as at the start of a new stream. */
  reset(): void {
    this.raw.fill(0);
    this.smooth.fill(0);
    this.sums.fill(0);
    this.aboveCount.fill(0);
    this.runStart.fill(-1);
    this.armed.fill(1);
    this.seen = 0;
    this.lastEventFrame = -Infinity;
  }

  /**
   * Feeds the posteriors of frame `frameIndex` (frames must be pushed in order, one per index).
   * Returns the event that fires at this frame, or null.
   */
  push(posteriors: ArrayLike<number>, frameIndex: number): KeywordEvent | null {
    const K = this.keywords.length;
    const slot = this.seen % this.w;
    const n = Math.min(this.seen + 1, this.w);
    const recompute = slot === this.w - 1;
    const mslot = this.seen % this.wMax;
    let best = -1;
    let bestP = -1;
    for (let i = 0; i < K; i++) {
      const v = posteriors[this.labelIndex[i]];
      const p = Number.isFinite(v) && this.seen >= this.warmup ? v : 0;
      const at = slot * K + i;
      this.sums[i] += p - this.raw[at];
      this.raw[at] = p;
      if (recompute) {
        let s = 0;
        for (let k = 0; k < this.w; k++) s += this.raw[k * K + i];
        this.sums[i] = s;
      }
      const smoothed = this.sums[i] / n;
      this.smooth[mslot * K + i] = smoothed;

      if (smoothed >= this.onset[i]) {
        if (this.runStart[i] < 0) this.runStart[i] = frameIndex;
      } else {
        this.runStart[i] = -1;
        this.armed[i] = 1;
      }
      this.aboveCount[i] = smoothed >= this.threshold[i] ? this.aboveCount[i] + 1 : 0;
      if (this.aboveCount[i] >= this.minFrames && this.armed[i] && smoothed > bestP) {
        best = i;
        bestP = smoothed;
      }
    }
    this.seen++;
    if (best < 0 || this.seen <= this.warmup || frameIndex - this.lastEventFrame < this.refractory) return null;

    this.lastEventFrame = frameIndex;
    // Every keyword that is rising now belongs to this utterance: it re-arms only once it falls.
    for (let i = 0; i < K; i++) if (this.runStart[i] >= 0) this.armed[i] = 0;
    const { sampleRate, hop, windowSize } = this.timing;
    return {
      keyword: this.keywords[best],
      start: (this.runStart[best] * hop) / sampleRate,
      end: (frameIndex * hop + windowSize) / sampleRate,
      confidence: this.confidence(best),
    };
  }

  /** p′ of keyword i (its index in `keywords`) at the last frame pushed; 0 before the first. */
  smoothed(i: number): number {
    return this.seen === 0 ? 0 : this.smooth[((this.seen - 1) % this.wMax) * this.keywords.length + i];
  }

  /** Writes p′ of the last frame pushed (zeros before any), one per keyword in `keywords` order, into `out`; returns it. */
  smoothedInto(out: Float32Array): Float32Array {
    for (let i = 0; i < this.keywords.length; i++) out[i] = this.smoothed(i);
    return out;
  }

  /** confidence_i = max of p′_i over the last maxFrames frames (those seen so far). */
  private confidence(i: number): number {
    const K = this.keywords.length;
    const n = Math.min(this.seen, this.wMax);
    let m = 0;
    for (let k = 0; k < n; k++) m = Math.max(m, this.smooth[k * K + i]);
    return m;
  }
}
