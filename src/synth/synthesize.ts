/**
 * `kws synth`: a keyword corpus from text. Renders every keyword with many TTS voices and speaking
 * styles, adds an `_unknown_` class (sound-alikes and common words) and a `_silence_` class
 * (noise only), augments each clip (augmentRecipe.ts) and writes the Speech Commands layout with a
 * by-speaker validation/test split, long `_background_noise_` files and `synth.json`.
 * Output depends only on the options (seed included) and the TTS tools' versions.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TARGET_SAMPLE_RATE } from '../audio/source';
import { ConfigError, DatasetError } from '../errors';
import { babble, brownNoise, changeSpeed, limitPeak, normalizeRms, pinkNoise, scale, trimSilence, whiteNoise } from '../data/augment';
import { augmentSpeech, AugmentSettings, DEFAULT_AUGMENT, NoiseBank, noiseOnlyClip } from '../data/augmentRecipe';
import { BACKGROUND_DIR, labelOf, SILENCE_LABEL, Split, SPLITS, TESTING_LIST, UNKNOWN_LABEL, VALIDATION_LIST } from '../data/dataset';
import { rngFor } from '../data/random';
import { ClipJob, groupVoices, pickProsody, pickVoice, planClips, splitSpeakers } from './plan';
import { Prosody, RenderPool } from './render';
import { discoverVoices, Engine, ENGINES, ToolVersions, Voice } from './voices';
import { writeClip } from './wav';
import { COMMON_WORDS, sentencesWithout, unknownWordsFor, wordsOf } from './words';
import { mapLimit } from '../arrays';
import { SYNTH_DEFAULTS } from './defaults';

export interface SynthOptions {
  keywords: string[];
  outDir: string;
  /** Clips per keyword (all splits together). */
  perWord?: number;
  seed?: number;
  /** Replaces the built-in common-word list of the `_unknown_` class (sound-alikes stay). */
  unknownWords?: string[];
  /** Default perWord·max(2, ⌈keywords/2⌉) (a rich pool; the loader balances it down) and perWord. */
  unknownCount?: number;
  silenceCount?: number;
  /** Parallel TTS processes. */
  jobs?: number;
  /** Clip length; default: 1 s, longer when the slowest rendering of a keyword needs it. */
  clipSec?: number;
  /** Length of each `_background_noise_` file. */
  backgroundSec?: number;
  /** Percent of speakers held out for validation / test (per engine). */
  validationPercent?: number;
  testingPercent?: number;
  /** Voice ids, voice names or speakers to use (default: all). */
  voices?: string[];
  /** Engines to render with (default: every one installed); each must be installed. */
  engines?: Engine[];
  /** false: clean clips (random placement and level only). */
  augment?: boolean;
  /** Replace an existing corpus made by kws synth in outDir. */
  force?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface SynthSummary {
  generator: string;
  seed: number;
  sampleRate: number;
  clipSec: number;
  keywords: Array<{ text: string; label: string }>;
  perWord: number;
  counts: Record<string, Record<Split, number>>;
  speakers: Record<Split, string[]>;
  voices: Record<Split, string[]>;
  skippedVoices: string[];
  /** The engines that rendered, and their versions (null for engines not used). */
  engines: Engine[];
  toolVersions: ToolVersions;
  augmentation: AugmentSettings | null;
  unknownWords: { similar: string[]; common: string[] };
  background: string[];
  backgroundSec: number;
  /** Renders longer than the clip that were sped up to fit, and renders that came out silent. */
  squeezed: number;
  silentRenders: string[];
}

