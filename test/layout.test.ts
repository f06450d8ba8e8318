/**
 * The tree's rules, checked on the sources' import statements:
 *   - src/ folders are ranked by what they may use (LAYERS, lowest first); a file imports only from
 *     its own folder or a lower one, so imports run one way;
 *   - src/lmu and src/rivals outside their tf/ folders, and src/pipeline, import no tfjs, not even
 *     through another module: the streaming runtimes never load it;
 *   - src/ imports nothing from bench/, scripts/ or test/, and tests import nothing from bench/ or
 *     scripts/ (shared helpers live in test/support).
 */
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');

/** Lowest first. `.` is src/ itself (errors, progress, the package root); index.ts is the public API on top. */
export const LAYERS = [
  '.',
  'audio',
  'features',
  'lmu',
  'lmu/tf',
  'rivals',
  'rivals/tf',
  'model',
  'pipeline',
  'regress',
  'data',
  'synth',
  'eval',
  'mine',
  'cards',
  'train',
  'cli',
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(p);
    return /\.(ts|js)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every module specifier a file names: import/export … from, bare import, import(), require(). */
export function importsOf(text: string): string[] {
  const specs: string[] = [];
  const pattern = /(?:\bfrom\s+|\bimport\s+|\bimport\s*\(\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) specs.push(m[1]);
  return specs;
}

/** The file a relative specifier names, or null for a package. */
function resolveLocal(spec: string, from: string, strict: boolean): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, `${base}.ts`, path.join(base, 'index.ts'), base.replace(/\.js$/, '.ts')]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  if (strict) throw new Error(`${path.relative(ROOT, from)}: cannot resolve '${spec}'`);
  return null; // a path inside a string a test runs elsewhere (a child process's script)
}

/** The folders that hold a streaming runtime's tfjs side, each a layer of its own. */
const TF_LAYERS = ['lmu/tf', 'rivals/tf'];

/** The layer of a file under src/ (its folder, or a TF_LAYERS folder), or null for index.ts. */
function layerOf(file: string): string | null {
  const rel = path.relative(SRC, file);
  if (rel === 'index.ts') return null;
  const dir = path.dirname(rel).split(path.sep).join('/');
  const tf = TF_LAYERS.find((t) => dir === t || dir.startsWith(`${t}/`));
  if (tf) return tf;
  const top = dir.split('/')[0];
  if (!LAYERS.includes(top)) throw new Error(`${rel}: folder '${top}' has no place in LAYERS (test/layout.test.ts)`);
  return top;
}

interface Edge {
  from: string;
  to: string | null;
  spec: string;
}

function edgesOf(files: string[], strict = true): Edge[] {
  return files.flatMap((from) =>
    importsOf(fs.readFileSync(from, 'utf8')).map((spec) => ({ from, spec, to: resolveLocal(spec, from, strict) })),
  );
}

const rel = (f: string) => path.relative(ROOT, f);

describe('layout: imports run one way', () => {
  const srcFiles = sourceFiles(SRC);
  const srcEdges = edgesOf(srcFiles);

  it('finds the imports it checks (the parser is not blind)', () => {
    expect(
      importsOf(`import { a } from './x';\nexport * from '../y';\nimport 'z';\nconst q = await import('./w');\nrequire('v');`),
    ).to.deep.equal(['./x', '../y', 'z', './w', 'v']);
    expect(srcEdges.filter((e) => e.to).length).to.be.greaterThan(200);
  });

  it('no file imports from a higher folder', () => {
    const upward = srcEdges
      .filter((e) => e.to && e.to.startsWith(SRC + path.sep) && layerOf(e.from) !== null)
      .filter((e) => {
        const to = layerOf(e.to!);
        return to === null || LAYERS.indexOf(to) > LAYERS.indexOf(layerOf(e.from)!);
      })
      .map((e) => `${rel(e.from)} → ${rel(e.to!)}`);
    expect(upward).to.deep.equal([]);
  });

  it('src/ imports nothing from bench/, scripts/ or test/', () => {
    const outside = srcEdges.filter((e) => e.to && !e.to.startsWith(SRC + path.sep)).map((e) => `${rel(e.from)} → ${e.spec}`);
    expect(outside).to.deep.equal([]);
  });

  it('tests import nothing from bench/ or scripts/', () => {
    const bad = edgesOf(
      sourceFiles(path.join(ROOT, 'test')).filter((f) => f !== __filename),
      false,
    )
      .filter((e) => e.to && /^(bench|scripts)\//.test(rel(e.to)))
      .map((e) => `${rel(e.from)} → ${rel(e.to!)}`);
    expect(bad).to.deep.equal([]);
  });

  it('src/lmu and src/rivals (outside their tf/) and src/pipeline reach no tfjs, directly or through other modules', () => {
    const byFile = new Map<string, Edge[]>();
    for (const e of srcEdges) byFile.set(e.from, [...(byFile.get(e.from) ?? []), e]);
    const streaming = srcFiles.filter((f) => ['lmu', 'rivals', 'pipeline'].includes(layerOf(f) ?? ''));
    expect(streaming.length).to.be.greaterThan(15);
    const offenders: string[] = [];
    for (const start of streaming) {
      const seen = new Set<string>([start]);
      const queue = [{ file: start, chain: [rel(start)] }];
      while (queue.length) {
        const { file, chain } = queue.shift()!;
        for (const e of byFile.get(file) ?? []) {
          if (e.spec.startsWith('@tensorflow/')) offenders.push(`${chain.join(' → ')} → ${e.spec}`);
          if (e.to && !seen.has(e.to)) {
            seen.add(e.to);
            queue.push({ file: e.to, chain: [...chain, rel(e.to)] });
          }
        }
      }
    }
    expect(offenders).to.deep.equal([]);
  });
});
