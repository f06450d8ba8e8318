/**
 * The npm package as a user gets it: `npm pack` (which builds dist/ through `prepare`), the
 * tarball installed into a fresh project, and README's Library example copied out of README.md
 * and run unchanged — as an ES module by plain node, and as a CommonJS .ts file that tsc compiles
 * against the shipped types. One install serves both: the esm/ and cjs/ folders inside the project
 * each have their own package.json "type" and resolve lmu-kws from the project's node_modules.
 */
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openAudio } from '../src/audio/open';
import { KeywordSpotter } from '../src/pipeline/spotter';
import { DEMO_WAV, demoKeywords, ROOT } from './support/pipeline';

const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** Runs a command to completion; a non-zero exit fails the test with the command's output. */
function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  expect(r.status, `${cmd} ${args.join(' ')} in ${cwd}:\n${r.stdout}\n${r.stderr}`).to.equal(0);
  return r.stdout;
}

/** The first ```ts block of README's "## Library" section: the example users copy. */
function readmeLibraryExample(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Library\n'));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README.md: no ```ts block in the Library section');
  return block[1];
}

/** The keyword of each line the example prints ("keyword start end confidence"). */
const keywordsOf = (printed: string) =>
  printed
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ')[0]);

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

describe('kws --version', () => {
  it("prints package.json's version and exits 0", () => {
    expect(run(process.execPath, [path.join(ROOT, 'bin', 'kws.js'), '--version'], ROOT)).to.equal(`${VERSION}\n`);
  });
});

describe('npm package (pack, install into a fresh project, README example)', function () {
  this.timeout(600000);
  let tmp: string;
  let project: string;
  let tarball: string;
  let expected: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-package-test-'));
    run('npm', ['pack', '--pack-destination', tmp], ROOT);
    tarball = path.join(tmp, `lmu-kws-${VERSION}.tgz`);
    project = path.join(tmp, 'project');
    fs.mkdirSync(project);
    writeJson(path.join(project, 'package.json'), { name: 'consumer', version: '1.0.0', private: true });
    // Tarballs come from the npm cache that `npm ci` filled; the registry is asked only for what is missing.
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project);

    // What the example must print: the events of this checkout's own library, one per line.
    const spotter = await KeywordSpotter.load();
    const lines: string[] = [];
    for await (const e of spotter.detect(await openAudio(DEMO_WAV))) lines.push([e.keyword, e.start, e.end, e.confidence].join(' '));
    expected = lines.map((l) => `${l}\n`).join('');
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the tarball holds the built JavaScript, its types, the CLI, the shipped models and their split groups, not the sources', () => {
    const files = run('tar', ['-tzf', tarball], tmp).split('\n');
    for (const f of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/main.js',
      'bin/kws.js',
      'models/default/kws.json',
      'models/default/runtime.json',
      'splits/wakewords.json',
      'README.md',
      'LICENSE',
      'package.json',
    ]) {
      expect(files, f).to.include(`package/${f}`);
    }
    expect(files.filter((f) => /^package\/(src|test|scripts|bench|fixtures)\//.test(f))).to.deep.equal([]);
  });

  it('the expected events are the fixture keywords of demo.wav', () => {
    const keywords = demoKeywords();
    expect(keywords.length).to.be.greaterThan(0);
    expect(keywordsOf(expected)).to.deep.equal(keywords);
  });

  it('README example, unchanged, as an ES module ("type": "module", plain node)', () => {
    const dir = path.join(project, 'esm');
    fs.mkdirSync(dir);
    writeJson(path.join(dir, 'package.json'), { type: 'module' });
    fs.writeFileSync(path.join(dir, 'example.js'), readmeLibraryExample());
    expect(run(process.execPath, ['example.js', DEMO_WAV], dir)).to.equal(expected);
  });

  it('README example, unchanged, as a CommonJS .ts file: tsc checks it against the shipped types, node runs it', () => {
    const dir = path.join(project, 'cjs');
    fs.mkdirSync(dir);
    writeJson(path.join(dir, 'package.json'), { type: 'commonjs' });
    writeJson(path.join(dir, 'tsconfig.json'), {
      compilerOptions: { module: 'node16', target: 'es2022', strict: true, skipLibCheck: true },
      files: ['example.ts'],
    });
    fs.writeFileSync(path.join(dir, 'example.ts'), readmeLibraryExample());
    run(process.execPath, [TSC, '-p', '.'], dir);
    expect(fs.readFileSync(path.join(dir, 'example.js'), 'utf8')).to.match(/require\("lmu-kws"\)/);
    expect(run(process.execPath, ['example.js', DEMO_WAV], dir)).to.equal(expected);
  });

  it('the installed kws runs from dist: --version, detect', () => {
    const kws = path.join(project, 'node_modules', '.bin', 'kws');
    expect(run(kws, ['--version'], project)).to.equal(`${VERSION}\n`);
    const events = run(kws, ['detect', DEMO_WAV, '--json'], project).split('\n').filter(Boolean);
    expect(events.map((l) => JSON.parse(l).keyword)).to.deep.equal(keywordsOf(expected));
  });
});
