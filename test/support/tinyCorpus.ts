/** The tiny synthesized corpus the training tests train on: yes and no, 20 % of the voices each for validation and test. */
import { synthesize } from '../../src/synth/synthesize';

/** `perWord` clips of each keyword and as many `_unknown_`, half as many `_silence_`, in `outDir`. */
export async function tinyCorpus(outDir: string, perWord: number): Promise<void> {
  await synthesize({
    keywords: ['yes', 'no'],
    outDir,
    perWord,
    unknownCount: perWord,
    silenceCount: perWord / 2,
    seed: 3,
    backgroundSec: 5,
    jobs: 2,
    validationPercent: 20,
    testingPercent: 20,
  });
}
