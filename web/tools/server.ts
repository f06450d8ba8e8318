/**
 * The demo's web server (node:http, GET and HEAD only, 127.0.0.1): the browser build at /, the
 * model directories at /models/<name>/ (read-only, straight from models/) and /models.json, the
 * list of them the page offers. Nothing outside those folders is reachable.
 */
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { WEB_DIST } from './build';

const ROOT = path.resolve(__dirname, '..', '..');
export const MODELS_DIR = path.join(ROOT, 'models');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.md': 'text/markdown; charset=utf-8',
};

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

/** Model directories (those with a kws.json) under `modelsDir`, as the page lists them. */
export function modelList(modelsDir = MODELS_DIR): { name: string; url: string }[] {
  return fs
    .readdirSync(modelsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(modelsDir, e.name, 'kws.json')))
    .map((e) => ({ name: e.name, url: `models/${e.name}/` }))
    .sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

/** The file under `root` that a URL path names, or null for anything outside it. */
function inside(root: string, urlPath: string): string | null {
  const file = path.resolve(root, `.${path.posix.normalize(`/${urlPath}`)}`);
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

/** Serves until close(); `port` 0 picks a free one. */
export function serveWeb(options: { port?: number; dist?: string; modelsDir?: string } = {}): Promise<WebServer> {
  const dist = options.dist ?? WEB_DIST;
  const modelsDir = options.modelsDir ?? MODELS_DIR;
  const server = http.createServer((req, res) => {
    const fail = (code: number, text: string) => res.writeHead(code, { 'content-type': 'text/plain' }).end(`${text}\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'read-only');
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return fail(400, 'bad path');
    }
    if (urlPath === '/models.json') {
      return res.writeHead(200, { 'content-type': TYPES['.json'] }).end(JSON.stringify(modelList(modelsDir)));
    }
    let file = urlPath.startsWith('/models/') ? inside(modelsDir, urlPath.slice('/models/'.length)) : inside(dist, urlPath);
    if (file && fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) return fail(404, 'not found');
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
