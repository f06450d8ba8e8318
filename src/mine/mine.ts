/**
 * `kws mine`: hard-negative mining (issue 15). Runs a model's streaming runtime over hours of
 * negative stream made from training material only (material.ts), and writes every window
 * where a keyword's smoothed posterior crosses thresholdScale × its threshold, and every false
 * alarm (windows.ts), as a `_unknown_` clip of the model's training window, in the Speech
 * Commands layout:
 *
 *   OUT/_unknown_/mined_<n>_nohash_0.wav     the windows, n in stream order
 *   OUT/validation_list.txt, testing_list.txt  empty: every clip is in the train split
 *   OUT/mined_clips.tsv                       where in each window the model fired (its "word")
 *   OUT/mined.json                            model, sources, hours, false alarms, windows
 *
 * `kws train --hard-negatives OUT` then trains on them with more weight. The false alarms at the
 * model's own thresholds, per hour of this stream, are the round's false-alarm rate on training
 * material. With maxClips, the windows with the highest peaks are kept. Deterministic for a seed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TARGET_SAMPLE_RATE } from '../audio/source';
import { ConfigError } from '../errors';
import { MINED_CLIPS_TSV, Split, TESTING_LIST, UNKNOWN_LABEL, VALIDATION_LIST } from '../data/dataset';
import { detectionStream } from '../eval/detectionStream';
import { detectionModel, trainedClipSec } from '../eval/evaluate';
import { loadModelConfig } from '../model/kwsJson';
import { NO_PROGRESS, OnProgress, ProgressStep, READING_CLIPS_STEP, reportBlocks } from '../progress';
import { writeClip } from '../synth/wav';
import { MINE_DEFAULTS } from './defaults';
import { loadMiningMaterial, MiningMaterial } from './material';
import { MinedWindow, mineStream } from './windows';

export const MINED_JSON = 'mined.json';
export const MINE_STREAM_STEP: ProgressStep = { name: 'mine: negative stream', unit: 'h' };

export interface MineOptions {
  negatives?: string[];
  speech?: string[];
  noise?: string[];
  hours?: number;
  thresholdScale?: number;
  /** Keep at most this many windows (the highest peaks); default all. */
  maxClips?: number;
  seed?: number;
  /** Which split's material: only 'train' is allowed (held-out speakers measure false alarms). */
  split?: Split;
  command?: string;
  onProgress?: OnProgress;
}

/** OUT/mined.json. */
export interface MinedRecord {
  model: string;
  command?: string;
  seed: number;
  hours: number;
  thresholdScale: number;
  /** The model's thresholds; windows were kept at thresholdScale × these. */
  thresholds: Record<string, number>;
  clipSec: number;
  sources: { negatives: string[]; speech: string[]; noise: string[]; split: 'train' } & MiningMaterial['counts'];
  /** Events at the model's thresholds: every one is a false alarm (no keyword is in the stream). */
  falseAlarms: { perKeyword: Record<string, number>; total: number; perHour: number };
  windows: { found: number; written: number; perKeyword: Record<string, number>; maxClips: number | null };
  warnings: string[];
}

interface Row {
  file: string;
  window: Omit<MinedWindow, 'audio'>;
}

