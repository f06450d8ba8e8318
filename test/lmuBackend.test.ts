import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as path from 'path';

const root = path.join(__dirname, '..');
/** Runs a snippet in a fresh node (tsx) process so module loading is observable. */
function runNode(code: string) {
  return spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', code], { cwd: root, encoding: 'utf8', timeout: 60000 });
}

describe('lmu backend selection and tfjs isolation', function () {
  this.timeout(60000);

  it('src/index.ts and the streaming runtime load no tfjs module', () => {
    const r = runNode(`require('./src/index'); require('./src/lmu/runtime');
      const tfMods = Object.keys(require.cache).filter((k) => k.includes('@tensorflow'));
      console.log(JSON.stringify(tfMods.length));`);
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout.trim())).to.equal(0);
  });

  it('initTf() takes tfjs-node if present, else wasm, and says which on stderr once', () => {
    let nodeInstalled = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      nodeInstalled = false;
    }
    const r = runNode(`const { initTf } = require('./src/lmu/tf/backend');
      (async () => { const a = await initTf(); const b = await initTf('cpu'); console.log(a.backend + ' ' + b.backend + ' ' + a.tf.getBackend()); })();`);
    expect(r.status, r.stderr).to.equal(0);
    const expected = nodeInstalled ? 'tensorflow' : 'wasm';
    expect(r.stdout.trim()).to.equal(`${expected} cpu cpu`);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('tfjs backend:'));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(new RegExp(`^tfjs backend: ${expected}`));
  });

  it('quiet: true does not announce the backend', () => {
    const r = runNode(`require('./src/lmu/tf/backend').initTf('cpu', { quiet: true }).then((x) => console.log(x.backend))`);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal('cpu');
    expect(r.stderr).to.not.contain('tfjs backend:');
  });
});
