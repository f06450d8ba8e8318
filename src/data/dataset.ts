/**
 * Loader for keyword-spotting data folders in the Speech Commands layout:
 *
 *   ROOT/<word>/<clip>.wav          one folder per word (any folder not chosen as keyword → _unknown_)
 *   ROOT/_unknown_/…, ROOT/_silence_/…   optional ready-made classes (what `kws synth` writes)
 *   ROOT/_background_noise_/*.wav   long noise recordings; files named speech*.wav hold speech
 *   ROOT/validation_list.txt, ROOT/testing_list.txt   optional: paths like `yes/abc_nohash_0.wav`
 *
 * Clips of any length and of any format the audio layer reads (WAV of every variant, FLAC) are
 * listed (e.g. 3 s FLAC wake-word recordings); aligning words inside long clips is training's
 * job. Only `readClip` decodes audio, through the audio layer's openAudio.
 *
 * More folders can join the primary one: `extraData` roots add training clips of the same keywords
 * (e.g. a synthesized corpus beside real recordings; validation and test stay the primary root's),
 * `negatives` roots add only non-keyword material —
 * all their word folders count as `_unknown_`, their `_silence_` and `_background_noise_` are
 * added. Every root's own lists (or hash) decide the split of its clips. `hardNegatives` roots
 * (`kws mine`'s output) add their training-split clips to the train split only, as `_unknown_`
 * clips whose frame weights are multiplied by `hardNegativeWeight`, all of them (no balancing).
 *
 * Splits: with list files, a clip is validation/test when listed there, else train. Without them,
 * `whichSet` assigns each file by a stable hash (see there).
 *
 * Balancing (as the benchmark's input_data.py): in each split, with K keyword clips, add
 * ceil(K·unknownPercent/100) clips drawn at random from the split's non-keyword words (`_unknown_`)
 * and ceil(K·silencePercent/100) `_silence_` clips (from a `_silence_` folder when present, topped up
 * with clipSec cuts from non-speech `_background_noise_` files). With the defaults 10 %/10 % and ten
 * keywords, unknown and silence each get about the share of one keyword.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { openAudio } from '../audio/open';
import { TARGET_SAMPLE_RATE } from '../audio/source';
import { WarningSink } from '../audio/warnings';
import { DatasetError } from '../errors';
import { Rng, rngFor } from './random';
import { readSplitGroups, SplitGroups } from './splitGroups';

export type Split = 'train' | 'validation' | 'test';
export const SPLITS: readonly Split[] = ['train', 'validation', 'test'];
/** The splits a model never trained on. */
export type HeldOutSplit = Exclude<Split, 'train'>;
export const UNKNOWN_LABEL = '_unknown_';
export const SILENCE_LABEL = '_silence_';
export const BACKGROUND_DIR = '_background_noise_';
/** The `folder` of `_unknown_` clips cut from background speech (ClipRef.folder). */
export const SPEECH_UNKNOWN_FOLDER = '_background_speech_';
export const VALIDATION_LIST = 'validation_list.txt';
export const TESTING_LIST = 'testing_list.txt';
/** The `_unknown_` and `_silence_` shares of a split, % of its keyword clips (as Speech Commands' benchmark). */
export const DEFAULT_UNKNOWN_PERCENT = 10;
export const DEFAULT_SILENCE_PERCENT = 10;
/** Without list files: the validation and test shares of the stable hash split (whichSet), %. */
export const DEFAULT_VALIDATION_PERCENT = 10;
export const DEFAULT_TESTING_PERCENT = 10;
/** Multiplier of the frame weights of hard-negative clips (kws train --hard-negative-weight). */
export const DEFAULT_HARD_NEGATIVE_WEIGHT = 2;
export const AUDIO_EXTENSIONS = ['.wav', '.flac', '.ogg', '.opus', '.mp3', '.m4a', '.aiff', '.aif', '.au'];

