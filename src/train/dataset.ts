/**
 * Loader for keyword-spotting data folders in the Speech Commands layout:
 *
 *   ROOT/<word>/<clip>.wav          one folder per word (any folder not chosen as keyword → _unknown_)
 *   ROOT/_unknown_/…, ROOT/_silence_/…   optional ready-made classes (what `kws synth` writes)
 *   ROOT/_background_noise_/*.wav   long noise recordings; files named speech*.wav hold speech
 *   ROOT/validation_list.txt, ROOT/testing_list.txt   optional: paths like `yes/abc_nohash_0.wav`
 *
 * Clips of any length and format are listed (e.g. 3 s FLAC wake-word recordings); aligning words
 * inside long clips is training's job. Only `readClip` decodes audio.
 *
 * Splits: with list files, a clip is validation/test when listed there, else train. Without them,
 * `whichSet` assigns each file by a stable hash of its name, exactly like the Speech Commands
 * benchmark (so all clips of one speaker `<id>_nohash_<n>` land in the same split).
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
import { WaveFile } from 'wavefile';
import { TARGET_SAMPLE_RATE } from '../audio/source';
import { AudioFormatError, DatasetError } from '../errors';
import { resample } from './augment';
import { Rng, rngFor } from './random';

export type Split = 'train' | 'validation' | 'test';
export const SPLITS: readonly Split[] = ['train', 'validation', 'test'];
export const UNKNOWN_LABEL = '_unknown_';
export const SILENCE_LABEL = '_silence_';
export const BACKGROUND_DIR = '_background_noise_';
export const VALIDATION_LIST = 'validation_list.txt';
export const TESTING_LIST = 'testing_list.txt';
export const AUDIO_EXTENSIONS = ['.wav', '.flac', '.ogg', '.opus', '.mp3', '.m4a', '.aiff', '.aif', '.au'];

export interface ClipRef {
  /** Absolute path of the audio file; '' for digital silence. */
  path: string;
  label: string;
  /** Part of the file to use (silence cut from background noise); absent = whole file. */
  segment?: { startSec: number; durationSec: number };
  /** The word folder the clip came from (differs from label for `_unknown_`). */
  folder: string;
}

export interface BackgroundFile {
  path: string;
  /** 'speech' for files named speech*.wav (never cut as `_silence_`), else 'noise'. */
  kind: 'noise' | 'speech';
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
  /** Length of silence cuts; default: clipSec from ROOT/synth.json, else 1 s. */
  clipSec?: number;
}

export interface Dataset {
  root: string;
  /** Keyword labels in the order asked, then `_unknown_`, then `_silence_`. */
  labels: string[];
  keywords: string[];
  splits: Record<Split, ClipRef[]>;
  background: BackgroundFile[];
  splitSource: 'lists' | 'hash';
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
 * Speech Commands' which_set: the part of the base name before `_nohash_` is hashed with SHA-1;
 * (hash mod 2^27)·100/(2^27 − 1) is a stable percentage; below validationPercent → validation,
 * below validationPercent + testingPercent → test, else train.
 */
export function whichSet(file: string, validationPercent = 10, testingPercent = 10): Split {
  const hashName = path.basename(file).replace(/_nohash_.*$/, '');
  const digest = BigInt('0x' + createHash('sha1').update(hashName, 'utf8').digest('hex'));
  const maxPerClass = 2 ** 27 - 1;
  const percentage = Number(digest % BigInt(maxPerClass + 1)) * (100 / maxPerClass);
  if (percentage < validationPercent) return 'validation';
  if (percentage < validationPercent + testingPercent) return 'test';
  return 'train';
}

/**
 * The one place that decodes a clip: a WAV file (any PCM/float bit depth, any rate, any channel
 * count) → 16 kHz mono Float32 in [-1, 1]. Channels are averaged; other rates are resampled.
 * Synchronous (training reads thousands of short clips); other formats such as the wake-word
 * FLACs are listed by loadDataset but decoded with the audio layer's async openAudio.
 */
export function readClip(file: string): Float32Array {
  const bytes = fs.readFileSync(file);
  if (bytes.subarray(0, 4).toString('latin1') === 'fLaC') {
    throw new AudioFormatError(file, 'FLAC: readClip reads WAV only; stream it with openAudio() (src/audio/open) or convert it with sox');
  }
  let wav: WaveFile;
  try {
    wav = new WaveFile(bytes);
  } catch (err) {
    throw new AudioFormatError(file, `not a readable WAV file (${(err as Error).message}); convert it with: sox '${file}' -r 16000 -c 1 -b 16 out.wav`);
  }
  // copy: toBitDepth() rebuilds the header and resets the old fmt object
  const fmt = { ...(wav.fmt as { sampleRate: number; audioFormat: number; numChannels: number; bitsPerSample: number }) };
  if (fmt.audioFormat !== 1 && fmt.audioFormat !== 3 && fmt.audioFormat !== 65534) {
    throw new AudioFormatError(file, `WAV encoding ${fmt.audioFormat} is not PCM or float; convert it with sox`);
  }
  let channels: Float32Array[];
  if (fmt.audioFormat === 1 && fmt.bitsPerSample === 16) {
    channels = deinterleave16((wav.data as { samples: Uint8Array }).samples, fmt.numChannels);
  } else {
    // other depths: wavefile converts (about 10x slower than the 16-bit path above)
    wav.toBitDepth('32f');
    const raw = wav.getSamples(false, Float32Array) as unknown as Float32Array | Float32Array[];
    channels = Array.isArray(raw) ? raw : [raw];
  }
  let mono = channels[0];
  if (channels.length > 1) {
    mono = new Float32Array(channels[0].length);
    for (const ch of channels) for (let i = 0; i < mono.length; i++) mono[i] += ch[i] / channels.length;
  }
  return fmt.sampleRate === TARGET_SAMPLE_RATE ? mono : resample(mono, fmt.sampleRate, TARGET_SAMPLE_RATE);
}

/** Little-endian int16 frames → one Float32Array per channel, scaled by 1/32768. */
function deinterleave16(bytes: Uint8Array, numChannels: number): Float32Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames = Math.floor(bytes.byteLength / (2 * numChannels));
  const channels = Array.from({ length: numChannels }, () => new Float32Array(frames));
  for (let f = 0, o = 0; f < frames; f++) {
    for (let c = 0; c < numChannels; c++, o += 2) channels[c][f] = view.getInt16(o, true) / 32768;
  }
  return channels;
}

