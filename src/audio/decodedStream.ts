import { AudioSource, TARGET_SAMPLE_RATE } from './source';
import { Resampler } from './resample';
import { MonoResult } from './toMono';
import { Warnings } from './warnings';

/**
 * The tail every decoder shares: mono samples at the source rate → sanitation warnings →
 * resampling to 16 kHz → chunks. A decoder only turns bytes into MonoResults.
 */
export class MonoTo16k {
  private readonly resampler: Resampler;
  private warnedNonFinite = false;
  private warnedClipped = false;
  private framesIn = 0;

  constructor(
    readonly inRate: number,
    private readonly warnings: Warnings,
  ) {
    this.resampler = new Resampler(inRate, TARGET_SAMPLE_RATE);
  }

  push(mono: MonoResult): Float32Array {
    if (mono.nonFinite && !this.warnedNonFinite) {
      this.warnedNonFinite = true;
      this.warnings.warn(`NaN/Infinity samples from ${(this.framesIn / this.inRate).toFixed(3)} s replaced with 0`);
    }
    if (mono.clipped && !this.warnedClipped) {
      this.warnedClipped = true;
      this.warnings.warn(`float samples beyond ±1.0 from ${(this.framesIn / this.inRate).toFixed(3)} s clipped`);
    }
    this.framesIn += mono.samples.length;
    return clampUnit(this.resampler.push(mono.samples));
  }

  flush(): Float32Array {
    return clampUnit(this.resampler.flush());
  }
}

/**
 * The sinc resampler rings (Gibbs overshoot, up to ~10 % on full-scale broadband input), which
 * would break the AudioSource promise of samples in [-1, 1]; clamps in place (found by fuzzing).
 */
function clampUnit(x: Float32Array): Float32Array {
  for (let i = 0; i < x.length; i++) {
    if (x[i] > 1) x[i] = 1;
    else if (x[i] < -1) x[i] = -1;
  }
  return x;
}

/** An AudioSource that also lists the warnings raised while reading it. */
export interface WarningAudioSource extends AudioSource {
  readonly warnings: readonly string[];
}

/**
 * Wraps an async generator of 16 kHz chunks as a single-use AudioSource. `release` frees the
 * file/decoder/process; it runs once, whether iteration ends, fails, breaks early or close()
 * is called.
 */
export function makeSource(
  name: string,
  inputSampleRate: number,
  durationSec: number | undefined,
  warnings: Warnings,
  chunks: () => AsyncGenerator<Float32Array>,
  release: () => Promise<void> | void,
): WarningAudioSource {
  let released: Promise<void> | null = null;
  let started = false;
  const close = () => (released ??= Promise.resolve().then(release));
  return {
    sampleRate: TARGET_SAMPLE_RATE,
    inputSampleRate,
    durationSec,
    name,
    warnings: warnings.list,
    close,
    async *[Symbol.asyncIterator]() {
      if (started) throw new Error(`${name}: an audio source can be iterated only once`);
      started = true;
      try {
        for await (const chunk of chunks()) {
          if (released) return;
          if (chunk.length) yield chunk;
          if (released) return; // closed by the consumer while it held this chunk
        }
      } finally {
        await close();
      }
    },
  };
}