export interface ClipRef {
  /** Absolute path of the audio file; '' for digital silence. */
  path: string;
  label: string;
  /** Part of the file to use (silence cut from background noise); absent = whole file. */
  segment?: { startSec: number; durationSec: number };
  /** The word folder the clip came from (differs from label for `_unknown_`). */
  folder: string;
  /** Where the word is in the file, when the corpus says so (kws synth's synth_clips.tsv, kws mine's mined_clips.tsv). */
  wordSec?: { startSec: number; endSec: number };
  /** Multiplier of the clip's frame weights in training (hard negatives); absent = 1. */
  weight?: number;
}

/** kws synth's per-clip log: the word's span in each clip, measured on the clean speech. */
export const SYNTH_CLIPS_TSV = 'synth_clips.tsv';
/** kws mine's per-clip log, same columns: where in each mined window the model fired. */
export const MINED_CLIPS_TSV = 'mined_clips.tsv';

/**
 * `rel path → word span` from ROOT/synth_clips.tsv and ROOT/mined_clips.tsv (columns file,
 * word_start_sec, word_end_sec); empty when the files or the columns are absent (real recordings, older corpora).
 */
export function readWordSpans(root: string): Map<string, { startSec: number; endSec: number }> {
  const spans = new Map<string, { startSec: number; endSec: number }>();
  for (const name of [SYNTH_CLIPS_TSV, MINED_CLIPS_TSV])
    for (const row of readClipLog(path.join(root, name), ['file', 'word_start_sec', 'word_end_sec'])) {
      const startSec = Number(row.word_start_sec);
      const endSec = Number(row.word_end_sec);
      if (row.word_start_sec && row.word_end_sec && Number.isFinite(startSec) && endSec > startSec)
        spans.set(row.file, { startSec, endSec });
    }
  return spans;
}

/** `rel path → what the clip says` from ROOT/synth_clips.tsv (columns file, text); empty when absent. */
export function readClipTexts(root: string): Map<string, string> {
  const texts = new Map<string, string>();
  for (const row of readClipLog(path.join(root, SYNTH_CLIPS_TSV), ['file', 'text'])) if (row.text) texts.set(row.file, row.text);
  return texts;
}

/** The rows of a tab-separated corpus log as column → value; none when the file or one of `columns` is absent. */
function readClipLog(file: string, columns: readonly string[]): Record<string, string>[] {
  if (!fs.existsSync(file)) return [];
  const [header, ...rows] = fs.readFileSync(file, 'utf8').split('\n');
  const names = header.split('\t');
  const at = columns.map((c) => names.indexOf(c));
  if (at.some((i) => i < 0)) return [];
  return rows
    .filter((r) => r.length > 0)
    .map((r) => {
      const v = r.split('\t');
      return Object.fromEntries(columns.map((c, i) => [c, v[at[i]] ?? '']));
    });
}

export interface BackgroundFile {
  path: string;
  /** 'speech' for files named speech*.wav (never cut as `_silence_`), else 'noise'. */
  kind: 'noise' | 'speech';
  /**
   * The one split whose sequences and streams may use it; absent = every split. Speech from
   * `--speech` folders is split by speaker (backgroundSpeechSplit), so false alarms are measured
   * on voices training never heard.
   */
  split?: Split;
}

/**
 * Shares (%) of the speakers of `--speech` folders held out for validation (thresholds) and test
 * (kws eval). Larger than the clips' 10 %: these speakers are the false-alarm streams' speech.
 */
export const BACKGROUND_SPEECH_VALIDATION_PERCENT = 20;
export const BACKGROUND_SPEECH_TESTING_PERCENT = 20;

/**
 * The speaker of a recording from its file name: LibriSpeech `<speaker>-<chapter>-<utterance>`,
 * Speech Commands `<speaker>_nohash_<n>`; any other name is its own speaker.
 */
export function speakerOfFile(file: string): string {
  const base = path.basename(file).replace(/\.[^.]+$/, '');
  const libri = /^(\d+)-\d+-\d+$/.exec(base);
  if (libri) return libri[1];
  return base.includes('_nohash_') ? base.replace(/_nohash_.*$/, '') : base;
}

