/**
 * The negative material `kws mine` may run a model over: TRAINING material only, so that what
 * it mines never teaches the model the voices its false alarms are measured on —
 *   - `--speech` folders: the recordings of the training speakers (backgroundSpeechSplit);
 *   - `--negatives` folders: their train split's word clips (all `_unknown_`) and their
 *     `_background_noise_` (speech*.wav files are speech, the rest noise; as kws train reads them);
 *   - `--noise` folders: noise recordings (no speakers to split).
 * Decoded once; clips get a word span (findWord), as the detection stream needs.
 */
import { mapLimit } from '../arrays';
import { DatasetError } from '../errors';
import { WarningSink } from '../audio/warnings';
import { syntheticNoise } from '../data/clips';
import {
  BackgroundFile,
  backgroundFolder,
  emptySplits,
  listBackground,
  Pools,
  readClip,
  readClipRef,
  scanRoot,
  UNKNOWN_LABEL,
} from '../data/dataset';
import { labelClip, LabelledClip } from '../data/sequence';
import * as path from 'path';

export interface MaterialOptions {
  negatives?: string[];
  speech?: string[];
  noise?: string[];
  /** Seeds the synthetic noise used when no folder has any. */
  seed?: number;
  onClip?: (done: number, total: number) => void;
}

export interface MiningMaterial {
  /** `_unknown_` clips of the negatives' train split (label 0 of `labels`). */
  clips: LabelledClip[];
  labels: string[];
  noise: Float32Array[];
  /** Recordings of the training speakers, and the negatives' background speech. */
  speech: Float32Array[];
  /** How many recordings of each kind were found; `syntheticNoise` when none of noise. */
  counts: { unknownClips: number; speechRecordings: number; noiseRecordings: number; syntheticNoise: boolean };
  warnings: string[];
}

const READ_CONCURRENCY = 16;

export async function loadMiningMaterial(o: MaterialOptions): Promise<MiningMaterial> {
  const negatives = (o.negatives ?? []).map((r) => path.resolve(r));
  const warnings: string[] = [];
  const pools: Pools = { keyword: emptySplits(), unknown: emptySplits(), silence: emptySplits() };
  for (const r of negatives) scanRoot(r, [], true, {}, pools, warnings, ` (in ${r})`);
  const background: BackgroundFile[] = [
    ...negatives.flatMap(listBackground),
    ...backgroundFolder(o.noise, 'noise'),
    ...backgroundFolder(o.speech, 'speech'),
  ].filter((b) => (b.split ?? 'train') === 'train');
  const onWarning: WarningSink = (message) => warnings.push(message);
  const refs = pools.unknown.train;
  let done = 0;
  const clips = await mapLimit(refs, READ_CONCURRENCY, async (ref) => {
    const clip = labelClip(await readClipRef(ref, 1, onWarning), 0, false);
    o.onClip?.(++done, refs.length);
    return clip;
  });
  const read = (kind: BackgroundFile['kind']) =>
    Promise.all(background.filter((b) => b.kind === kind).map((b) => readClip(b.path, onWarning)));
  const speech = await read('speech');
  const noise = await read('noise');
  const spoken = clips.filter((c) => c.word);
  if (spoken.length === 0 && speech.length === 0) {
    throw new DatasetError(
      `no training material to mine in ${[...negatives, ...(o.speech ?? [])].join(', ')}: no train-split ${UNKNOWN_LABEL} clips with speech and no training speakers' recordings`,
    );
  }
  const counts = {
    unknownClips: spoken.length,
    speechRecordings: speech.length,
    noiseRecordings: noise.length,
    syntheticNoise: noise.length === 0,
  };
  return {
    clips: spoken,
    labels: [UNKNOWN_LABEL],
    noise: noise.length > 0 ? noise : syntheticNoise(o.seed ?? 0),
    speech,
    counts,
    warnings,
  };
}
