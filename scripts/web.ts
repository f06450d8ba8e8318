/**
 * `npm run web [-- --port 8080]`: builds the browser bundle (web/tools/build.ts) and serves the
 * demo page, the bundle and models/ read-only on 127.0.0.1, printing the URL. Ctrl-C stops it.
 */
import { buildWeb } from '../web/tools/build';
import { serveWeb } from '../web/tools/server';

async function main(): Promise<void> {
  const at = process.argv.indexOf('--port');
  const port = at >= 0 ? Number(process.argv[at + 1]) : 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${process.argv[at + 1]}`);
  const build = await buildWeb();
  const kb = (n: number) => `${(n / 1024).toFixed(0)} kB`;
  const sizes = Object.entries(build.files).filter(([f]) => !f.endsWith('.map'));
  process.stderr.write(`built ${build.outDir}: ${sizes.map(([f, n]) => `${f} ${kb(n)}`).join(', ')}\n`);
  const server = await serveWeb({ port });
  process.stdout.write(`lmu-kws demo: ${server.url}  (Ctrl-C to stop)\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`web: ${(err as Error).message}\n`);
  process.exit(1);
});
