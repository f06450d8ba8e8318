import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareEvents, spanDistance, summarize } from '../src/regress/compare';
import { loadManifest } from '../src/regress/manifest';
import { formatRegressionTable } from '../src/cli/regressTable';
import { ConfigError } from '../src/errors';

const ev = (keyword: string, start: number, end: number, confidence = 0.9) => ({ keyword, start, end, confidence });

describe('regression matching', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-manifest-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('span distance is 0 on overlap, else the gap', () => {
    expect(spanDistance({ start: 1, end: 2 }, { start: 1.5, end: 3 })).to.equal(0);
    expect(spanDistance({ start: 1, end: 2 }, { start: 2.5, end: 3 })).to.equal(0.5);
    expect(spanDistance({ start: 4, end: 4 }, { start: 1, end: 3 })).to.equal(1);
  });

  it('classifies ok, shifted, missed and extra', () => {
    const expected = [
      { keyword: 'yes', start: 1, end: 1.4 },
      { keyword: 'no', start: 3, end: 3.3 },
      { keyword: 'up', start: 6, end: 6.3 },
    ];
    const detected = [ev('yes', 1.2, 1.6), ev('no', 4.5, 4.8), ev('go', 8, 8.3)];
    const out = compareEvents(expected, detected, 0.5);
    expect(out.map((c) => `${c.outcome}:${c.keyword}`)).to.deep.equal(['ok:yes', 'shifted:no', 'missed:up', 'extra:go']);
    expect(out[1].distance).to.be.closeTo(1.2, 1e-9);
    expect(summarize([{ file: 'a', comparisons: out }])).to.include({ ok: 1, shifted: 1, missed: 1, extra: 1, passed: false });
  });

  it('the keyword must match, and each detection is used once', () => {
    const out = compareEvents(
      [
        { keyword: 'yes', start: 1, end: 1.4 },
        { keyword: 'yes', start: 1.5, end: 1.8 },
      ],
      [ev('yes', 1.3, 1.5), ev('no', 1, 1.4)],
      0.5,
    );
    expect(out.filter((c) => c.outcome === 'ok')).to.have.length(1);
    expect(out.filter((c) => c.outcome === 'missed')).to.have.length(1);
    expect(out.filter((c) => c.outcome === 'extra').map((c) => c.keyword)).to.deep.equal(['no']);
  });

  it('a known miss that stays missed passes; one that is found fails as fixed (strict)', () => {
    const expected = [
      { keyword: 'yes', start: 1, end: 1.4 },
      { keyword: 'go', start: 3, end: 3.3, knownMiss: 'model misses it' },
    ];
    const still = compareEvents(expected, [ev('yes', 1.2, 1.6)], 0.5);
    expect(still.map((c) => c.outcome)).to.deep.equal(['ok', 'known-miss']);
    expect(summarize([{ file: 'a', comparisons: still }])).to.include({ ok: 1, 'known-miss': 1, missed: 0, passed: true });
    expect(formatRegressionTable([{ file: 'a', comparisons: still }], 0.5)).to.match(
      /PASS: 1 ok, 0 missed, 0 shifted, 0 extra, 1 known misses/,
    );
    const found = compareEvents(expected, [ev('yes', 1.2, 1.6), ev('go', 3.2, 3.5)], 0.5);
    expect(found.map((c) => c.outcome)).to.deep.equal(['ok', 'fixed']);
    expect(summarize([{ file: 'a', comparisons: found }]).passed).to.equal(false);
    expect(formatRegressionTable([{ file: 'a', comparisons: found }], 0.5)).to.match(/FAIL: .*1 fixed \(drop their knownMiss\)/);
  });

  it('all found within tolerance passes; a table says PASS/FAIL', () => {
    const out = compareEvents([{ keyword: 'yes', start: 1, end: 1.4 }], [ev('yes', 1.5, 1.8)], 0.5);
    const reports = [
      { file: 'a.wav', comparisons: out },
      { file: 'noise.wav', comparisons: [] },
    ];
    expect(summarize(reports).passed).to.equal(true);
    const table = formatRegressionTable(reports, 0.5);
    expect(table).to.match(/PASS: 1 ok, 0 missed, 0 shifted, 0 extra/);
    expect(table).to.contain('noise.wav');
    const failing = formatRegressionTable([{ file: 'b.wav', comparisons: [], error: 'b.wav: not a WAV' }], 0.5);
    expect(failing).to.match(/FAIL: .*1 unreadable/);
  });

  it('loads manifests with time or start/end, relative paths, and rejects bad ones', () => {
    const file = path.join(dir, 'm.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        tolerance: 0.3,
        files: [
          {
            file: 'a.wav',
            events: [
              { keyword: 'yes', time: 2 },
              { keyword: 'no', start: 3, end: 3.5 },
            ],
          },
        ],
      }),
    );
    const m = loadManifest(file);
    expect(m.tolerance).to.equal(0.3);
    expect(m.files[0].file).to.equal(path.join(dir, 'a.wav'));
    expect(m.files[0].events).to.deep.equal([
      { keyword: 'yes', start: 2, end: 2 },
      { keyword: 'no', start: 3, end: 3.5 },
    ]);
    const badCases = [
      {},
      { files: [{ events: [] }] },
      { files: [{ file: 'a.wav' }] },
      { files: [{ file: 'a.wav', events: [{ keyword: 'yes' }] }] },
      { files: [{ file: 'a.wav', events: [{ keyword: 'yes', time: 1, knownMiss: '' }] }] },
    ];
    for (const bad of badCases) {
      fs.writeFileSync(file, JSON.stringify(bad));
      expect(() => loadManifest(file), JSON.stringify(bad)).to.throw(ConfigError, /m\.json/);
    }
    fs.writeFileSync(file, '{oops');
    expect(() => loadManifest(file)).to.throw(ConfigError, /not valid JSON/);
    expect(() => loadManifest(path.join(dir, 'none.json'))).to.throw(ConfigError, /no such manifest/);
  });
});
