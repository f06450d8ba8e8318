/**
 * One clock for a live session whose source is reopened after failures (kws listen): event
 * times are seconds since the session's first audio, not since the current recorder started.
 *
 * Within a run, time is the run's audio (sample counts, as the spotter measures it), so the
 * first run's times are exactly those of its audio. A later run begins on the session clock at
 * the wall time its first audio arrived (less that chunk's length), so the gap while the
 * microphone was away counts — but never before the previous run's audio ended, so times only
 * move forward even when a recorder delivers faster than real time.
 */
import { AudioSource } from '../audio/source';
import { KeywordEvent } from './events';

export class SessionClock {
  /** Wall time (performance.now) of the session's first sample; null until audio arrived. */
  private originMs: number | null = null;
  private runStart = 0;
  private audioEnd = 0;

  /**
   * The source of the next run, timed on this clock; `onFirstAudio` runs when its first samples
   * arrive (the moment the microphone is known to work).
   */
  track(source: AudioSource, onFirstAudio: () => void = () => {}): AudioSource {
    // the iterator below is a method of the returned object, with its own `this`
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const clock = this;
    return {
      sampleRate: source.sampleRate,
      inputSampleRate: source.inputSampleRate,
      durationSec: source.durationSec,
      name: source.name,
      close: () => source.close(),
      async *[Symbol.asyncIterator]() {
        let samples = 0;
        for await (const chunk of source) {
          if (samples === 0 && chunk.length) {
            const firstSampleMs = performance.now() - (chunk.length / source.sampleRate) * 1000;
            clock.originMs ??= firstSampleMs;
            clock.runStart = Math.max(clock.audioEnd, (firstSampleMs - clock.originMs) / 1000);
            onFirstAudio();
          }
          samples += chunk.length;
          clock.audioEnd = clock.runStart + samples / source.sampleRate;
          yield chunk;
        }
      },
    };
  }

  /** An event of the current run, with its times on the session clock. */
  place(event: KeywordEvent): KeywordEvent {
    return { ...event, start: event.start + this.runStart, end: event.end + this.runStart };
  }
}
