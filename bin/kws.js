#!/usr/bin/env node
// The `kws` command: TypeScript sources run through tsx, so the repo needs no build step.
require('tsx/cjs');
require('../src/cli/main.ts').main(process.argv).catch((err) => {
  // main() already turns known errors into one line; this is the last guard.
  process.stderr.write(`kws: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
});
