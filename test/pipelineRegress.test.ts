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
    expect(formatRegressionTable([{ file: 'a', comparisons: found }], 0.5)).to.match(
      /FAIL: .*1 fixed \(drop their knownMiss \/ knownFalseAlarms entry\)/,
    );
  });

  const westWind = { keyword: 'left', start: 4.4, end: 5.2, why: 'fires on the weather talk' };

  it('a known false alarm that fires passes; one that no longer fires fails as fixed (strict)', () => {
    for (const detection of [ev('left', 4.69, 4.92), ev('left', 5.5, 5.7)]) {
      const fires = compareEvents([], [detection], 0.5, [westWind]);
      expect(fires).to.deep.equal([
        {
          outcome: 'known-false-alarm',
          keyword: 'left',
          detected: detection,
          knownFalseAlarm: westWind,
          distance: spanDistance(westWind, detection),
        },
      ]);
      expect(summarize([{ file: 'a', comparisons: fires }])).to.include({ 'known-false-alarm': 1, extra: 0, fixed: 0, passed: true });
    }
    const table = formatRegressionTable([{ file: 'a', comparisons: compareEvents([], [ev('left', 4.69, 4.92)], 0.5, [westWind]) }], 0.5);
    expect(table).to.match(/KNOWN-FALSE-ALARM\s+left\s+4\.40–5\.20\s+4\.69–4\.92/);
    expect(table).to.match(/PASS: 0 ok, 0 missed, 0 shifted, 0 extra, 1 known false alarms/);
    const gone = compareEvents([], [], 0.5, [westWind]);
    expect(gone).to.deep.equal([{ outcome: 'fixed', keyword: 'left', knownFalseAlarm: westWind }]);
    expect(summarize([{ file: 'a', comparisons: gone }])).to.include({ fixed: 1, 'known-false-alarm': 0, passed: false });
    const goneTable = formatRegressionTable([{ file: 'a', comparisons: gone }], 0.5);
    expect(goneTable).to.match(/FIXED\s+left\s+4\.40–5\.20\s+—/);
    expect(goneTable).to.match(/FAIL: .*1 fixed \(drop their knownMiss \/ knownFalseAlarms entry\)/);
  });

  it('a known false alarm absorbs one detection of its keyword within tolerance, after the expected events', () => {
    const outcomes = (expected: Parameters<typeof compareEvents>[0], detected: ReturnType<typeof ev>[]) =>
      compareEvents(expected, detected, 0.5, [westWind]).map(
        (c) => `${c.outcome}:${c.keyword}@${(c.detected ?? c.expected ?? c.knownFalseAlarm)!.start}`,
      );
    // another keyword, or beyond the tolerance (0.6 s away): still extra
    expect(outcomes([], [ev('right', 4.6, 4.9)])).to.deep.equal(['fixed:left@4.4', 'extra:right@4.6']);
    expect(outcomes([], [ev('left', 5.8, 6)])).to.deep.equal(['fixed:left@4.4', 'extra:left@5.8']);
    // each known false alarm is used once, closest first
    expect(outcomes([], [ev('left', 3.8, 4), ev('left', 4.5, 4.7)])).to.deep.equal(['extra:left@3.8', 'known-false-alarm:left@4.5']);
    // an expected event takes the detection first
    expect(outcomes([{ keyword: 'left', start: 4.6, end: 5 }], [ev('left', 4.7, 4.9)])).to.deep.equal(['fixed:left@4.4', 'ok:left@4.7']);
    expect(outcomes([{ keyword: 'left', start: 4.6, end: 5 }], [ev('left', 4.7, 4.9), ev('left', 5.1, 5.3)])).to.deep.equal([
      'ok:left@4.7',
      'known-false-alarm:left@5.1',
    ]);
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

  it('loads knownFalseAlarms with time or start/end, and rejects bad ones', () => {
    const file = path.join(dir, 'm.json');
    const write = (knownFalseAlarms: unknown) =>
      fs.writeFileSync(
        file,
        JSON.stringify({
          files: [
            { file: 'a.wav', events: [], knownFalseAlarms },
            { file: 'b.wav', events: [] },
          ],
        }),
      );
    write([
      { keyword: 'left', time: 4.8, why: 'w' },
      { keyword: 'up', start: 1, end: 1.5, why: 'u' },
    ]);
    const m = loadManifest(file);
    expect(m.files[0].knownFalseAlarms).to.deep.equal([
      { keyword: 'left', start: 4.8, end: 4.8, why: 'w' },
      { keyword: 'up', start: 1, end: 1.5, why: 'u' },
    ]);
    expect(m.files[1].knownFalseAlarms).to.deep.equal([]);
    const badCases: Array<[unknown, RegExp]> = [
      [{ keyword: 'left', time: 1, why: 'w' }, /files\[0\] \(a\.wav\): "knownFalseAlarms" must be an array/],
      [[{ keyword: 'left', time: 1 }], /files\[0\]\.knownFalseAlarms\[0\] needs a "why"/],
      [[{ keyword: 'left', time: 1, why: ' ' }], /knownFalseAlarms\[0\] needs a "why"/],
      [[{ keyword: 'left', time: 1, why: 3 }], /knownFalseAlarms\[0\] needs a "why"/],
      [[{ time: 1, why: 'w' }], /knownFalseAlarms\[0\] needs a "keyword"/],
      [[{ keyword: 7, time: 1, why: 'w' }], /knownFalseAlarms\[0\] needs a "keyword"/],
      [[null], /knownFalseAlarms\[0\] needs a "keyword"/],
      [[{ keyword: 'left', why: 'w' }], /knownFalseAlarms\[0\] needs "time" or "start" ≤ "end"/],
      [[{ keyword: 'left', start: 2, end: 1, why: 'w' }], /knownFalseAlarms\[0\] needs "time" or "start" ≤ "end"/],
    ];
    for (const [bad, message] of badCases) {
      write(bad);
      expect(() => loadManifest(file), JSON.stringify(bad))
        .to.throw(ConfigError, /m\.json/)
        .with.property('message')
        .that.matches(message);
    }
  });
});
