/**
 * An AudioSource is where samples come from: a file, stdin, a microphone.
 * Every source yields 16 kHz mono Float32 samples in [-1, 1], in chunks of any size;
 * the feature stage downstream is chunk-invariant, so chunk sizes never change results.
 */
export const TARGET_SAMPLE_RATE = 16000;

export interface AudioSource extends AsyncIterable<Float32Array> {
  /** Always TARGET_SAMPLE_RATE: sources resample before yielding. */
  readonly sampleRate: number;
  /** Length in seconds when known up front (files), undefined for live sources. */
  readonly durationSec?: number;
  /**
   * The rate the audio had before resampling (a file's header, stdin's --rate), when known: audio
   * recorded at 8 kHz holds nothing above 4 kHz however it is resampled.
   */
  readonly inputSampleRate?: number;
  /** What to call this source in messages and events: a path, '-' or 'microphone'. */
  readonly name: string;
  /** Stops reading and releases files/processes. Safe to call twice. */
  close(): Promise<void>;
}