/**
 * The clips of a seeded share of the speakers (speakerOfFile), for learning curves: how accuracy
 * grows with the voices a model hears. Each speaker draws u ~ U(0, 1) from the seed and stays when
 * u < share, so with one seed a smaller share is a subset of a larger one. Speakers are named as
 * speakerOfFile names them: a file with no speaker in its name (a wake-word take) is its own.
 */
export function keepSpeakerShare(refs: ClipRef[], share: number, seed: number): ClipRef[] {
  if (share >= 1) return refs;
  return refs.filter((r) => rngFor(seed, 'speaker share', speakerOfFile(r.path)).next() < share);
}

/** The split of a background-speech recording: whichSet on its speaker, with the shares above. */
export function backgroundSpeechSplit(file: string): Split {
  return splitOfName(speakerOfFile(file), BACKGROUND_SPEECH_VALIDATION_PERCENT, BACKGROUND_SPEECH_TESTING_PERCENT);
}

export interface DatasetOptions {
  /** Keyword texts or folder names ("start dictation" ≡ start_dictation). Default: every word folder. */
  keywords?: string[];
  /** Silence and unknown clips per split, as a percentage of the split's keyword clips. */
  silencePercent?: number;
  unknownPercent?: number;
  /** Used only when the folder has no list files. */
  validationPercent?: number;
  testingPercent?: number;
  /** Seeds the choice of unknown clips and silence cuts. */
  seed?: number;
  /** Training window (and length of silence cuts); default: clipSec from ROOT/synth.json, else 1 s. */
  clipSec?: number;
  /** More folders with clips of the same keywords (their non-keyword folders → `_unknown_`). */
  extraData?: string[];
  /** Folders of negatives only: every word folder → `_unknown_`; `_silence_`, background added. */
  negatives?: string[];
  /** Folders of hard negatives (kws mine): their training clips → train `_unknown_`, frame weights × hardNegativeWeight. */
  hardNegatives?: string[];
  hardNegativeWeight?: number;
  /**
   * Extra `_unknown_` clips of the train split, as a percentage of its keyword clips, cut from the
   * training speakers' background speech (`speech` folders): running speech at full level, so the
   * model learns to stay quiet on it. Train only: held-out splits stay the 12-class benchmark's.
   */
  speechUnknownPercent?: number;
  /** Folders of background recordings (every audio file in them) beside `_background_noise_`: noise, and non-keyword speech. */
  noise?: string[];
  speech?: string[];
  /** A groups file (kws groups, splitGroups.ts) for the primary folder: copies of a recording kept once, one speaker's takes in one split. */
  groups?: string;
  /** Share (0, 1] of the primary folder's training speakers to train on (keepSpeakerShare); default 1. */
  trainSpeakerShare?: number;
}

export interface Dataset {
  root: string;
  /** Absolute paths of the extraData, negatives and hardNegatives roots. */
  extraData: string[];
  negatives: string[];
  hardNegatives: string[];
  /** Keyword labels in the order asked, then `_unknown_`, then `_silence_`. */
  labels: string[];
  keywords: string[];
  splits: Record<Split, ClipRef[]>;
  background: BackgroundFile[];
  /** How the primary root is split, and the groups file that moved its grouped clips together (absolute path). */
  splitSource: 'lists' | 'hash';
  groups?: string;
  clipSec: number;
  /** Clips per label in each split, after balancing. */
  counts: Record<Split, Record<string, number>>;
  /** Things a user should know (list entries that do not exist, no background noise …). */
  warnings: string[];
}

/** Folder name for a keyword: lowercase, spaces → '_'. */
export function labelOf(keyword: string): string {
  return keyword.trim().toLowerCase().replace(/\s+/g, '_');
}

/**
 * Split of a file without list files, from a stable hash of a name: SHA-1 of the name,
 * (hash mod 2^27)·100/(2^27 − 1) is a stable percentage; below validationPercent → validation,
 * below validationPercent + testingPercent → test, else train (Speech Commands' which_set).
 *
 * The hashed name: for Speech Commands names `<speaker>_nohash_<n>` the part before `_nohash_`
 * (all clips of a speaker land in one split, as the benchmark does); for any other file its path
 * relative to the data root, e.g. `alexa/12.flac` — `rel` must be that relative path. Hashing the
 * bare name would put `alexa/0.flac`, `jarvis/0.flac` … all in the same split, correlating the
 * splits of different keywords.
 */
