/**
 * Hostile files: seeded mutations of valid WAVs (and a FLAC) must each end in valid audio or one
 * clear KwsError — never an uncaught exception, a hang, a sample outside [-1, 1] or a stack trace.
 * The long form is `npm run fuzz` (10 000 cases); a failure prints the command reproducing it.
 */
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { describeFailures, fuzzBases, readOneFile, runFuzz } from './support/fuzzRun';
import { fuzzCase, headerBoundaries, wavBases } from './support/fuzzWav';
import { writeTemp } from './support/wav';
import { makeEnergyModel, ROOT } from './support/pipeline';

const SEED = 20261125;

describe('hostile input: fuzzed audio files', function () {
  this.timeout(60000);

  it('cases are reproducible from (seed, index)', () => {
    const bases = wavBases();
    for (const i of [0, 17, 999]) {
      const a = fuzzCase(bases, SEED, i);
      const b = fuzzCase(bases, SEED, i);
      expect(a.label).to.equal(b.label);
      expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).to.equal(true);
    }
    expect(fuzzCase(bases, SEED, 1).label).not.to.equal(fuzzCase(bases, SEED + 1, 1).label);
  });

  it('1200 mutated WAV/FLAC files: each gives valid audio or one clear error, none hangs', async () => {
    const summary = await runFuzz({ seed: SEED, cases: 1200, timeoutMs: 5000 });
    expect(summary.failures, describeFailures(summary.failures)).to.deep.equal([]);
    // Both outcomes occur, so the mutations neither all break nor all miss the parser.
    expect(summary.counts.audio).to.be.greaterThan(100);
    expect(summary.counts['error:AudioFormatError']).to.be.greaterThan(100);
  });

  it('every base cut at every header field boundary: an AudioFormatError, or (warned) audio once the header is complete', async () => {
    let cuts = 0;
    for (const base of fuzzBases(false)) {
      const dataStart = Buffer.from(base.bytes).indexOf('data') + 8;
      for (const at of headerBoundaries(base.bytes)) {
        const file = writeTemp(`cut-${base.name}-${at}.wav`, base.bytes.slice(0, at));
        const outcome = await readOneFile(file, 5000);
        expect(outcome.kind, `${base.name} cut at ${at}: ${outcome.detail}`).to.equal(at >= dataStart ? 'audio' : 'error');
        cuts++;
      }
    }
    expect(cuts).to.be.greaterThan(100);
  });

  it('kws detect on fuzzed files: one "kws:" line per bad file, the good ones processed, no stack trace', async () => {
    const model = await makeEnergyModel();
    const bases = fuzzBases(true);
    const files: string[] = [];
    let bad = 0;
    for (let i = 0; files.length < 12; i++) {
      const c = fuzzCase(bases, SEED + 1, i);
      const file = writeTemp(`cli-fuzz-${i}.wav`, c.bytes);
      const outcome = await readOneFile(file, 5000);
      if (outcome.kind === 'error' && bad >= 8) continue; // keep some files that read
      if (outcome.kind === 'error') bad++;
      files.push(file);
    }
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kws.js'), 'detect', '--model', model, ...files], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.stderr).not.to.match(/^\s+at /m);
    expect(r.stderr).not.to.match(/internal error|Error:/);
    const errorLines = r.stderr.split('\n').filter((l) => l.startsWith('kws: '));
    expect(errorLines, r.stderr).to.have.length(bad);
    for (const l of errorLines)
      expect(
        files.some((f) => l.startsWith(`kws: ${f}: `)),
        l,
      ).to.equal(true);
    expect(r.status).to.equal(bad ? 1 : 0);
  });
});
