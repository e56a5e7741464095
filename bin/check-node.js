'use strict';
// Runs before anything else, on whatever Node the user has: ES5 only, so that even an old Node parses
// this file and can say which release it needs instead of failing on syntax it does not know.

/**
 * The smallest version an `engines.node` range of the form ">=22.19" or ">=22.19.0" allows.
 * @param {string} range
 * @returns {number[]}
 */
function minimumOf(range) {
  var match = /^\s*>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(range || '');
  if (!match) throw new Error('engines.node must read ">=MAJOR.MINOR[.PATCH]", not "' + range + '"');
  return [Number(match[1]), Number(match[2] || 0), Number(match[3] || 0)];
}

/**
 * Returns the one line to print when `found` (e.g. "20.20.2") is older than `range` allows, or null.
 * @param {string} found
 * @param {string} range
 * @returns {string | null}
 */
function unsupportedNode(found, range) {
  var needed = minimumOf(range);
  var parts = String(found).replace(/^v/, '').split('.');
  for (var i = 0; i < 3; i++) {
    var have = Number(parts[i] || 0);
    if (have > needed[i]) return null;
    if (have < needed[i]) {
      return (
        'tightknit-sync needs Node.js ' +
        needed.join('.') +
        ' or later; this is Node.js ' +
        String(found).replace(/^v/, '') +
        '. Install Node.js 22 or 24 (https://nodejs.org), or `npm install --prefix <dir> node@24` and put <dir>/node_modules/node/bin first on PATH.'
      );
    }
  }
  return null;
}

module.exports = { minimumOf: minimumOf, unsupportedNode: unsupportedNode };
