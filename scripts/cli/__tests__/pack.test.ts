import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The published package, as a user gets it: `npm pack` of this checkout, installed into an empty folder
 * with no checkout around, then `tightknit-sync --version`, `demo`, `emulator` and `console` run from
 * node_modules/.bin. It packs the dist/ that `npm run build` made (`npm test` builds first); packing
 * with scripts would rebuild dist/ under the feet of the tests that run meanwhile.
 */

const REPO = join(__dirname, '..', '..', '..');
const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

interface Envelope<T> {
  status: number;
  result: T;
  warnings: string[];
}

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
}

/** Starts a server command and resolves with its envelope, the first line on stdout. */
function firstLine<T>(child: ChildProcess): Promise<Envelope<T>> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as Envelope<T>));
    child.once('exit', (code) => reject(new Error(`exited with ${code} before it was ready: ${stderr}`)));
  });
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  return exited;
}

describe('npm pack → npm install → tightknit-sync, with no checkout', () => {
  let dir: string;
  let app: string;
  let cli: string;
  let tarball: string;
  let packed: string[];
  const children: ChildProcess[] = [];

  beforeAll(() => {
    if (!existsSync(join(REPO, 'dist', 'cli', 'main.js')) || !existsSync(join(REPO, 'dist', 'console', 'public'))) {
      throw new Error('dist/ is missing or incomplete: run `npm run build` first (npm test does).');
    }
    dir = mkdtempSync(join(tmpdir(), 'tightknit-pack-'));
    const [info] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], REPO)) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    tarball = info.filename;
    packed = info.files.map((f) => f.path);
    app = join(dir, 'app');
    execFileSync('mkdir', [app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'uses-tightknit-sync', private: true }));
    npm(['install', join(dir, tarball), '--prefer-offline', '--no-audit', '--no-fund'], app);
    cli = join(app, 'node_modules', '.bin', 'tightknit-sync');
  }, 240_000);

  afterAll(async () => {
    await Promise.all(children.map(stop));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(cli, args, { cwd: app, encoding: 'utf8', timeout: 120_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('packs compiled code, the metadata the emulator reads and the samples, and no sources or tests', () => {
    expect(tarball).toBe(`tightknit-sync-${version}.tgz`);
    expect(packed).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'bin/tightknit-sync.js',
        'bin/check-node.js',
        'dist/cli/main.js',
        'dist/cli/main.js.map',
        'dist/vendor/commander.js',
        'dist/vendor/commander.LICENSE',
        'dist/console/public/app.js',
        'sfdx-project.json',
        'force-app/main/default/objects/Member__c/Member__c.object-meta.xml',
        'samples/community-export/users.json',
      ]),
    );
    expect(packed.filter((p) => /\.ts$|__tests__|^scripts\/|^dist\/console\/compiled\//.test(p))).toEqual([]);
  });

  it('prints its version and the package version it expects', () => {
    const human = run(['--version']);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^tightknit-sync ${version} \\(expects the Tightknit Analytics package`));
    const json = run(['--json', '--version']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      status: 0,
      result: { cli: version, package: { namespace: 'tightknit' }, apiVersion: expect.stringMatching(/^\d+\.0$/) },
      warnings: [],
    });
  });

  it('runs the demo: emulator, sample community, full sync', () => {
    const demo = run(['--json', 'demo']);
    expect(demo.stderr).toBe('');
    expect(demo.status).toBe(0);
    expect(JSON.parse(demo.stdout)).toMatchObject({ status: 0, warnings: [] });
  }, 120_000);

  it('runs the org emulator until SIGTERM', async () => {
    const child = spawn(cli, ['--json', 'emulator', '--port', '0'], { cwd: app });
    children.push(child);
    const ready = await firstLine<{ instanceUrl: string }>(child);
    expect(ready.status).toBe(0);
    const res = await fetch(`${ready.result.instanceUrl}/services/data`);
    expect(res.status).toBe(200);
    expect(await stop(child)).toBe(0);
  }, 60_000);

  it('serves the console: the launch link signs in, the page and its bundle load', async () => {
    const child = spawn(cli, ['--json', '--state-dir', join(app, 'state'), 'console', '--port', '0'], { cwd: app });
    children.push(child);
    const ready = await firstLine<{ url: string; origin: string }>(child);
    const launch = await fetch(ready.result.url, { redirect: 'manual' });
    expect(launch.status).toBe(303);
    const cookie = (launch.headers.get('set-cookie') ?? '').split(';')[0];
    const page = await fetch(`${ready.result.origin}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('app.js');
    const bundle = await fetch(`${ready.result.origin}/app.js`, { headers: { cookie } });
    expect(bundle.status).toBe(200);
    expect(await stop(child)).toBe(0);
  }, 60_000);
});