export function whichSet(rel: string, validationPercent = 10, testingPercent = 10): Split {
  const base = path.basename(rel);
  return splitOfName(
    base.includes('_nohash_') ? base.replace(/_nohash_.*$/, '') : rel.replace(/\\/g, '/'),
    validationPercent,
    testingPercent,
  );
}

/** The stable-hash split of a name (whichSet's rule, applied to the name as it is). */
function splitOfName(hashName: string, validationPercent: number, testingPercent: number): Split {
  const digest = BigInt('0x' + createHash('sha1').update(hashName, 'utf8').digest('hex'));
  const maxPerClass = 2 ** 27 - 1;
  const percentage = Number(digest % BigInt(maxPerClass + 1)) * (100 / maxPerClass);
  if (percentage < validationPercent) return 'validation';
  if (percentage < validationPercent + testingPercent) return 'test';
  return 'train';
}

/**
 * The one place that decodes a clip: any file openAudio reads (WAV of every variant, FLAC; chosen
 * by content) → 16 kHz mono Float32 in [-1, 1], the chunks of the audio layer's stream joined.
 * Recoverable damage (a FLAC that loses sync, a truncated WAV) keeps what decoded and goes to
 * `onWarning` (default: stderr), once per file; unreadable files throw AudioFormatError.
 */
export async function readClip(file: string, onWarning?: WarningSink): Promise<Float32Array> {
  const source = await openAudio(file, { onWarning });
  const chunks: Float32Array[] = [];
  let length = 0;
  try {
    for await (const chunk of source) {
      chunks.push(chunk);
      length += chunk.length;
    }
  } finally {
    await source.close();
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Float32Array(length);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Duration in seconds from the file's header, without decoding it. */
async function durationOf(file: string): Promise<number> {
  const source = await openAudio(file);
  await source.close();
  return source.durationSec ?? (await readClip(file)).length / TARGET_SAMPLE_RATE;
}

/** The samples a ClipRef stands for (its segment, or digital silence for path ''). */
export async function readClipRef(ref: ClipRef, clipSec = 1, onWarning?: WarningSink): Promise<Float32Array> {
  if (ref.path === '') return new Float32Array(Math.round(clipSec * TARGET_SAMPLE_RATE));
  const all = await readClip(ref.path, onWarning);
  if (!ref.segment) return all;
  const start = Math.round(ref.segment.startSec * TARGET_SAMPLE_RATE);
  return all.slice(start, start + Math.round(ref.segment.durationSec * TARGET_SAMPLE_RATE));
}

function isAudio(name: string): boolean {
  return AUDIO_EXTENSIONS.includes(path.extname(name).toLowerCase());
}

export function listAudio(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => !f.startsWith('.') && isAudio(f))
    .sort();
}

function readList(root: string, name: string): Set<string> | null {
  const file = path.join(root, name);
  if (!fs.existsSync(file)) return null;
  const entries = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/\\/g, '/'))
    .filter(Boolean);
  return new Set(entries);
}

export interface Pools {
  keyword: Record<Split, ClipRef[]>;
  unknown: Record<Split, ClipRef[]>;
  silence: Record<Split, ClipRef[]>;
}

/** The audio word folders of a root (not `_background_noise_`), sorted; checks the root exists. */
export function audioFolders(root: string, shown: string): string[] {
  if (!fs.existsSync(root)) throw new DatasetError(`${shown}: no such data folder`);
  if (!fs.statSync(root).isDirectory()) throw new DatasetError(`${shown}: is a file, expected a data folder with one sub-folder per word`);
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== BACKGROUND_DIR)
    .map((d) => d.name)
    .sort()
    .filter((name) => listAudio(path.join(root, name)).length > 0);
}

/**
 * Sorts one root's clips into the pools by split: folders named as a keyword → that keyword
 * (unless `onlyNegatives`), `_silence_` → silence, every other word folder → unknown.
 */
