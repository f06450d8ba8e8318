/**
 * The spotter on a web page, from the main thread: the model is loaded by URL and run in a
 * worker (worker.ts); the microphone comes from getUserMedia through an AudioWorklet at the
 * device's rate (capture.worklet.ts), whose chunks go to the worker without passing through this
 * thread. Files (WAV/FLAC bytes) are decoded and spotted in the worker too.
 *
 *   const kws = await WebSpotter.load('models/default/', { onKeyword: (e) => console.log(e.keyword, e.end) });
 *   await kws.listen();
 */
import type { KeywordEvent } from '../src/pipeline/events';
import type { FromWorker, ToWorker } from './protocol';

export type { KeywordEvent };

export interface WebSpotterHandlers {
  /** Each event as it happens; `source` is 'microphone' or the file's name. */
  onKeyword?: (event: KeywordEvent, source: string) => void;
  /** Smoothed posteriors of `frames` frames from frame `first` on, one value per keyword each. */
  onSmoothed?: (values: Float32Array, first: number, frames: number, source: string) => void;
  /** Seconds of microphone audio processed so far. */
  onClock?: (seconds: number) => void;
  onWarning?: (message: string) => void;
  /** A failure of the live stream (a file's failure rejects detect() instead). */
  onError?: (message: string) => void;
}

export class WebSpotter {
  private audio: { context: AudioContext; stream: MediaStream } | null = null;
  private stopped: (() => void) | null = null;
  private readonly files = new Map<number, { resolve: (e: KeywordEvent[]) => void; reject: (e: Error) => void }>();
  private nextFile = 1;

  private constructor(
    private readonly worker: Worker,
    private readonly assets: URL,
    readonly name: string,
    readonly keywords: readonly string[],
    readonly thresholds: Readonly<Record<string, number>>,
    private readonly handlers: WebSpotterHandlers,
  ) {
    worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
  }

  /**
   * Starts the worker and loads the model directory at `modelUrl` (kws.json + runtime weights),
   * relative to the page. `assets` is where worker.js and capture.worklet.js are (default: beside this script).
   */
  static async load(modelUrl: string, handlers: WebSpotterHandlers = {}, assets = new URL('./', import.meta.url)): Promise<WebSpotter> {
    const worker = new Worker(new URL('worker.js', assets), { type: 'module' });
    const ready = await new Promise<FromWorker & { type: 'ready' }>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<FromWorker>) => {
        if (e.data.type === 'ready') resolve(e.data);
        else if (e.data.type === 'error') reject(new Error(e.data.message));
      };
      worker.onerror = (e) => reject(new Error(e.message || 'the spotter worker failed to start'));
      send(worker, { type: 'load', model: new URL(modelUrl, location.href).href });
    }).catch((err) => {
      worker.terminate();
      throw err;
    });
    return new WebSpotter(worker, assets, ready.name, ready.keywords, ready.thresholds, handlers);
  }

  get listening(): boolean {
    return this.audio !== null;
  }

  /** Opens the microphone and spots its audio until stop(); resolves with the device's sample rate. */
  async listen(constraints: MediaTrackConstraints = {}): Promise<number> {
    if (this.audio) return this.audio.context.sampleRate;
    // the device's own rate: the browser does not resample; the spotter's resampler does
    const context = new AudioContext();
    try {
      await context.audioWorklet.addModule(new URL('capture.worklet.js', this.assets));
      const node = new AudioWorkletNode(context, 'kws-capture', { numberOfOutputs: 0 });
      await context.resume();
      // everything is ready before the microphone opens: audio it delivers before connect() is lost
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, ...constraints },
      });
      const channel = new MessageChannel();
      node.port.postMessage(channel.port1, [channel.port1]);
      send(this.worker, { type: 'listen', sampleRate: context.sampleRate, port: channel.port2 }, [channel.port2]);
      context.createMediaStreamSource(stream).connect(node);
      this.audio = { context, stream };
      return context.sampleRate;
    } catch (err) {
      await context.close();
      throw err;
    }
  }

  /** Closes the microphone; resolves once the worker has spotted the last audio. */
  async stop(): Promise<void> {
    const audio = this.audio;
    if (!audio) return;
    this.audio = null;
    audio.stream.getTracks().forEach((t) => t.stop());
    await audio.context.close();
    await new Promise<void>((resolve) => {
      this.stopped = resolve;
      send(this.worker, { type: 'stop' });
    });
  }

  /** The events of a whole WAV or FLAC file (also reported to onKeyword as they are found). */
  async detect(file: Blob, name = (file as File).name ?? 'file'): Promise<KeywordEvent[]> {
    const bytes = await file.arrayBuffer();
    const id = this.nextFile++;
    return new Promise((resolve, reject) => {
      this.files.set(id, { resolve, reject });
      send(this.worker, { type: 'file', id, name, bytes }, [bytes]);
    });
  }

  /** Stops listening and ends the worker. */
  async close(): Promise<void> {
    await this.stop();
    this.worker.terminate();
  }

  private receive(m: FromWorker): void {
    const h = this.handlers;
    if (m.type === 'keyword') h.onKeyword?.(m.event, m.source);
    else if (m.type === 'smoothed') h.onSmoothed?.(m.values, m.first, m.frames, m.source);
    else if (m.type === 'clock') h.onClock?.(m.seconds);
    else if (m.type === 'warning') h.onWarning?.(m.message);
    else if (m.type === 'stopped') {
      this.stopped?.();
      this.stopped = null;
    } else if (m.type === 'fileDone') {
      this.files.get(m.id)?.resolve(m.events);
      this.files.delete(m.id);
    } else if (m.type === 'error') {
      const file = m.id === undefined ? undefined : this.files.get(m.id);
      if (file) {
        file.reject(new Error(m.message));
        this.files.delete(m.id!);
      } else h.onError?.(m.message);
    }
  }
}

function send(worker: Worker, message: ToWorker, transfer: Transferable[] = []): void {
  worker.postMessage(message, transfer);
}
