/**
 * Streaming MFCC front end: samples in, one frame of `coefficients` MFCCs per `hop` samples out.
 *
 * Framing: frame n covers samples [n·hop, n·hop + windowSize), counted with integers from the
 * first sample pushed, so frame timing never drifts however long the stream runs. The window is
 * zero-padded to fftSize and turned into MFCCs exactly as meyda 5.6.3's
 * `Meyda.extract('mfcc', buffer)` defines them (see meydaTables.ts for the equations and quirks),
 * but with everything meyda recomputes per call (window, mel bank, DCT) built once and a real FFT
 * from fft.js. The per-frame path allocates nothing.
 *
 * Chunk invariance: frames depend only on sample values and their absolute positions, never on
 * how the samples were split across push() calls.
 *
 * End of stream: flush() emits at most one more frame, zero-padded, and only if the last samples
 * are not yet inside any frame (a clip shorter than one window still gives one frame). It then
 * resets, so the extractor can be reused for the next stream.
 *
 * Mel compression: meyda's log(E + 1) by default; with `compression: 'pcen'` the band energies go
 * through PCEN (pcen.ts) instead, the rest unchanged, and frames then depend on the whole stream
 * since the last reset.
 *
 * Non-finite input is the source's job to sanitise: a NaN sample poisons only the ≤ ⌈windowSize/hop⌉
 * frames that contain it (PCEN's smoothed energy restarts from such a frame, see pcen.ts).
 */
import FFT from 'fft.js';
import { FeatureConfig, resolveFeatureConfig } from './config';
import { SparseFilterBank, meydaDctTable, meydaHann, meydaMelFilterBank } from './meydaTables';
import { BandCompressor, bandCompressor } from './pcen';

/**
 * Receives each frame as it is completed. `frame` is the extractor's own buffer, overwritten by
 * the next frame: read or copy it inside the callback, do not keep it. `index` is n, the frame's
 * number since the stream began; the frame starts at sample n·hop.
 */
export type FrameCallback = (frame: Float32Array, index: number) => void;

export class MfccExtractor {
  readonly config: Readonly<FeatureConfig>;
  private readonly window: Float64Array;
  private readonly fft: FFT;
  private readonly fftIn: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly power: Float64Array;
  private readonly mel: SparseFilterBank;
  private readonly bands: Float64Array;
  private readonly compressor: BandCompressor;
  private readonly dct: Float64Array;
  /** The last windowSize samples; the newest sample was written just before writePos. */
  private readonly ring: Float32Array;
  private readonly frame: Float32Array;
  private writePos = 0;
  private seen = 0;
  private nextStart = 0;
  private emitted = 0;

  /** @throws ConfigError for an impossible configuration (see resolveFeatureConfig). */
  constructor(config: Partial<FeatureConfig> = {}) {
    const c = (this.config = Object.freeze(resolveFeatureConfig(config)));
    // sampleScale folded into the window: Meyda.extract on (samples × sampleScale), no extra pass
    this.window = meydaHann(c.fftSize)
      .subarray(0, c.windowSize)
      .map((w) => w * c.sampleScale);
    this.fft = new FFT(c.fftSize);
    this.fftIn = new Float64Array(c.fftSize);
    this.spectrum = new Float64Array(2 * c.fftSize);
    this.power = new Float64Array(c.fftSize / 2);
    this.mel = meydaMelFilterBank(c.melBands, c.sampleRate, c.fftSize);
    this.bands = new Float64Array(c.melBands);
    this.compressor = bandCompressor(c);
    this.dct = meydaDctTable(c.melBands, c.coefficients);
    this.ring = new Float32Array(c.windowSize);
    this.frame = new Float32Array(c.coefficients);
  }

  /** Samples pushed since the stream began (or since the last flush/reset). */
  get samplesSeen(): number {
    return this.seen;
  }

  /** Frames emitted since the stream began; the next frame gets this index. */
  get frameCount(): number {
    return this.emitted;
  }

  /** Pushes samples; returns the frames they completed, each a fresh array the caller owns. */
  push(samples: Float32Array): Float32Array[] {
    const frames: Float32Array[] = [];
    this.pushInto(samples, (f) => frames.push(f.slice()));
    return frames;
  }

  /** Ends the stream: returns the zero-padded tail frame if any (see file comment), then resets. */
  flush(): Float32Array[] {
    const frames: Float32Array[] = [];
    this.flushInto((f) => frames.push(f.slice()));
    return frames;
  }

  /** Zero-allocation form of push(): calls onFrame with a reused buffer per completed frame. */
  pushInto(samples: Float32Array, onFrame: FrameCallback): number {
    const { windowSize } = this.config;
    const ring = this.ring;
    let frames = 0;
    for (let i = 0; i < samples.length; i++) {
      ring[this.writePos] = samples[i];
      if (++this.writePos === windowSize) this.writePos = 0;
      if (++this.seen === this.nextStart + windowSize) {
        this.emit(windowSize, onFrame);
        frames++;
      }
    }
    return frames;
  }

  /** Zero-allocation form of flush(). */
  flushInto(onFrame: FrameCallback): number {
    const { windowSize, hop } = this.config;
    const covered = this.emitted > 0 ? this.nextStart - hop + windowSize : 0;
    let frames = 0;
    if (this.seen > covered && this.seen > this.nextStart) {
      this.emit(this.seen - this.nextStart, onFrame);
      frames = 1;
    }
    this.reset();
    return frames;
  }

  /** Forgets all samples and restarts frame numbering at 0. */
  reset(): void {
    this.ring.fill(0);
    this.writePos = 0;
    this.seen = 0;
    this.nextStart = 0;
    this.emitted = 0;
    this.compressor.reset();
  }

  /** Computes the frame whose first `count` samples are the newest `count` in the ring (rest zero). */
  private emit(count: number, onFrame: FrameCallback): void {
    this.computeFrame(count);
    const index = this.emitted++;
    this.nextStart += this.config.hop;
    onFrame(this.frame, index);
  }

  private computeFrame(count: number): void {
    const { windowSize, melBands, coefficients } = this.config;
    const { ring, window, fftIn, spectrum, power, bands, dct, frame } = this;

    // Windowed samples, oldest first; fftIn[windowSize …] stays zero (the padding).
    let r = this.writePos - count;
    if (r < 0) r += windowSize;
    for (let i = 0; i < count; i++) {
      fftIn[i] = ring[r] * window[i];
      if (++r === windowSize) r = 0;
    }
    for (let i = count; i < windowSize; i++) fftIn[i] = 0;

    this.fft.realTransform(spectrum, fftIn);
    for (let k = 0; k < power.length; k++) {
      const re = spectrum[2 * k];
      const im = spectrum[2 * k + 1];
      power[k] = re * re + im * im;
    }

    const { start, offset, weights } = this.mel;
    for (let m = 0; m < melBands; m++) {
      let sum = 0;
      for (let w = offset[m], k = start[m]; w < offset[m + 1]; w++, k++) sum += weights[w] * power[k];
      bands[m] = sum;
    }
    this.compressor.apply(bands);

    for (let j = 0, t = 0; j < coefficients; j++) {
      let c = 0;
      for (let m = 0; m < melBands; m++, t++) c += dct[t] * bands[m];
      frame[j] = c;
    }
  }
}