export function scanRoot(
  root: string,
  keywords: readonly string[],
  onlyNegatives: boolean,
  o: DatasetOptions,
  pools: Pools,
  warnings: string[],
  where = '',
  groups?: SplitGroups,
): 'lists' | 'hash' {
  const validationList = readList(root, VALIDATION_LIST);
  const testingList = readList(root, TESTING_LIST);
  const splitSource = validationList || testingList ? 'lists' : 'hash';
  const splitOf = (rel: string): Split => {
    if (splitSource === 'hash')
      return whichSet(rel, o.validationPercent ?? DEFAULT_VALIDATION_PERCENT, o.testingPercent ?? DEFAULT_TESTING_PERCENT);
    if (validationList?.has(rel)) return 'validation';
    if (testingList?.has(rel)) return 'test';
    return 'train';
  };
  const seen = new Set<string>();
  let extraCopies = 0;
  const spans = readWordSpans(root);
  for (const folder of audioFolders(root, root)) {
    const kind = !onlyNegatives && keywords.includes(folder) ? 'keyword' : folder === SILENCE_LABEL ? 'silence' : 'unknown';
    const label = kind === 'keyword' ? folder : kind === 'silence' ? SILENCE_LABEL : UNKNOWN_LABEL;
    for (const file of listAudio(path.join(root, folder))) {
      const rel = `${folder}/${file}`;
      seen.add(rel);
      if (groups?.isExtraCopy(rel)) {
        extraCopies++;
        continue;
      }
      const wordSec = spans.get(rel);
      pools[kind][splitOf(groups && splitSource === 'hash' ? groups.keyOf(rel) : rel)].push({
        path: path.join(root, folder, file),
        label,
        folder,
        ...(wordSec && { wordSec }),
      });
    }
  }
  for (const list of [validationList, testingList]) {
    const missing = list ? [...list].filter((rel) => !seen.has(rel)) : [];
    if (missing.length > 0) warnings.push(`${missing.length} listed clip(s) do not exist, e.g. ${missing[0]}${where}`);
  }
  if (groups) {
    const missing = [...groups.named].filter((rel) => !seen.has(rel));
    if (extraCopies > 0) warnings.push(`${extraCopies} copies of recordings skipped, each take kept once (${groups.file})`);
    if (missing.length > 0) warnings.push(`${missing.length} clip(s) named in ${groups.file} are not in ${root}, e.g. ${missing[0]}`);
  }
  return splitSource;
}

