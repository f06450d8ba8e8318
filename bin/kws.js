#!/usr/bin/env node
// The `kws` command. In a checkout (src/ present) it runs the TypeScript sources through tsx, so
// an edit is live without a build and a stale dist/ can never answer; the installed package
// ships no src/ and runs the compiled dist/ (`npm run build`), which starts faster and needs no tsx.
const fs = require('fs');
const path = require('path');

const source = path.join(__dirname, '..', 'src', 'cli', 'main.ts');
const compiled = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
// tsx's loader for require() and import() alike: the commands load their heavy modules with `await import()`.
const ready = fs.existsSync(source) ? import('tsx').then(() => source) : Promise.resolve(compiled);
ready
  .then((entry) => require(entry).main(process.argv))
  .catch((err) => {
    // main() already turns known errors into one line; this is the last guard.
    process.stderr.write(`kws: ${err && err.message ? err.message : String(err)}\n`);
    process.exit(1);
  });