/** The samples a ClipRef stands for (its segment, or digital silence for path ''). */
export function readClipRef(ref: ClipRef, clipSec = 1): Float32Array {
  if (ref.path === '') return new Float32Array(Math.round(clipSec * TARGET_SAMPLE_RATE));
  const all = readClip(ref.path);
  if (!ref.segment) return all;
  const start = Math.round(ref.segment.startSec * TARGET_SAMPLE_RATE);
  return all.slice(start, start + Math.round(ref.segment.durationSec * TARGET_SAMPLE_RATE));
}

function isAudio(name: string): boolean {
  return AUDIO_EXTENSIONS.includes(path.extname(name).toLowerCase());
}

function listAudio(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => !f.startsWith('.') && isAudio(f)).sort();
}

function readList(root: string, name: string): Set<string> | null {
  const file = path.join(root, name);
  if (!fs.existsSync(file)) return null;
  const entries = fs.readFileSync(file, 'utf8').split(/\r?\n/).map((l) => l.trim().replace(/\\/g, '/')).filter(Boolean);
  return new Set(entries);
}

/** Lists and balances a Speech Commands-layout folder. Throws DatasetError when it cannot be used. */
export function loadDataset(root: string, options: DatasetOptions = {}): Dataset {
  const abs = path.resolve(root);
  if (!fs.existsSync(abs)) throw new DatasetError(`${root}: no such data folder`);
  if (!fs.statSync(abs).isDirectory()) throw new DatasetError(`${root}: is a file, expected a data folder with one sub-folder per word`);
  const folders = fs.readdirSync(abs, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== BACKGROUND_DIR)
    .map((d) => d.name).sort()
    .filter((name) => listAudio(path.join(abs, name)).length > 0);
  const wordFolders = folders.filter((f) => f !== SILENCE_LABEL && f !== UNKNOWN_LABEL);
  if (wordFolders.length === 0) {
    throw new DatasetError(`${root}: no word folders with audio files (expected ${root}/<word>/<clip>.wav, e.g. the Speech Commands layout or the output of kws synth)`);
  }
  const keywords = (options.keywords && options.keywords.length > 0 ? options.keywords : wordFolders).map(labelOf);
  const absent = keywords.filter((k) => !wordFolders.includes(k));
  if (absent.length > 0) {
    throw new DatasetError(`${root}: no audio for keyword${absent.length > 1 ? 's' : ''} ${absent.join(', ')} (word folders found: ${wordFolders.join(', ')})`);
  }
  if (new Set(keywords).size !== keywords.length) throw new DatasetError(`keywords repeat: ${keywords.join(', ')}`);

  const warnings: string[] = [];
  const validationList = readList(abs, VALIDATION_LIST);
  const testingList = readList(abs, TESTING_LIST);
  const splitSource = validationList || testingList ? 'lists' : 'hash';
  const valPct = options.validationPercent ?? 10;
  const testPct = options.testingPercent ?? 10;
  const splitOf = (rel: string): Split => {
    if (splitSource === 'hash') return whichSet(rel, valPct, testPct);
    if (validationList?.has(rel)) return 'validation';
    if (testingList?.has(rel)) return 'test';
    return 'train';
  };

  const pools = {
    keyword: emptySplits(), unknown: emptySplits(), silence: emptySplits(),
  };
  const seen = new Set<string>();
  for (const folder of folders) {
    const kind = keywords.includes(folder) ? 'keyword' : folder === SILENCE_LABEL ? 'silence' : 'unknown';
    const label = kind === 'keyword' ? folder : kind === 'silence' ? SILENCE_LABEL : UNKNOWN_LABEL;
    for (const file of listAudio(path.join(abs, folder))) {
      const rel = `${folder}/${file}`;
      seen.add(rel);
      pools[kind][splitOf(rel)].push({ path: path.join(abs, folder, file), label, folder });
    }
  }
  for (const list of [validationList, testingList]) {
    const missing = list ? [...list].filter((rel) => !seen.has(rel)) : [];
    if (missing.length > 0) warnings.push(`${missing.length} listed clip(s) do not exist, e.g. ${missing[0]}`);
  }

  const background = listBackground(abs);
  const clipSec = options.clipSec ?? synthClipSec(abs) ?? 1;
  const noiseFiles = background.filter((b) => b.kind === 'noise');
  const noiseDurations = noiseFiles.map((b) => readClip(b.path).length / TARGET_SAMPLE_RATE);
  const seed = options.seed ?? 0;
  const splits = emptySplits();
  for (const split of SPLITS) {
    const rng = rngFor(seed, 'dataset', split);
    const k = pools.keyword[split].length;
    const unknownWanted = Math.ceil((k * (options.unknownPercent ?? 10)) / 100);
    const silenceWanted = Math.ceil((k * (options.silencePercent ?? 10)) / 100);
    const unknown = rng.shuffle(pools.unknown[split]).slice(0, unknownWanted);
    const silence = rng.shuffle(pools.silence[split]).slice(0, silenceWanted);
    for (let i = silence.length; i < silenceWanted; i++) silence.push(cutSilence(noiseFiles, noiseDurations, clipSec, rng));
    splits[split] = [...pools.keyword[split], ...unknown, ...silence];
  }
  if (noiseFiles.length === 0 && pools.silence.train.length === 0 && (options.silencePercent ?? 10) > 0) {
    warnings.push(`no ${BACKGROUND_DIR} noise files and no ${SILENCE_LABEL} folder: ${SILENCE_LABEL} clips are digital silence`);
  }
  if (SPLITS.every((s) => pools.unknown[s].length === 0) && (options.unknownPercent ?? 10) > 0) {
    warnings.push(`no non-keyword word folders: the ${UNKNOWN_LABEL} class is empty`);
  }
  const labels = [...keywords, UNKNOWN_LABEL, SILENCE_LABEL];
  const counts = {} as Record<Split, Record<string, number>>;
  for (const split of SPLITS) {
    counts[split] = Object.fromEntries(labels.map((l) => [l, 0]));
    for (const c of splits[split]) counts[split][c.label]++;
  }
  return { root: abs, labels, keywords, splits, background, splitSource, clipSec, counts, warnings };
}

function emptySplits(): Record<Split, ClipRef[]> {
  return { train: [], validation: [], test: [] };
}

function listBackground(root: string): BackgroundFile[] {
  const dir = path.join(root, BACKGROUND_DIR);
  if (!fs.existsSync(dir)) return [];
  return listAudio(dir).map((f) => ({ path: path.join(dir, f), kind: /^speech/i.test(f) ? 'speech' : 'noise' }));
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
function cutSilence(files: BackgroundFile[], durations: number[], clipSec: number, rng: Rng): ClipRef {
  const usable = files.map((f, i) => ({ f, d: durations[i] })).filter((x) => x.d >= clipSec);
  if (usable.length === 0) return { path: '', label: SILENCE_LABEL, folder: BACKGROUND_DIR };
  const { f, d } = rng.pick(usable);
  const startSec = Math.floor(rng.uniform(0, d - clipSec) * TARGET_SAMPLE_RATE) / TARGET_SAMPLE_RATE;
  return { path: f.path, label: SILENCE_LABEL, segment: { startSec, durationSec: clipSec }, folder: BACKGROUND_DIR };
}