/** Lists and balances a Speech Commands-layout folder. Throws DatasetError when it cannot be used. */
export async function loadDataset(root: string, options: DatasetOptions = {}): Promise<Dataset> {
  const abs = path.resolve(root);
  const extraData = (options.extraData ?? []).map((r) => path.resolve(r));
  const negatives = (options.negatives ?? []).map((r) => path.resolve(r));
  const hardNegatives = (options.hardNegatives ?? []).map((r) => path.resolve(r));
  const keywordRoots = [abs, ...extraData];
  const wordFolders = new Set<string>();
  for (const r of keywordRoots) {
    for (const f of audioFolders(r, r === abs ? root : r)) if (f !== SILENCE_LABEL && f !== UNKNOWN_LABEL) wordFolders.add(f);
  }
  for (const r of [...negatives, ...hardNegatives]) audioFolders(r, r);
  if (wordFolders.size === 0) {
    throw new DatasetError(
      `${root}: no word folders with audio files (expected ${root}/<word>/<clip>.wav, e.g. the Speech Commands layout or the output of kws synth)`,
    );
  }
  const found = [...wordFolders].sort();
  const keywords = (options.keywords && options.keywords.length > 0 ? options.keywords : found).map(labelOf);
  const absent = keywords.filter((k) => !wordFolders.has(k));
  if (absent.length > 0) {
    throw new DatasetError(
      `${root}: no audio for keyword${absent.length > 1 ? 's' : ''} ${absent.join(', ')} (word folders found: ${found.join(', ')})`,
    );
  }
  if (new Set(keywords).size !== keywords.length) throw new DatasetError(`keywords repeat: ${keywords.join(', ')}`);

  const warnings: string[] = [];
  const pools: Pools = { keyword: emptySplits(), unknown: emptySplits(), silence: emptySplits() };
  // the groups file names the primary folder's clips: extra roots keep their own split
  const groups = options.groups ? readSplitGroups(options.groups) : undefined;
  const splitSource = scanRoot(abs, keywords, false, options, pools, warnings, '', groups);
  for (const kind of ['keyword', 'unknown'] as const) {
    pools[kind].train = keepSpeakerShare(pools[kind].train, options.trainSpeakerShare ?? 1, options.seed ?? 0);
  }
  // Validation and test come from the primary root alone (e.g. real speakers choose the best
  // epoch and the thresholds); an extra root gives training clips, its held-out ones stay out.
  for (const r of extraData) {
    const extra: Pools = { keyword: emptySplits(), unknown: emptySplits(), silence: emptySplits() };
    scanRoot(r, keywords, false, options, extra, warnings, ` (in ${r})`);
    for (const kind of ['keyword', 'unknown', 'silence'] as const) pools[kind].train.push(...extra[kind].train);
  }
  for (const r of negatives) scanRoot(r, keywords, true, options, pools, warnings, ` (in ${r})`);
  const hard = hardNegativeClips(hardNegatives, options, warnings);

  const background = [
    ...[...keywordRoots, ...negatives].flatMap(listBackground),
    ...backgroundFolder(options.noise, 'noise'),
    ...backgroundFolder(options.speech, 'speech'),
  ];
  const clipSec = options.clipSec ?? synthClipSec(abs) ?? 1;
  const noiseFiles = background.filter((b) => b.kind === 'noise');
  const noiseDurations = await Promise.all(noiseFiles.map((b) => durationOf(b.path)));
  const seed = options.seed ?? 0;
  const speechCuts = await cutTrainingSpeech(background, pools.keyword.train.length, clipSec, options.speechUnknownPercent ?? 0, seed);
  const splits = emptySplits();
  for (const split of SPLITS) {
    const rng = rngFor(seed, 'dataset', split);
    const k = pools.keyword[split].length;
    const unknownWanted = Math.ceil((k * (options.unknownPercent ?? DEFAULT_UNKNOWN_PERCENT)) / 100);
    const silenceWanted = Math.ceil((k * (options.silencePercent ?? DEFAULT_SILENCE_PERCENT)) / 100);
    const unknown = rng.shuffle(pools.unknown[split]).slice(0, unknownWanted);
    const silence = rng.shuffle(pools.silence[split]).slice(0, silenceWanted);
    for (let i = silence.length; i < silenceWanted; i++) silence.push(cutSilence(noiseFiles, noiseDurations, clipSec, rng));
    splits[split] = [...pools.keyword[split], ...unknown, ...silence, ...(split === 'train' ? [...speechCuts, ...hard] : [])];
  }
  if (noiseFiles.length === 0 && pools.silence.train.length === 0 && (options.silencePercent ?? DEFAULT_SILENCE_PERCENT) > 0) {
    warnings.push(`no ${BACKGROUND_DIR} noise files and no ${SILENCE_LABEL} folder: ${SILENCE_LABEL} clips are digital silence`);
  }
  if (SPLITS.every((s) => pools.unknown[s].length === 0) && (options.unknownPercent ?? DEFAULT_UNKNOWN_PERCENT) > 0) {
    warnings.push(`no non-keyword word folders: the ${UNKNOWN_LABEL} class is empty`);
  }
  const labels = [...keywords, UNKNOWN_LABEL, SILENCE_LABEL];
  const counts = {} as Record<Split, Record<string, number>>;
  for (const split of SPLITS) {
    counts[split] = Object.fromEntries(labels.map((l) => [l, 0]));
    for (const c of splits[split]) counts[split][c.label]++;
  }
  return {
    root: abs,
    extraData,
    negatives,
    hardNegatives,
    labels,
    keywords,
    splits,
    background,
    splitSource,
    ...(options.groups && { groups: path.resolve(options.groups) }),
    clipSec,
    counts,
    warnings,
  };
}

