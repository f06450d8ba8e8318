/**
 * The default gap (s) between running speech spoken before a training word and the word's start
 * (sequence.ts addSpeechBefore; `kws train --speech-gap`). Its own import-free file so that the
 * CLI's defaults (src/train/defaults.ts) can show it without loading the feature code.
 */
export const SPEECH_GAP_SEC: readonly [number, number] = [0.15, 0.5];