export async function mineHardNegatives(modelDir: string, outDir: string, o: MineOptions = {}): Promise<MinedRecord> {
  if (o.split !== undefined && o.split !== 'train') {
    throw new ConfigError(
      `--split ${o.split}: kws mine uses training material only (the ${o.split} speakers are where false alarms are measured)`,
    );
  }
  if (!o.speech?.length && !o.negatives?.length) {
    throw new ConfigError('nothing to mine: give --speech and/or --negatives folders (their training split is used)');
  }
  const config = loadModelConfig(modelDir);
  const model = detectionModel(modelDir, config);
  const seed = o.seed ?? MINE_DEFAULTS.seed;
  const hours = o.hours ?? MINE_DEFAULTS.hours;
  const thresholdScale = o.thresholdScale ?? MINE_DEFAULTS.thresholdScale;
  const onProgress = o.onProgress ?? NO_PROGRESS;
  const material = await loadMiningMaterial({ ...o, seed, onClip: (done, total) => onProgress(READING_CLIPS_STEP, done, total) });
  const out = prepareOut(outDir);
  const clipSec = trainedClipSec(config) ?? 1;
  const blocks = detectionStream(material.clips, material.labels, material.noise, material.speech, {
    minutes: hours * 60,
    seed,
    keywordShare: 0,
    speechShare: MINE_DEFAULTS.speechShare,
  });
  const rows: Row[] = [];
  const unknownDir = path.join(out, UNKNOWN_LABEL);
  const mined = mineStream(
    model,
    reportBlocks(blocks, MINE_STREAM_STEP, hours, (b) => b.audio.length / TARGET_SAMPLE_RATE / 3600, onProgress),
    {
      thresholdScale,
      clipSamples: Math.round(clipSec * TARGET_SAMPLE_RATE),
      onWindow: ({ audio, ...window }) => {
        const file = `${UNKNOWN_LABEL}/mined_${rows.length}_nohash_0.wav`;
        fs.mkdirSync(unknownDir, { recursive: true });
        writeClip(path.join(out, file), audio);
        rows.push({ file, window });
      },
    },
  );
  const kept = keepStrongest(rows, o.maxClips, out);
  writeLists(out, kept);
  const total = Object.values(mined.falseAlarms).reduce((a, b) => a + b, 0);
  const record: MinedRecord = {
    model: path.resolve(modelDir),
    ...(o.command && { command: o.command }),
    seed,
    hours: mined.hours,
    thresholdScale,
    thresholds: config.smoother.thresholds,
    clipSec,
    sources: {
      negatives: (o.negatives ?? []).map((d) => path.resolve(d)),
      speech: (o.speech ?? []).map((d) => path.resolve(d)),
      noise: (o.noise ?? []).map((d) => path.resolve(d)),
      split: 'train',
      ...material.counts,
    },
    falseAlarms: { perKeyword: mined.falseAlarms, total, perHour: mined.hours > 0 ? total / mined.hours : 0 },
    windows: { found: rows.length, written: kept.length, perKeyword: mined.windows, maxClips: o.maxClips ?? null },
    warnings: material.warnings,
  };
  fs.writeFileSync(path.join(out, MINED_JSON), JSON.stringify(record, null, 2) + '\n');
  return record;
}

/** OUT, made or emptied of an earlier mining's files; another folder that is not empty is refused. */
function prepareOut(outDir: string): string {
  const out = path.resolve(outDir);
  if (fs.existsSync(out)) {
    if (!fs.statSync(out).isDirectory()) throw new ConfigError(`${outDir}: is a file, expected a folder for the mined clips`);
    const entries = fs.readdirSync(out);
    if (entries.length > 0 && !entries.includes(MINED_JSON))
      throw new ConfigError(`${outDir}: not empty and not written by kws mine (no ${MINED_JSON}); choose a new folder`);
    fs.rmSync(path.join(out, UNKNOWN_LABEL), { recursive: true, force: true });
  }
  fs.mkdirSync(out, { recursive: true });
  return out;
}

/** The `max` rows with the highest peaks (ties: the earlier), in stream order; the others' files are deleted. */
function keepStrongest(rows: Row[], max: number | undefined, out: string): Row[] {
  if (max === undefined || rows.length <= max) return rows;
  const order = rows.map((r, i) => ({ r, i })).sort((a, b) => b.r.window.peak - a.r.window.peak || a.i - b.i);
  const keep = new Set(order.slice(0, max).map((x) => x.i));
  rows.forEach((r, i) => {
    if (!keep.has(i)) fs.rmSync(path.join(out, r.file));
  });
  return rows.filter((_, i) => keep.has(i));
}

/** Empty held-out lists (everything is train) and mined_clips.tsv (dataset.ts reads its word spans). */
function writeLists(out: string, rows: readonly Row[]): void {
  fs.writeFileSync(path.join(out, VALIDATION_LIST), '');
  fs.writeFileSync(path.join(out, TESTING_LIST), '');
  const sec = (samples: number) => (samples / TARGET_SAMPLE_RATE).toFixed(4);
  const lines = rows.map(({ file, window: w }) =>
    [file, w.keyword, w.peak.toFixed(4), sec(w.startSample), '0', sec(w.firedSample)].join('\t'),
  );
  fs.writeFileSync(
    path.join(out, MINED_CLIPS_TSV),
    ['file\tkeyword\tpeak\tstream_start_sec\tword_start_sec\tword_end_sec', ...lines].join('\n') + '\n',
  );
}