/**
 * The training `_unknown_` clips of the hard-negatives roots, each with its frame weight
 * multiplier; held-out clips of such a root (kws mine writes none) stay out of every split.
 */
function hardNegativeClips(roots: readonly string[], o: DatasetOptions, warnings: string[]): ClipRef[] {
  const weight = o.hardNegativeWeight ?? DEFAULT_HARD_NEGATIVE_WEIGHT;
  return roots.flatMap((r) => {
    const pools: Pools = { keyword: emptySplits(), unknown: emptySplits(), silence: emptySplits() };
    scanRoot(r, [], true, o, pools, warnings, ` (in ${r})`);
    if (pools.unknown.train.length === 0) warnings.push(`${r}: no training ${UNKNOWN_LABEL} clips in this hard-negatives folder`);
    return pools.unknown.train.map((c) => ({ ...c, weight }));
  });
}

export function emptySplits(): Record<Split, ClipRef[]> {
  return { train: [], validation: [], test: [] };
}

export function listBackground(root: string): BackgroundFile[] {
  const dir = path.join(root, BACKGROUND_DIR);
  if (!fs.existsSync(dir)) return [];
  return listAudio(dir).map((f) => ({ path: path.join(dir, f), kind: /^speech/i.test(f) ? 'speech' : 'noise' }));
}

/** Every audio file of each folder as background of one kind. */
export function backgroundFolder(dirs: string[] | undefined, kind: BackgroundFile['kind']): BackgroundFile[] {
  return (dirs ?? []).flatMap((dir) => {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new DatasetError(`${dir}: no such ${kind} folder`);
    const files = listAudio(dir);
    if (files.length === 0) throw new DatasetError(`${dir}: no audio files in this ${kind} folder`);
    return files.map((f) => ({
      path: path.join(path.resolve(dir), f),
      kind,
      ...(kind === 'speech' && { split: backgroundSpeechSplit(f) }),
    }));
  });
}

function synthClipSec(root: string): number | undefined {
  const file = path.join(root, 'synth.json');
  if (!fs.existsSync(file)) return undefined;
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')).clipSec;
    return typeof v === 'number' && v > 0 ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A clipSec cut at a random place of a random noise file (digital silence when there is none). */
/** `percent` % of `keywordClips` as `_unknown_` cuts of clipSec from the training speakers' background speech. */
async function cutTrainingSpeech(
  background: BackgroundFile[],
  keywordClips: number,
  clipSec: number,
  percent: number,
  seed: number,
): Promise<ClipRef[]> {
  if (!(percent > 0)) return [];
  const files = background.filter((b) => b.kind === 'speech' && (b.split ?? 'train') === 'train');
  if (files.length === 0)
    throw new DatasetError(`speech _unknown_ clips asked for (${percent} %), but no training speakers' speech: give --speech`);
  const durations = await Promise.all(files.map((b) => durationOf(b.path)));
  const rng = rngFor(seed, 'speech-unknown');
  return Array.from({ length: Math.ceil((keywordClips * percent) / 100) }, () =>
    cutSegment(files, durations, clipSec, rng, UNKNOWN_LABEL, SPEECH_UNKNOWN_FOLDER),
  );
}

function cutSilence(files: BackgroundFile[], durations: number[], clipSec: number, rng: Rng): ClipRef {
  return cutSegment(files, durations, clipSec, rng, SILENCE_LABEL, BACKGROUND_DIR);
}

/** A clipSec cut at a random place of a random file at least clipSec long; digital silence when there is none. */
function cutSegment(files: BackgroundFile[], durations: number[], clipSec: number, rng: Rng, label: string, folder: string): ClipRef {
  const usable = files.map((f, i) => ({ f, d: durations[i] })).filter((x) => x.d >= clipSec);
  if (usable.length === 0) return { path: '', label, folder };
  const { f, d } = rng.pick(usable);
  const startSec = Math.floor(rng.uniform(0, d - clipSec) * TARGET_SAMPLE_RATE) / TARGET_SAMPLE_RATE;
  return { path: f.path, label, segment: { startSec, durationSec: clipSec }, folder };
}
