/** The messages between the page (webSpotter.ts), the spotter's worker (worker.ts) and the capture worklet. */
import type { KeywordEvent } from '../src/pipeline/events';

export type ToWorker =
  /** Load the model directory at this absolute URL. */
  | { type: 'load'; model: string }
  /** Audio at `sampleRate` Hz arrives on `port` as Float32Array chunks (the capture worklet's). */
  | { type: 'listen'; sampleRate: number; port: MessagePort }
  /** End the live stream: the tail is flushed, its events sent, then 'stopped'. */
  | { type: 'stop' }
  /** A whole WAV/FLAC file's bytes. */
  | { type: 'file'; id: number; name: string; bytes: ArrayBuffer };

export type FromWorker =
  | { type: 'ready'; name: string; keywords: string[]; thresholds: Record<string, number> }
  | { type: 'keyword'; source: string; event: KeywordEvent }
  /** Smoothed posteriors of `frames` frames from `first` on, frame after frame, one value per keyword. */
  | { type: 'smoothed'; source: string; first: number; frames: number; values: Float32Array }
  /** Seconds of audio the live stream has processed. */
  | { type: 'clock'; seconds: number }
  | { type: 'stopped' }
  | { type: 'fileDone'; id: number; events: KeywordEvent[] }
  | { type: 'warning'; message: string }
  | { type: 'error'; id?: number; message: string };
