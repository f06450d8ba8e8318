/** kws synth's per-clip log (synth_clips.tsv) of a corpus, as a header and rows of cells. */
import * as fs from 'fs';
import * as path from 'path';
import { SYNTH_CLIPS_TSV } from '../../src/data/dataset';

export function readSynthClips(corpus: string): { header: string[]; clips: string[][] } {
  const [header, ...clips] = fs
    .readFileSync(path.join(corpus, SYNTH_CLIPS_TSV), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  return { header, clips };
}
