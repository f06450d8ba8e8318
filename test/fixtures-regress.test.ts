/**
 * The product's acceptance test: the shipped model passes the generated regression fixtures.
 * It needs the trained models/default; without it this test FAILS (on purpose: a release
 * without its model is broken), it does not skip.
 */
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

describe('kws regress fixtures/manifest.json (shipped model)', function () {
  this.timeout(120000);

  it('finds every fixture keyword and nothing else', () => {
    const config = path.join(ROOT, 'models', 'default', 'kws.json');
    if (!fs.existsSync(config)) {
      expect.fail(`${config} is missing: train and commit the shipped model (issue 4) before this test can pass`);
    }
    const r = spawnSync(process.execPath, ['bin/kws.js', 'regress', 'fixtures/manifest.json'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, `kws regress failed:\n${r.stdout}${r.stderr}`).to.equal(0);
    expect(r.stdout).to.match(/^PASS: /m);
  });
});
