import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The launcher's Node check is plain ES5 CommonJS, so an old Node can parse it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { minimumOf, unsupportedNode } = require('../../../bin/check-node.js') as {
  minimumOf: (range: string) => number[];
  unsupportedNode: (found: string, range: string) => string | null;
};

const REPO = join(__dirname, '..', '..', '..');
const ENGINES = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } }).engines
  .node;

describe('bin/check-node.js', () => {
  it('reads the minimum from engines.node', () => {
    expect(minimumOf('>=22.19')).toEqual([22, 19, 0]);
    expect(minimumOf('>= v22.19.1')).toEqual([22, 19, 1]);
    expect(() => minimumOf('^22')).toThrow(/engines\.node must read ">=MAJOR\.MINOR\[\.PATCH\]", not "\^22"/);
  });

  it('refuses an older Node in one line naming both versions, and accepts the minimum and later', () => {
    expect(unsupportedNode('20.20.2', '>=22.19')).toBe(
      'tightknit-sync needs Node.js 22.19.0 or later; this is Node.js 20.20.2. Install Node.js 22 or 24 ' +
        '(https://nodejs.org), or `npm install --prefix <dir> node@24` and put <dir>/node_modules/node/bin first on PATH.',
    );
    expect(unsupportedNode('v22.18.9', '>=22.19')).toMatch(/this is Node\.js 22\.18\.9\./);
    expect(unsupportedNode('8.17.0', '>=22.19')).not.toBeNull();
    for (const ok of ['22.19.0', '22.20.1', '24.21.0', '25.0.0']) expect(unsupportedNode(ok, '>=22.19')).toBeNull();
    expect(unsupportedNode(process.versions.node, ENGINES)).toBeNull();
  });

  // These build machines ship Node 20 system-wide: the real launcher must stop on it before loading anything.
  const systemNode = '/usr/bin/node';
  const systemVersion = existsSync(systemNode)
    ? spawnSync(systemNode, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim()
    : '';
  const oldNode = systemVersion !== '' && unsupportedNode(systemVersion, ENGINES) !== null;
  (oldNode ? it : it.skip)(`the launcher on the system's Node ${systemVersion}: one line, exit 1`, () => {
    const r = spawnSync(systemNode, [join(REPO, 'bin', 'tightknit-sync.js'), '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${unsupportedNode(systemVersion, ENGINES)}\n`);
  });
});
