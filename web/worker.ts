/**
 * The spotter's worker: every MFCC frame and LMU step runs here, off the page's main thread.
 * It is KeywordSpotterCore — the code `kws detect` runs — on two kinds of AudioSource:
 *   - the microphone: device-rate chunks from the capture worklet, mono → the project's
 *     resampler to 16 kHz (MonoTo16k, as every file decoder uses) → detect();
 *   - a dropped file: its bytes → audioFromBytes (the WAV/FLAC decoders of openAudio) → detect().
 */
import { audioFromBytes } from '../src/audio/decode';
import { makeSource, MonoTo16k } from '../src/audio/decodedStream';
import { AudioSource } from '../src/audio/source';
import { mixInterleaved } from '../src/audio/toMono';
import { Warnings } from '../src/audio/warnings';
import { KeywordSpotterCore } from '../src/pipeline/core';
import type { KeywordEvent } from '../src/pipeline/events';
import type { SmoothedListener } from '../src/pipeline/stream';
import type { FromWorker, ToWorker } from './protocol';

/** What this file needs of the worker's global scope (the DOM types describe a window). */
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
};
const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);
const warn = (message: string) => post({ type: 'warning', message });
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Frames of smoothed posteriors sent together (10 ms each): the plot updates ten times a second. */
const PLOT_FRAMES = 10;

let spotter: KeywordSpotterCore | null = null;
let live: { source: AudioSource; done: Promise<void> } | null = null;

/** Collects each frame's smoothed posteriors and posts them PLOT_FRAMES at a time. */
function plotter(source: string, keywords: number): { listener: SmoothedListener; flush: () => void } {
  let values = new Float32Array(PLOT_FRAMES * keywords);
  let first = 0;
  let frames = 0;
  const flush = () => {
    if (frames) post({ type: 'smoothed', source, first, frames, values }, [values.buffer]);
    values = new Float32Array(PLOT_FRAMES * keywords);
    frames = 0;
  };
  const listener: SmoothedListener = (smoothed, index) => {
    if (frames === 0) first = index;
    values.set(smoothed, frames * keywords);
    if (++frames === PLOT_FRAMES) flush();
  };
  return { listener, flush };
}

/**
 * The capture worklet's chunks as a live AudioSource. Nothing is dropped: the worker keeps up with
 * real time many times over, so the queue holds at most a chunk or two.
 */
function portSource(port: MessagePort, sampleRate: number): AudioSource {
  const warnings = new Warnings('microphone', warn);
  const to16k = new MonoTo16k(sampleRate, warnings);
  const queue: Float32Array[] = [];
  let wake: (() => void) | null = null;
  let ended = false;
  let seconds = 0;
  port.onmessage = (e: MessageEvent<Float32Array>) => {
    queue.push(e.data);
    wake?.();
  };
  const end = () => {
    ended = true;
    port.close();
    wake?.();
  };
  async function* chunks(): AsyncGenerator<Float32Array> {
    for (;;) {
      while (queue.length) {
        const chunk = queue.shift()!;
        seconds += chunk.length / sampleRate;
        yield to16k.push(mixInterleaved(chunk, 1));
        post({ type: 'clock', seconds });
      }
      if (ended) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
    yield to16k.flush();
  }
  const source = makeSource('microphone', sampleRate, undefined, warnings, chunks, () => {});
  // close() ends the stream after the chunks already queued: the tail is flushed, as for a file
  return { ...source, [Symbol.asyncIterator]: () => source[Symbol.asyncIterator](), close: async () => end() };
}

async function run(source: AudioSource, onEvent: (e: KeywordEvent) => void): Promise<void> {
  const plot = plotter(source.name, spotter!.keywords.length);
  for await (const event of spotter!.detect(source, plot.listener)) {
    plot.flush();
    onEvent(event);
  }
  plot.flush();
}

scope.onmessage = async (e) => {
  const m = e.data;
  try {
    if (m.type === 'load') {
      spotter = await KeywordSpotterCore.fromUrl(m.model, { onWarning: warn });
      const { name, keywords, smoother } = spotter.config;
      post({ type: 'ready', name, keywords, thresholds: smoother.thresholds });
    } else if (!spotter) {
      throw new Error('no model loaded yet');
    } else if (m.type === 'listen') {
      const source = portSource(m.port, m.sampleRate);
      const done = run(source, (event) => post({ type: 'keyword', source: source.name, event }))
        .catch((err) => post({ type: 'error', message: errorText(err) }))
        .then(() => post({ type: 'stopped' }));
      live = { source, done };
    } else if (m.type === 'stop') {
      const current = live;
      live = null;
      if (current) {
        await current.source.close();
        await current.done;
      } else post({ type: 'stopped' });
    } else if (m.type === 'file') {
      const events: KeywordEvent[] = [];
      try {
        const source = await audioFromBytes(m.name, new Uint8Array(m.bytes), { onWarning: warn });
        await run(source, (event) => {
          events.push(event);
          post({ type: 'keyword', source: m.name, event });
        });
        post({ type: 'fileDone', id: m.id, events });
      } catch (err) {
        post({ type: 'error', id: m.id, message: errorText(err) });
      }
    }
  } catch (err) {
    post({ type: 'error', message: errorText(err) });
  }
};
