import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DATA_ROOT_ENV, DEFAULT_DATA_ROOT, dataPath, dataRoot, shownDataPath } from '../src/data/dataRoot';
import { missingDataReason } from './support/sharedData';

const root = path.resolve(__dirname, '..');

/** Runs the fixture spec in its own mocha with KWS_DATA = dataDir. */
function runFixture(dataDir: string): { status: number | null; out: string } {
  const mocha = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
  const r = spawnSync(process.execPath, [mocha, 'test/support/needsData.fixture.ts'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, [DATA_ROOT_ENV]: dataDir },
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('data folder: KWS_DATA, and tests that need it', function () {
  this.timeout(60000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-data-root-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is $KWS_DATA (relative to the current directory), else shared/data beside the repository', () => {
    expect(DEFAULT_DATA_ROOT).to.equal(path.resolve(root, '..', 'shared', 'data'));
    expect(dataRoot({})).to.equal(DEFAULT_DATA_ROOT);
    expect(dataRoot({ [DATA_ROOT_ENV]: '' })).to.equal(DEFAULT_DATA_ROOT);
    expect(dataRoot({ [DATA_ROOT_ENV]: '/data/kws' })).to.equal('/data/kws');
    expect(dataRoot({ [DATA_ROOT_ENV]: 'rel/data' })).to.equal(path.resolve('rel/data'));
  });

  it('shows a path inside the data folder as $KWS_DATA/…, any other path as it is', () => {
    expect(shownDataPath(dataPath('speech_commands'))).to.equal('$KWS_DATA/speech_commands');
    expect(shownDataPath('/elsewhere/clips')).to.equal('/elsewhere/clips');
  });

  it('without the data, the tests that need it are pending with the missing folder on their line, and nothing fails', () => {
    const { status, out } = runFixture(tmp);
    expect(status, out).to.equal(0);
    expect(out).to.include(`- reads probe/a — ${missingDataReason(path.join(tmp, 'probe', 'a'))}`);
    for (const t of ['first', 'second']) expect(out).to.include(`- ${t} — ${missingDataReason(path.join(tmp, 'probe', 'b'))}`);
    expect(out).to.match(/1 passing/);
    expect(out).to.match(/3 pending/);
    expect(out).to.not.match(/failing/);
  });

  it('with the data, they run', () => {
    const full = path.join(tmp, 'full');
    for (const d of ['a', 'b']) fs.mkdirSync(path.join(full, 'probe', d), { recursive: true });
    const { status, out } = runFixture(full);
    expect(status, out).to.equal(0);
    expect(out).to.match(/4 passing/);
    expect(out).to.not.match(/pending/);
  });
});