const GENERATOR = 'lmu-kws kws synth 1';
const KEYWORD_TEXT = /^[a-z][a-z' ]*$/;

function checkOptions(o: SynthOptions): void {
  if (o.keywords.length === 0) throw new ConfigError('give at least one keyword (--keywords yes,no)');
  for (const k of o.keywords) {
    if (!KEYWORD_TEXT.test(k.trim().toLowerCase())) throw new ConfigError(`keyword "${k}": use letters, spaces and apostrophes only`);
  }
  const labels = o.keywords.map(labelOf);
  if (new Set(labels).size !== labels.length) throw new ConfigError(`keywords repeat: ${o.keywords.join(', ')}`);
  const positive = (name: string, v: number | undefined, integer: boolean) => {
    if (v !== undefined && (!(v >= 0) || (integer && !Number.isInteger(v))))
      throw new ConfigError(`--${name} must be a non-negative ${integer ? 'integer' : 'number'}, got ${v}`);
  };
  positive('per-word', o.perWord, true);
  positive('unknown-count', o.unknownCount, true);
  positive('silence-count', o.silenceCount, true);
  positive('jobs', o.jobs, true);
  if (o.jobs === 0) throw new ConfigError('--jobs must be at least 1');
  if (o.clipSec !== undefined && !(o.clipSec >= 0.25 && o.clipSec <= 10))
    throw new ConfigError(`--clip-sec must be between 0.25 and 10, got ${o.clipSec}`);
  if (o.backgroundSec !== undefined && !(o.backgroundSec >= 1))
    throw new ConfigError(`--background-sec must be at least 1, got ${o.backgroundSec}`);
}

function prepareOutDir(dir: string, force: boolean): void {
  if (fs.existsSync(dir)) {
    if (!fs.statSync(dir).isDirectory()) throw new DatasetError(`${dir}: exists and is not a folder`);
    const entries = fs.readdirSync(dir);
    if (entries.length > 0) {
      if (!force)
        throw new DatasetError(`${dir}: folder is not empty; choose a new --out or add --force to replace a corpus made by kws synth`);
      if (!entries.includes('synth.json')) throw new DatasetError(`${dir}: not made by kws synth (no synth.json); refusing to delete it`);
      fs.rmSync(dir, { recursive: true });
    }
  }
  fs.mkdirSync(dir, { recursive: true });
}

export async function synthesize(options: SynthOptions): Promise<SynthSummary> {
  checkOptions(options);
  const seed = options.seed ?? SYNTH_DEFAULTS.seed;
  const perWord = options.perWord ?? SYNTH_DEFAULTS.perWord;
  const keywords = options.keywords.map((k) => wordsOf(k).join(' '));
  const percents = {
    validation: options.validationPercent ?? SYNTH_DEFAULTS.validationPercent,
    test: options.testingPercent ?? SYNTH_DEFAULTS.testingPercent,
  };
  const backgroundSec = options.backgroundSec ?? SYNTH_DEFAULTS.backgroundSec;
  const inventory = await discoverVoices(options.engines);
  const wanted = options.voices && options.voices.length > 0 ? new Set(options.voices) : null;
  const voices = wanted
    ? inventory.voices.filter((v) => wanted.has(v.id) || wanted.has(v.name) || wanted.has(v.speaker))
    : inventory.voices;
  if (voices.length === 0) throw new ConfigError(`no voice matches --voices ${options.voices!.join(',')}`);
  const engines = inventory.engines.filter((e) => voices.some((v) => v.engine === e));
  const versions = Object.fromEntries(ENGINES.map((e) => [e, engines.includes(e) ? inventory.versions[e] : null])) as ToolVersions;
  const speakerSplit = splitSpeakers(voices, percents, seed);
  const trainVoices = voices.filter((v) => speakerSplit.get(v.speaker) === 'train');
  const unknown = unknownWordsFor(keywords, options.unknownWords ?? COMMON_WORDS);
  const jobs = planClips({
    keywords,
    perWord,
    unknown,
    percents,
    seed,
    voices,
    speakerSplit,
    unknownCount: options.unknownCount ?? perWord * Math.max(2, Math.ceil(keywords.length / 2)),
    silenceCount: options.silenceCount ?? perWord,
  });

  prepareOutDir(options.outDir, options.force ?? false);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-synth-'));
  let pool: RenderPool | null = null;
  try {
    const progress = { done: 0, total: jobs.length + 4 };
    const tick = () => options.onProgress?.(++progress.done, progress.total);
    const jobsLimit = options.jobs ?? SYNTH_DEFAULTS.jobs;
    pool = new RenderPool(jobsLimit, tmp);
    const tts = pool;
    const render: Render = async (voice, text, prosody) => trimSilence(await tts.render(voice, text, prosody), TARGET_SAMPLE_RATE);
    const background = await makeBackground(
      options.outDir,
      keywords,
      trainVoices.length > 0 ? trainVoices : voices,
      seed,
      backgroundSec,
      render,
      jobsLimit,
      tick,
    );
    const bank: NoiseBank = { white: background.white, pink: background.pink, brown: background.brown, babble: background.babble };
    const clipSec = options.clipSec ?? (await autoClipSec(keywords, voices, render));
    const clipLength = Math.round(clipSec * TARGET_SAMPLE_RATE);
    const settings: AugmentSettings =
      options.augment === false ? { ...DEFAULT_AUGMENT, speedProb: 0, reverbProb: 0, noiseProb: 0, bandLimitProb: 0 } : DEFAULT_AUGMENT;

    for (const label of new Set(jobs.map((j) => j.label))) fs.mkdirSync(path.join(options.outDir, label), { recursive: true });
    const rows: string[] = new Array(jobs.length);
    const silentRenders: string[] = [];
    let squeezed = 0;
    const written = new Array<boolean>(jobs.length).fill(false);
    // longest render that still fits after the slowest speed perturbation, with 5 % to spare
    const room = Math.floor(0.95 * clipLength * (settings.speedProb > 0 ? settings.speedRange[0] : 1));
    await mapLimit(
      jobs.map((job, i) => ({ job, i })),
      jobsLimit,
      async ({ job, i }) => {
        const rng = rngFor(seed, 'augment', job.file);
        let samples: Float32Array;
        let detail: string;
        if (job.voice && job.text !== null && job.prosody) {
          let speech = await render(job.voice, job.text, job.prosody);
          if (speech.length === 0) {
            silentRenders.push(`${job.voice.id}: "${job.text}"`);
            tick();
            return;
          }
          if (speech.length > room) {
            speech = changeSpeed(speech, speech.length / room);
            squeezed++;
          }
          const out = augmentSpeech(speech, clipLength, rng, bank, settings);
          samples = out.samples;
          const a = out.info;
          detail = [
            job.voice.id,
            job.text,
            job.prosody.rate.toFixed(3),
            job.prosody.pitch.toFixed(3),
            job.prosody.tract?.toFixed(3) ?? '',
            a.speed.toFixed(3),
            a.rt60?.toFixed(3) ?? '',
            a.noise ?? '',
            a.snrDb?.toFixed(1) ?? '',
            a.band ?? '',
            (a.offset / TARGET_SAMPLE_RATE).toFixed(3),
            a.word ? (a.word.start / TARGET_SAMPLE_RATE).toFixed(4) : '',
            a.word ? (a.word.end / TARGET_SAMPLE_RATE).toFixed(4) : '',
          ].join('\t');
        } else {
          samples = noiseOnlyClip(clipLength, rng, bank, settings);
          detail = ['', '', '', '', '', '', '', 'noise', '', '', '', '', ''].join('\t');
        }
        writeClip(path.join(options.outDir, job.file), samples);
        written[i] = true;
        rows[i] = `${job.file}\t${job.label}\t${job.split}\t${detail}`;
        tick();
      },
    );

    const made = jobs.filter((_, i) => written[i]);
    writeLists(options.outDir, made);
    fs.writeFileSync(
      path.join(options.outDir, 'synth_clips.tsv'),
      [
        'file\tlabel\tsplit\tvoice\ttext\trate\tpitch\ttract\tspeed\trt60\tnoise\tsnr_db\tband\toffset_sec\tword_start_sec\tword_end_sec',
        ...rows.filter(Boolean),
      ].join('\n') + '\n',
    );
    silentRenders.sort();
    const summary = summarize({
      seed,
      perWord,
      clipSec,
      keywords,
      made,
      voices,
      speakerSplit,
      unknown,
      backgroundSec,
      squeezed,
      silentRenders,
      skipped: inventory.skipped,
      engines,
      versions,
      files: background.files,
      augmentation: options.augment === false ? null : settings,
    });
    fs.writeFileSync(path.join(options.outDir, 'synth.json'), JSON.stringify(summary, null, 2) + '\n');
    tick();
    return summary;
  } finally {
    pool?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

type Render = (voice: Voice, text: string, prosody: Prosody) => Promise<Float32Array>;

/**
 * Clip length when not given: each keyword at normal rate on a spread of six voices, the longest
 * made 10 % slower (speed perturbation), plus 0.1 s, rounded up to 0.25 s, at least 1 s. Slower
 * renderings that would not fit are sped up to fit (counted as `squeezed` in synth.json).
 */
async function autoClipSec(keywords: string[], voices: Voice[], render: Render): Promise<number> {
  const probe = [...new Set([0, 1, 2, 3, 4, 5].map((i) => voices[Math.floor((i * (voices.length - 1)) / 5)]))];
  let longest = 0;
  for (const k of keywords) {
    for (const v of probe) longest = Math.max(longest, (await render(v, k, { rate: 1, pitch: 0 })).length / TARGET_SAMPLE_RATE);
  }
  return Math.max(1, Math.ceil((longest / 0.9 + 0.1) * 4) / 4);
}

/** Long noise recordings, also the noise bank for augmentation. */
type Background = Required<NoiseBank> & { files: string[] };

/**
 * Writes DIR/_background_noise_: white, pink, brown (unit-RMS noises scaled to RMS 0.1), babble (six
 * talkers of training voices reading keyword-free sentences) and speech_background (one sentence
 * after another by different training voices, with 0.2–1.5 s pauses).
 */
async function makeBackground(
  outDir: string,
  keywords: string[],
  voices: Voice[],
  seed: number,
  seconds: number,
  render: Render,
  jobs: number,
  tick: () => void,
): Promise<Background> {
  const n = Math.round(seconds * TARGET_SAMPLE_RATE);
  const white = whiteNoise(n, rngFor(seed, 'noise', 'white'));
  const pink = pinkNoise(n, rngFor(seed, 'noise', 'pink'));
  const brown = brownNoise(n, rngFor(seed, 'noise', 'brown'));
  tick();
  const sentences = sentencesWithout(keywords);
  const groups = groupVoices(voices);
  // enough sentences (≈ 2.5 s each) to fill the speech background once
  const plan = Array.from({ length: Math.max(8, Math.ceil(seconds / 2)) }, (_, i) => {
    const rng = rngFor(seed, 'sentence', i);
    const voice = pickVoice(groups, rng);
    return { voice, text: sentences[i % sentences.length], prosody: pickProsody(voice, rng) };
  });
  const speech: Float32Array[] = new Array(plan.length);
  await mapLimit(
    plan.map((p, i) => ({ p, i })),
    jobs,
    async ({ p, i }) => {
      speech[i] = normalizeRms(await render(p.voice, p.text, p.prosody), 0.1);
    },
  );
  tick();
  const babbleNoise = babble(speech, n, rngFor(seed, 'noise', 'babble'), 6);
  const talk = new Float32Array(n);
  const rng = rngFor(seed, 'speech-background');
  let pos = Math.round(rng.uniform(0.2, 1) * TARGET_SAMPLE_RATE);
  for (let i = 0; pos < n; i++) {
    const s = scale(speech[i % speech.length], Math.pow(10, rng.uniform(-6, 6) / 20));
    talk.set(s.subarray(0, Math.min(s.length, n - pos)), pos);
    pos += s.length + Math.round(rng.uniform(0.2, 1.5) * TARGET_SAMPLE_RATE);
  }
  const files: Record<string, Float32Array> = {
    'white_noise.wav': white,
    'pink_noise.wav': pink,
    'brown_noise.wav': brown,
    'babble.wav': babbleNoise,
    'speech_background.wav': talk,
  };
  fs.mkdirSync(path.join(outDir, BACKGROUND_DIR), { recursive: true });
  for (const [name, x] of Object.entries(files)) {
    writeClip(path.join(outDir, BACKGROUND_DIR, name), limitPeak(name.startsWith('speech') ? x : scale(normalizeRms(x), 0.1)));
  }
  tick();
  return { white, pink, brown, babble: babbleNoise, files: Object.keys(files).map((f) => `${BACKGROUND_DIR}/${f}`) };
}

/** validation_list.txt and testing_list.txt, sorted, paths relative to the corpus folder. */
function writeLists(outDir: string, jobs: ClipJob[]): void {
  for (const [split, name] of [
    ['validation', VALIDATION_LIST],
    ['test', TESTING_LIST],
  ] as const) {
    const files = jobs
      .filter((j) => j.split === split)
      .map((j) => j.file)
      .sort();
    fs.writeFileSync(path.join(outDir, name), files.map((f) => `${f}\n`).join(''));
  }
}

interface SummaryInput {
  seed: number;
  perWord: number;
  clipSec: number;
  keywords: string[];
  made: ClipJob[];
  voices: Voice[];
  speakerSplit: Map<string, Split>;
  unknown: { similar: string[]; common: string[] };
  backgroundSec: number;
  squeezed: number;
  silentRenders: string[];
  skipped: string[];
  engines: Engine[];
  versions: ToolVersions;
  files: string[];
  augmentation: AugmentSettings | null;
}

function summarize(x: SummaryInput): SynthSummary {
  const labels = [...x.keywords.map(labelOf), UNKNOWN_LABEL, SILENCE_LABEL];
  const counts: Record<string, Record<Split, number>> = {};
  for (const l of labels) counts[l] = { train: 0, validation: 0, test: 0 };
  for (const j of x.made) counts[j.label][j.split]++;
  const bySplit = <T>(f: (s: Split) => T[]) => Object.fromEntries(SPLITS.map((s) => [s, f(s)])) as Record<Split, T[]>;
  return {
    generator: GENERATOR,
    seed: x.seed,
    sampleRate: TARGET_SAMPLE_RATE,
    clipSec: x.clipSec,
    keywords: x.keywords.map((text) => ({ text, label: labelOf(text) })),
    perWord: x.perWord,
    counts,
    speakers: bySplit((s) =>
      [...x.speakerSplit]
        .filter(([, v]) => v === s)
        .map(([k]) => k)
        .sort(),
    ),
    voices: bySplit((s) => x.voices.filter((v) => x.speakerSplit.get(v.speaker) === s).map((v) => v.id)),
    skippedVoices: x.skipped,
    engines: x.engines,
    toolVersions: x.versions,
    augmentation: x.augmentation,
    unknownWords: x.unknown,
    background: x.files,
    backgroundSec: x.backgroundSec,
    squeezed: x.squeezed,
    silentRenders: x.silentRenders,
  };
}
