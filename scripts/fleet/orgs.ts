import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cliLaunchOnce } from './cli-command';

/** One org of the emulator process, as its ready line describes it. */
export interface FleetOrg {
  org: number;
  instanceUrl: string;
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  usernames: Record<string, string>;
  passwords: Record<string, string>;
}

/** A running `tightknit-sync emulator --orgs N` process and read-back of what its orgs hold. */
export interface EmulatorProcess {
  pid: number;
  orgs: FleetOrg[];
  /** An access token of one org's integration user (client credentials; asked once, then kept). */
  accessToken(org: FleetOrg): Promise<string>;
  /** `SELECT COUNT() FROM <sobject>` in one org. */
  count(org: FleetOrg, sobject: string): Promise<number>;
  /** Every value of `field` of `sobject` in one org (all pages of the query). */
  values(org: FleetOrg, sobject: string, field: string): Promise<string[]>;
  close(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');
const API = '/services/data/v65.0';

/**
 * Starts one org emulator process hosting `orgs` independent orgs (the CLI's `emulator --orgs N`, built
 * when dist/ is fresh, else from the sources) and waits for its ready line. The orgs share one External Client App, as every
 * subscriber org of the package does.
 */
export async function startEmulatorProcess(orgs: number): Promise<EmulatorProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...cliLaunchOnce().nodeArgs, 'emulator', '--orgs', String(orgs)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the org emulator exited (${code}) before it was ready: ${stderr}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
  });
  const list = (JSON.parse(line) as { orgs: FleetOrg[] }).orgs;
  const tokens = new Map<number, string>();
  async function token(org: FleetOrg): Promise<string> {
    const known = tokens.get(org.org);
    if (known) return known;
    const form = { grant_type: 'client_credentials', client_id: org.clientId, client_secret: org.clientSecret };
    const res = await fetch(`${org.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams(form),
    });
    if (!res.ok) throw new Error(`org ${org.org}: token request answered ${res.status}: ${await res.text()}`);
    const access = String(((await res.json()) as { access_token: string }).access_token);
    tokens.set(org.org, access);
    return access;
  }
  async function query(
    org: FleetOrg,
    path: string,
  ): Promise<{ totalSize: number; done: boolean; nextRecordsUrl?: string; records: Array<Record<string, unknown>> }> {
    const res = await fetch(org.instanceUrl + path, { headers: { Authorization: `Bearer ${await token(org)}` } });
    if (!res.ok) throw new Error(`org ${org.org}: ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as Awaited<ReturnType<typeof query>>;
  }
  return {
    pid: child.pid as number,
    orgs: list,
    accessToken: token,
    count: async (org, sobject) =>
      (await query(org, `${API}/query?q=${encodeURIComponent(`SELECT COUNT() FROM ${sobject}`)}`)).totalSize,
    values: async (org, sobject, field) => {
      const out: string[] = [];
      let page = await query(org, `${API}/query?q=${encodeURIComponent(`SELECT ${field} FROM ${sobject}`)}`);
      for (;;) {
        for (const r of page.records) out.push(String(r[field]));
        if (page.done || !page.nextRecordsUrl) return out;
        page = await query(org, page.nextRecordsUrl);
      }
    },
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
