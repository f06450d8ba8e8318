/**
 * `kws groups`' work: the split groups of a data folder without speaker labels (splitGroups.ts) —
 * in each word folder, the copies of one recording (sameRecording.ts) and, with `runBlock`, the
 * runs of consecutively numbered files one speaker recorded together.
 */
import * as path from 'path';
import { mapLimit } from '../arrays';
import { audioFolders, listAudio, readClip } from './dataset';
import { findCopies, groupsOf, SAME_RECORDING_DEFAULTS, SameRecordingOptions } from './sameRecording';
import { numberedRuns, SplitGroupsFile } from './splitGroups';
import { NO_PROGRESS, OnProgress, READING_CLIPS_STEP } from '../progress';

export interface GroupOptions extends Partial<SameRecordingOptions> {
  /** Files named by whole numbers go in blocks of this many consecutive numbers (0: no runs). */
  runBlock?: number;
  /** The command line, recorded in the file. */
  command?: string;
  onProgress?: OnProgress;
  onWarning?: (line: string) => void;
}

/** What one word folder holds. */
export interface FolderGroups {
  folder: string;
  files: number;
  /** Distinct takes: files less the extra copies. */
  takes: number;
  copyGroups: number;
  largestCopyGroup: number;
  runs: number;
}

/** Decodes at most this many files at once. */
const DECODE_CONCURRENCY = 4;

export async function groupRecordings(root: string, o: GroupOptions = {}): Promise<{ groups: SplitGroupsFile; folders: FolderGroups[] }> {
  const onProgress = o.onProgress ?? NO_PROGRESS;
  const folders = audioFolders(root, root).map((folder) => ({ folder, files: listAudio(path.join(root, folder)) }));
  const total = folders.reduce((s, f) => s + f.files.length, 0);
  let done = 0;
  const sameRecording: string[][] = [];
  const sameSpeaker: string[][] = [];
  const summary: FolderGroups[] = [];
  for (const { folder, files } of folders) {
    const clips = await mapLimit(files, DECODE_CONCURRENCY, async (file) => {
      const clip = await readClip(path.join(root, folder, file), o.onWarning);
      onProgress(READING_CLIPS_STEP, ++done, total);
      return clip;
    });
    const rels = files.map((f) => `${folder}/${f}`);
    const copies = groupsOf(findCopies(clips, o)).map((g) => g.map((i) => rels[i]));
    const runs = o.runBlock ? numberedRuns(rels, o.runBlock) : [];
    sameRecording.push(...copies);
    sameSpeaker.push(...runs);
    summary.push({
      folder,
      files: files.length,
      takes: files.length - copies.reduce((s, g) => s + g.length - 1, 0),
      copyGroups: copies.length,
      largestCopyGroup: Math.max(0, ...copies.map((g) => g.length)),
      runs: runs.length,
    });
  }
  const r = { ...SAME_RECORDING_DEFAULTS, ...o };
  return {
    groups: {
      about:
        `Recordings of ${path.basename(path.resolve(root))} that must share a split: copies of one take (waveform cross-correlation ≥ ${r.minCorrelation}; ` +
        `the first is kept, the others skipped)${o.runBlock ? ` and runs of consecutively numbered files (blocks of ${o.runBlock}), taken as one speaker's` : ''}. ` +
        'Paths relative to the data folder; kws train --groups reads it.',
      command: o.command ?? '',
      sameRecording,
      sameSpeaker,
    },
    folders: summary,
  };
}
