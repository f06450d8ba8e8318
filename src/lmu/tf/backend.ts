/**
 * Picks the tfjs backend for training and batch evaluation (never the per-frame path):
 * @tensorflow/tfjs-node when it is installed and loads (native TensorFlow), else
 * @tensorflow/tfjs-backend-wasm, else the pure-JS cpu backend. Says which on stderr, once.
 */
import * as tfjs from '@tensorflow/tfjs';
import { useFastTransposedMatMul } from './wasmMatMul';

export type TfBackendName = 'node' | 'wasm' | 'cpu';
export type Tf = typeof tfjs;

let announced = false;

/** Loads tfjs with the best available backend (or `prefer` when it is available). */
export async function initTf(prefer?: TfBackendName, options: { quiet?: boolean } = {}): Promise<{ tf: Tf; backend: string }> {
  const order: TfBackendName[] = prefer
    ? [prefer, ...(['node', 'wasm', 'cpu'] as const).filter((b) => b !== prefer)]
    : ['node', 'wasm', 'cpu'];
  const tried: string[] = [];
  for (const name of order) {
    try {
      const result = await load(name);
      if (!options.quiet && !announced) {
        announced = true;
        const note = tried.length ? ` (unavailable: ${tried.join('; ')})` : '';
        process.stderr.write(`tfjs backend: ${result.backend}${note}\n`);
      }
      return result;
    } catch (err) {
      tried.push(`${name}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`no tfjs backend could be initialised: ${tried.join('; ')}`);
}

async function load(name: TfBackendName): Promise<{ tf: Tf; backend: string }> {
  if (name === 'node') {
    // Optional dependency, absent from the type-checked tree: require() throws here when it is not
    // installed or its native binary fails to load, and that is the signal to fall back.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tf = require('@tensorflow/tfjs-node') as Tf;
    await tf.setBackend('tensorflow');
    await tf.ready();
    return { tf, backend: 'tensorflow' };
  }
  const tf = tfjs;
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm'); // registers the backend
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
  if (name === 'wasm') useFastTransposedMatMul();
  return { tf, backend: tf.getBackend() };
}
