/**
 * Bundles the browser build with esbuild: web/main.ts (the demo page), web/webSpotter.ts (the
 * page-side library), web/worker.ts (the spotter: src/ pipeline, decoders, resampler) and
 * web/capture.worklet.ts, as ES modules, plus index.html, into `outDir` (default web/dist).
 * platform 'browser' with no Node shims: a Node module reached from src/ fails the build.
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';

export const WEB_DIR = path.resolve(__dirname, '..');
export const WEB_DIST = path.join(WEB_DIR, 'dist');

export interface WebBuild {
  outDir: string;
  /** Output files and their sizes in bytes. */
  files: Record<string, number>;
}

export async function buildWeb(outDir = WEB_DIST, options: { minify?: boolean } = {}): Promise<WebBuild> {
  fs.mkdirSync(outDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: ['main.ts', 'webSpotter.ts', 'worker.ts', 'capture.worklet.ts'].map((f) => path.join(WEB_DIR, f)),
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? true,
    sourcemap: true,
    metafile: true,
    logLevel: 'silent',
  });
  fs.copyFileSync(path.join(WEB_DIR, 'index.html'), path.join(outDir, 'index.html'));
  const files: Record<string, number> = { 'index.html': fs.statSync(path.join(outDir, 'index.html')).size };
  for (const [file, out] of Object.entries(result.metafile.outputs)) files[path.relative(outDir, file)] = out.bytes;
  return { outDir, files };
}
