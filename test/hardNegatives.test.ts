/**
 * kws train --hard-negatives: the mined clips join the training `_unknown_` clips (never
 * validation or test, whatever the folder's lists say) and their frame weights carry the weight.
 */
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadTrainingData, SequenceBatcher } from '../src/data/clips';
import { DEFAULT_HARD_NEGATIVE_WEIGHT, MINED_CLIPS_TSV, TESTING_LIST, UNKNOWN_LABEL, VALIDATION_LIST } from '../src/data/dataset';
import { NO_AUGMENTATION } from '../src/data/sequence';
import { resolveFeatureConfig } from '../src/features/config';
import { writeClip } from '../src/synth/wav';

const FS = 16000;

function clip(file: string, samples: number, level: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const x = new Float32Array(samples);
  for (let i = samples >> 2; i < (3 * samples) >> 2; i++) x[i] = level * Math.sin(i / 3);
  writeClip(file, x);
}

describe('hard negatives in training', function () {
  this.timeout(30000);
  let root: string;
  let hard: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-hard-'));
    for (const w of ['yes', 'no']) for (let i = 0; i < 10; i++) clip(path.join(root, 'data', w, `s${i}_nohash_0.wav`), FS, 0.2);
    hard = path.join(root, 'mined');
    for (let i = 0; i < 5; i++) clip(path.join(hard, UNKNOWN_LABEL, `mined_${i}_nohash_0.wav`), FS, 0.1);
    // a folder that holds held-out clips too: those stay out of every split
    fs.writeFileSync(path.join(hard, VALIDATION_LIST), `${UNKNOWN_LABEL}/mined_3_nohash_0.wav\n`);
    fs.writeFileSync(path.join(hard, TESTING_LIST), `${UNKNOWN_LABEL}/mined_4_nohash_0.wav\n`);
    fs.writeFileSync(
      path.join(hard, MINED_CLIPS_TSV),
      `file\tkeyword\tpeak\tstream_start_sec\tword_start_sec\tword_end_sec\n${UNKNOWN_LABEL}/mined_0_nohash_0.wav\tyes\t0.5\t3\t0\t0.6\n`,
    );
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('adds the training clips of the folder to train only, as weighted _unknown_ clips', async () => {
    const data = await loadTrainingData(path.join(root, 'data'), { keywords: ['yes', 'no'], hardNegatives: [hard], hardNegativeWeight: 3 });
    const isHard = (p: string) => p.startsWith(hard + path.sep);
    const train = data.dataset.splits.train.filter((c) => isHard(c.path));
    expect(train.map((c) => path.basename(c.path)).sort()).to.deep.equal([
      'mined_0_nohash_0.wav',
      'mined_1_nohash_0.wav',
      'mined_2_nohash_0.wav',
    ]);
    for (const c of train) expect(c).to.include({ label: UNKNOWN_LABEL, weight: 3 });
    expect([...data.dataset.splits.validation, ...data.dataset.splits.test].filter((c) => isHard(c.path))).to.have.length(0);
    const weighted = data.clips.train.filter((c) => c.weight !== undefined);
    expect(weighted).to.have.length(3);
    // the span kws mine recorded is the clip's "word": training's _unknown_ targets follow where the model fired
    const spanned = train.find((c) => path.basename(c.path) === 'mined_0_nohash_0.wav')!;
    expect(spanned.wordSec).to.deep.equal({ startSec: 0, endSec: 0.6 });
    expect(data.dataset.hardNegatives).to.deep.equal([hard]);
    const byDefault = await loadTrainingData(path.join(root, 'data'), { keywords: ['yes', 'no'], hardNegatives: [hard] });
    for (const c of byDefault.clips.train.filter((x) => x.weight !== undefined)) expect(c.weight).to.equal(DEFAULT_HARD_NEGATIVE_WEIGHT);
  });

  it("multiplies every frame weight of a hard negative's sequence by the weight", async () => {
    const data = await loadTrainingData(path.join(root, 'data'), { keywords: ['yes', 'no'], hardNegatives: [hard], hardNegativeWeight: 3 });
    const batcher = new SequenceBatcher(data, resolveFeatureConfig({}), null);
    batcher.balanceClasses(data.clips.train, 1); // class weights on: the clip's weight multiplies them too
    const mined = data.clips.train.find((c) => c.weight === 3)!;
    const weighted = batcher.batch([mined], NO_AUGMENTATION, 1, 'w');
    const plain = batcher.batch([{ ...mined, weight: undefined }], NO_AUGMENTATION, 1, 'w');
    expect(plain.w.some((w) => w > 0)).to.equal(true);
    for (let t = 0; t < plain.w.length; t++) expect(weighted.w[t]).to.be.closeTo(3 * plain.w[t], 1e-6);
    expect(Array.from(weighted.y)).to.deep.equal(Array.from(plain.y));
  });

  it('keeps hard negatives under --max-per-label: they count apart from the other _unknown_ clips', async () => {
    const data = await loadTrainingData(path.join(root, 'data'), { keywords: ['yes', 'no'], hardNegatives: [hard], maxPerLabel: 2 });
    expect(data.clips.train.filter((c) => c.weight !== undefined)).to.have.length(2);
  });
});
