/**
 * Credits for the real data sets in the shared data folder (dataRoot.ts), for model cards: a
 * model trained on one of them names it, its authors and its licence; a model that used none
 * credits none.
 */
import * as path from 'path';
import { dataRoot } from './dataRoot';

/** Folder in the data root → how its source asks to be credited. */
export const SHARED_DATA_CREDITS: Readonly<Record<string, string>> = {
  speech_commands:
    'Speech Commands v0.02 — P. Warden, "Speech Commands: A Dataset for Limited-Vocabulary Speech Recognition", 2018 (arXiv:1804.03209); CC BY 4.0',
  noise: 'the background-noise recordings of Speech Commands v0.02 (Warden 2018); CC BY 4.0',
  librispeech:
    'LibriSpeech — V. Panayotov, G. Chen, D. Povey, S. Khudanpur, "LibriSpeech: an ASR corpus based on public domain audio books", ICASSP 2015; CC BY 4.0',
  wakewords: 'Picovoice Inc., wake-word-benchmark (its audio/ recordings); Apache License 2.0',
};

/** The credits of the shared data sets among `folders` (each credited once, in this order). */
export function creditsFor(folders: readonly string[], root: string = dataRoot()): string[] {
  const used = new Set<string>();
  for (const f of folders) {
    const rel = path.relative(root, path.resolve(f));
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
    used.add(rel.split(path.sep)[0]);
  }
  return Object.keys(SHARED_DATA_CREDITS)
    .filter((k) => used.has(k))
    .map((k) => SHARED_DATA_CREDITS[k]);
}
