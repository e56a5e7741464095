#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the published bin needs no separate build step.
require('tsx/cjs');
require('../scripts/cli/main.ts')
  .main(process.argv)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
