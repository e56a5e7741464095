#!/usr/bin/env node
'use strict';
// The published entry point. It runs the compiled CLI in dist/ (npm run build; npm pack builds it). Plain
// ES5 up to the Node check, so an old Node reads this file and names the release it needs.
var path = require('path');
var fs = require('fs');
var unsupported = require('./check-node').unsupportedNode(
  process.versions.node,
  require('../package.json').engines.node
);
if (unsupported) {
  process.stderr.write(unsupported + '\n');
  process.exit(1);
}
// Node keeps the compiled code of the CLI's modules on disk, which halves the start-up time of later runs.
var Module = require('module');
if (typeof Module.enableCompileCache === 'function') Module.enableCompileCache();
var main = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!fs.existsSync(main)) {
  process.stderr.write(
    'tightknit-sync: ' +
      main +
      ' is missing: this checkout has not been built. Run `npm run build` (or `npm run sync -- <command>` to run from source).\n'
  );
  process.exit(2);
}
require(main)
  .main(process.argv)
  .then(
    function (code) {
      process.exitCode = code;
    },
    function (err) {
      process.stderr.write((err && err.stack ? err.stack : String(err)) + '\n');
      process.exitCode = 1;
    }
  );
