import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const ENTRY = join(__dirname, '..', 'index.ts');

/**
 * Runs `code` in a fresh Node that reads the TypeScript sources (tsx, as `npm run sync` does) and
 * returns the project files and packages `code` loaded (after `setup` ran).
 */
function loadedBy(code: string, setup = ''): { files: string[]; packages: string[] } {
  const script = `
    ${setup}
    const before = new Set(Object.keys(require.cache));
    ${code}
    const added = Object.keys(require.cache).filter((k) => !before.has(k));
    const rel = (k) => require('node:path').relative(process.cwd(), k);
    process.stdout.write(JSON.stringify({
      files: added.filter((k) => !k.includes('node_modules')).map(rel),
      packages: added.filter((k) => k.includes('node_modules')).map(rel),
    }));`;
  const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node exited with ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as { files: string[]; packages: string[] };
}

describe('the core entry', () => {
  it('loads only itself and its leaf modules: no package, no store, no Salesforce or Slack client', () => {
    const loaded = loadedBy(`require('./scripts/sync');`);
    expect(loaded.packages).toEqual([]);
    expect(loaded.files.sort()).toEqual(
      [
        'scripts/generated/sobjects.ts',
        'scripts/sync/errors.ts',
        'scripts/sync/index.ts',
        'scripts/sync/ops/slack-facts.ts',
        'scripts/sync/domain.ts',
        'scripts/sync/store/file.ts',
      ].sort(),
    );
  });

  it('loads a function’s module on its first call, and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tightknit-entry-'));
    const loaded = loadedBy(
      `const state = core.readScheduleState(${JSON.stringify(dir)});
      if (state.paused !== false) throw new Error('unexpected state ' + JSON.stringify(state));`,
      `const core = require('./scripts/sync');`,
    );
    expect(loaded.files).toEqual(
      expect.arrayContaining(['scripts/sync/ops/pause.ts', 'scripts/sync/json-file.ts', 'scripts/sync/state-dir.ts']),
    );
    expect(loaded.files.filter((f) => /store\/sqlite|salesforce|sources|push|config\.ts/.test(f))).toEqual([]);
    expect(loaded.packages).toEqual([]);
  });

  it('requires each module by the path its type names', () => {
    const text = readFileSync(ENTRY, 'utf8');
    const typed = new Map([...text.matchAll(/^type (\w+) = typeof import\('([^']+)'\);$/gm)].map((m) => [m[1], m[2]]));
    const required = [...text.matchAll(/require\('([^']+)'\) as (\w+)\)/g)].map((m) => ({ path: m[1], as: m[2] }));
    expect(required.length).toBeGreaterThan(50);
    for (const { path, as } of required) expect(`${as} → ${path}`).toBe(`${as} → ${typed.get(as)}`);
  });
});
