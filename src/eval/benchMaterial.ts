/**
 * Which material the wake-word benchmark's background stream may use: only negatives the model
 * never trained on, so the false-alarm figure predicts real use.
 *   - speech: the `--speech` recordings of the test-split speakers (dataset.ts splits those folders
 *     by speaker); the corpora's own `_background_noise_/speech*.wav` are left out — kws synth
 *     reads them with training voices, and they are in every split;
 *   - clips: the test split's `_unknown_` clips (of `--negatives`: voices kept out of training);
 *   - noise bed: the `--noise` recordings when given (real noise; noise is not split), else the
 *     corpora's `_background_noise_` noise (synthesized noise when there is none).
 * A `--speech` or `--noise` folder that gives nothing here is a DatasetError naming it.
 * With the validation split (kws eval --wakeword --split validation) each folder gives its
 * validation part instead: held out from training too, and disjoint from the test material.
 */
import * as path from 'path';
import { DatasetError } from '../errors';
import {
  BACKGROUND_SPEECH_TESTING_PERCENT,
  BACKGROUND_SPEECH_VALIDATION_PERCENT,
  HeldOutSplit,
  speakerOfFile,
  UNKNOWN_LABEL,
} from '../data/dataset';
import { TrainingData } from '../data/clips';
import { LabelledClip } from '../data/sequence';
import { MaterialKind, MaterialPool, PoolAudio, secondsOf } from './streamMaterial';
import { isFiller } from './detectionStream';

export interface MaterialFolders {
  dataDir: string;
  negatives: readonly string[];
  speech: readonly string[];
  noise: readonly string[];
}

export interface BenchMaterial {
  noise: Float32Array[];
  speech: Float32Array[];
  /** The file of each `speech` recording. */
  speechFiles: string[];
  pools: (MaterialPool & PoolAudio)[];
  /** Speech recordings of the corpora left out (training voices). */
  leftOut: number;
}

/** `file` lies inside folder `dir`. */
function inside(file: string, dir: string): boolean {
  if (file === '') return false; // made up here (synthesized noise)
  const rel = path.relative(path.resolve(dir), file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The audio of `audio` whose file lies in one of `dirs`; each dir must give some, else a DatasetError naming it. */
function fromFolders(audio: readonly Float32Array[], files: readonly string[], dirs: readonly string[], why: string) {
  const chosen = audio.map((x, i) => ({ x, file: files[i] })).filter(({ file }) => dirs.some((d) => inside(file, d)));
  for (const d of dirs) {
    const mine = chosen.filter(({ file }) => inside(file, d));
    if (secondsOf(mine.map((m) => m.x)) === 0) throw new DatasetError(`${d}: ${why}`);
  }
  return chosen;
}

/** The stream's noise bed, held-out speech and the pools they and the test clips make (see the file comment). */
export function benchMaterial(
  data: TrainingData,
  clips: readonly LabelledClip[],
  f: MaterialFolders,
  split: HeldOutSplit = 'test',
): BenchMaterial {
  const speechFiles = data.files.speech[split];
  const percent = split === 'test' ? BACKGROUND_SPEECH_TESTING_PERCENT : BACKGROUND_SPEECH_VALIDATION_PERCENT;
  const speech = fromFolders(
    data.speech[split],
    speechFiles,
    f.speech,
    `none of its speakers is held out for the ${split} split (${percent} % of the speakers are, chosen by a hash of the name; the wake-word benchmark uses only those) — give a folder with more speakers`,
  );
  const realNoise = fromFolders(data.noise, data.files.noise, f.noise, 'its noise recordings hold no audio');
  const noise = f.noise.length > 0 ? realNoise.map((n) => n.x) : data.noise;
  const unknown = clips.filter((c) => c.word && data.labels[c.label] === UNKNOWN_LABEL);
  const ofNegatives = (c: LabelledClip) => c.path !== undefined && f.negatives.some((d) => inside(c.path!, d));
  const speakers = new Set(speech.map((s) => speakerOfFile(s.file))).size;
  const synthesizedNoise = data.files.noise.every((file) => file === '');
  const pool = (kind: MaterialKind, what: string, role: MaterialPool['role'], folders: readonly string[], audio: Float32Array[]) => ({
    kind,
    what,
    role,
    folders: folders.map((d) => path.resolve(d)),
    items: audio.length,
    sec: secondsOf(audio),
    audio,
  });
  const pools = [
    pool(
      'realSpeech',
      `real speech of ${speakers} held-out speaker(s) (--speech, ${split} split)`,
      'speech',
      f.speech,
      speech.map((s) => s.x),
    ),
    pool(
      'negatives',
      `negatives' ${split}-split clips (kws synth: voices kept out of training)`,
      'speech',
      f.negatives,
      unknown.filter(ofNegatives).map((c) => c.samples),
    ),
    pool(
      'otherClips',
      `non-wake-word ${split} clips of the data folder`,
      'speech',
      [f.dataDir],
      unknown.filter((c) => !ofNegatives(c)).map((c) => c.samples),
    ),
    f.noise.length > 0
      ? pool('realNoise', 'real noise (--noise)', 'noise', f.noise, noise)
      : pool(
          'corpusNoise',
          synthesizedNoise ? 'synthesized white/pink/brown noise (no noise recordings)' : "the corpora's _background_noise_ noise",
          'noise',
          synthesizedNoise ? [] : [f.dataDir, ...f.negatives],
          noise,
        ),
    // not negatives, but in the ledger too, so that every second of the stream is accounted for
    pool(
      'wakeWords',
      `wake-word ${split} clips`,
      'wakeWords',
      [f.dataDir],
      clips.filter((c) => c.word && !isFiller(data.labels[c.label])).map((c) => c.samples),
    ),
  ];
  return {
    noise,
    speech: speech.map((s) => s.x),
    speechFiles: speech.map((s) => s.file),
    pools: pools.filter((p) => p.items > 0 || p.kind === 'realSpeech'),
    leftOut: speechFiles.length - speech.length,
  };
}
