/**
 * KeywordSpotter — the public API: audio in, keyword events out. KeywordSpotterCore (core.ts)
 * does the work and runs in a browser too; this adds what needs Node: loading a model directory
 * from disk (load) and the EventEmitter form of a running detection (listen).
 */
import { EventEmitter } from 'events';
import * as path from 'path';
import { AudioSource } from '../audio/source';
import { KeywordEvent } from './events';
import { loadModelConfig } from '../model/kwsJson';
import { modelClassifier } from '../model/classifierFile';
import { PACKAGE_ROOT } from '../packageRoot';
import { KeywordSpotterCore, SpotterOptions } from './core';

export type { SpotterOptions } from './core';
export { SpotterStream, type FrameClassifier, type SmoothedListener } from './stream';

/** The shipped model, relative to the package root. */
export const DEFAULT_MODEL_DIR = path.join(PACKAGE_ROOT, 'models', 'default');

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

export class KeywordSpotter extends KeywordSpotterCore {
  /** Loads a model directory from disk (kws.json + runtime weights, any architecture; no tfjs). */
  static async load(modelDir: string = DEFAULT_MODEL_DIR, options: SpotterOptions = {}): Promise<KeywordSpotter> {
    const config = loadModelConfig(modelDir);
    return new KeywordSpotter(config, modelClassifier(modelDir, config).create, options);
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
