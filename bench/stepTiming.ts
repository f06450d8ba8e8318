/**
 * µs per streaming step of any model's runtime weights (the LMU's or a rival's), measured one way
 * for every table: `npm run bench`'s classifier steps and `npm run rivals`' comparison.
 */
import { Rng } from '../src/data/random';
import { streamingClassifier } from '../src/rivals/classifier';
import { ClassifierWeights } from '../src/rivals/weights';
import { summarize, Summary, timeEach } from './stats';

/** Normalised-looking feature frames (standard normal), reused in a cycle. */
export function randomFrames(n: number, size: number, seed = 7): Float32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: size }, () => rng.normal()));
}

/** `count` steps of a fresh classifier on random frames, after timeEach's warm-up. */
export function stepTiming(w: ClassifierWeights, count: number): Summary {
  const clf = streamingClassifier(w);
  const frames = randomFrames(256, w.inputSize);
  return summarize(timeEach(count, (i) => clf.step(frames[i & 255])));
}
