#!/usr/bin/env node
// The `kws` command. In a checkout (src/ present) it runs the TypeScript sources through tsx, so
// an edit is live without a build and a stale dist/ can never answer; the installed package
// ships no src/ and runs the compiled dist/ (`npm run build`), which starts faster and needs no tsx.
const fs = require('fs');
const path = require('path');

const source = path.join(__dirname, '..', 'src', 'cli', 'main.ts');
let entry = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (fs.existsSync(source)) {
  require('tsx/cjs');
  entry = source;
}
require(entry).main(process.argv).catch((err) => {
  // main() already turns known errors into one line; this is the last guard.
  process.stderr.write(`kws: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
});
