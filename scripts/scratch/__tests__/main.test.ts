import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../metadata/project';

const TSX = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const MAIN = join(REPO_ROOT, 'scripts', 'scratch', 'main.ts');

/** Runs the scratch CLI with a HOME of its own and no sf/sfdx variables, so no real auth is visible. */
function run(home: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, SF_DISABLE_TELEMETRY: 'true' };
  return spawnSync(process.execPath, [TSX, MAIN, ...args], { cwd: home, env, encoding: 'utf8', timeout: 60_000 });
}

/** A HOME where `devhub` is authorized (a local auth file, no token) and set as target-dev-hub. */
function homeWithDevHub(): string {
  const home = mkdtempSync(join(tmpdir(), 'tk-home-'));
  mkdirSync(join(home, '.sfdx'));
  mkdirSync(join(home, '.sf'));
  const auth = {
    username: 'hub@example.com',
    orgId: '00D000000000001AAA',
    instanceUrl: 'https://example.my.salesforce.com',
    isDevHub: true,
  };
  writeFileSync(join(home, '.sfdx', 'hub@example.com.json'), JSON.stringify(auth));
  writeFileSync(join(home, '.sfdx', 'alias.json'), JSON.stringify({ orgs: { devhub: 'hub@example.com' } }));
  writeFileSync(join(home, '.sf', 'config.json'), JSON.stringify({ 'target-dev-hub': 'devhub' }));
  return home;
}

describe('scratch and packaging scripts', () => {
  it.each(['create', 'package-version'])(
    '%s without a Dev Hub says how to authorize one and exits 0',
    (command) => {
      const result = run(mkdtempSync(join(tmpdir(), 'tk-home-')), [command]);
      expect(result.stdout).toContain(`Skipped ${command}: no Dev Hub is authorized on this machine. Nothing was run.`);
      expect(result.stdout).toContain('sf org login web --set-default-dev-hub --alias devhub');
      expect(result.status).toBe(0);
    },
    60_000,
  );

  it('with a Dev Hub but no scratch org, deploy stops and says to create one', () => {
    const result = run(homeWithDevHub(), ['deploy']);
    expect(result.stderr).toContain(
      'No scratch org "tightknit-scratch" is authorized here: run npm run scratch:create first.',
    );
    expect(result.status).toBe(1);
  }, 60_000);

  it('package-version with a Dev Hub but no package alias explains how to create the package', () => {
    const result = run(homeWithDevHub(), ['package-version']);
    expect(result.stderr).toContain(
      'sf package create --name "Tightknit Analytics" --package-type Managed --path force-app --target-dev-hub hub@example.com',
    );
    expect(result.status).toBe(2);
  }, 60_000);

  it('rejects an unknown command with the list of commands', () => {
    const result = run(mkdtempSync(join(tmpdir(), 'tk-home-')), ['launch']);
    expect(result.stderr).toMatch(/Usage: tsx scripts\/scratch\/main\.ts <command>[\s\S]*create[\s\S]*package-version/);
    expect(result.status).toBe(2);
  }, 60_000);
});
