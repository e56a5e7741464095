import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { REPO_ROOT } from '../../../metadata/project';

/** The real sf CLI of this repository's node_modules (@salesforce/cli), run with the test's Node. */
const SF_RUN = join(REPO_ROOT, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');

export interface SfResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as the sf CLI's --json envelope (undefined when it is not JSON). */
  json?: { status: number; result?: Record<string, unknown>; name?: string; message?: string };
}

/** An sf CLI with a home of its own: its auth store, config and logs live in a temp dir. */
export interface IsolatedSf {
  home: string;
  /** The environment every sf call gets; set process.env.HOME to `home` for @salesforce/core in-process. */
  env: NodeJS.ProcessEnv;
  run(args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<SfResult>;
  /**
   * Stores a login made with a refresh token, as `sf org login web` and `sf org login sfdx-url` do
   * (neither can be driven here: one needs a browser, the other only takes https URLs). It runs
   * @salesforce/core's AuthInfo in a child process with this home, as the sf CLI would.
   */
  loginWithRefreshToken(opts: RefreshTokenLogin): Promise<string>;
}

export interface RefreshTokenLogin {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  alias: string;
}

/** Child-process body of loginWithRefreshToken: options as JSON in argv[1], prints the username. */
const REFRESH_LOGIN = `
const { AuthInfo, StateAggregator } = require('@salesforce/core');
(async () => {
  const o = JSON.parse(process.argv[1]);
  const auth = await AuthInfo.create({ oauth2Options: { loginUrl: o.loginUrl, clientId: o.clientId, clientSecret: o.clientSecret, refreshToken: o.refreshToken } });
  await auth.save();
  await (await StateAggregator.getInstance()).aliases.setAndSave(o.alias, auth.getUsername());
  process.stdout.write(auth.getUsername());
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
`;

/**
 * An sf CLI whose HOME is a fresh temp dir, so the machine's own sf logins are neither read nor
 * touched. The working directory is that home too (no sfdx-project.json of this repository), the
 * keychain is the sf CLI's file-based one, and telemetry and update checks are off.
 */
export function isolatedSf(): IsolatedSf {
  const home = mkdtempSync(join(tmpdir(), 'tightknit-sf-home-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    // Plugins the sf CLI spawns as `sf` must find this same binary, not whatever is on the machine.
    PATH: [join(REPO_ROOT, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter),
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_ACCESS_TOKEN: undefined,
    SFDX_ACCESS_TOKEN: undefined,
    SF_TARGET_ORG: undefined,
  };
  const run = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<SfResult> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [SF_RUN, ...args],
        { cwd: home, env: { ...env, ...extraEnv }, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          let json: SfResult['json'];
          try {
            json = JSON.parse(stdout) as SfResult['json'];
          } catch {
            json = undefined;
          }
          resolve({ code, stdout, stderr, json });
        },
      );
    });
  const loginWithRefreshToken = (opts: RefreshTokenLogin): Promise<string> =>
    new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        ['-e', REFRESH_LOGIN, JSON.stringify(opts)],
        { cwd: REPO_ROOT, env, timeout: 60_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
  return { home, env, run, loginWithRefreshToken };
}
