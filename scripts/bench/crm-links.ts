/**
 * Links-that-follow-the-CRM benchmark (issue 14; figures in docs/sync.md "Performance"): an org emulator
 * with 200,000 Contacts and a store of 50,000 members, backfilled; then
 *   1. a run with nothing changed anywhere: API calls (at most one change query per matched object, no job);
 *   2. 100 Contacts created for members that had none: API calls for matching, jobs, end-to-end time;
 *   3. `tightknit-sync rematch` of every member after a second match rule is added, run through the
 *      product's launcher in its own process: time, API calls, links changed and the process's peak RSS
 *      (VmHWM from /proc, Linux).
 *
 *   npx tsx scripts/bench/crm-links.ts [--members 50000] [--contacts 200000]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../org-emulator';
import { arg, memoryOf } from './args';
import { putBenchCommunity, putBenchMember } from './seed';
import {
  connect,
  engagementDefaults,
  investigateRun,
  listRuns,
  loadConfig,
  openAsyncStore,
  type RunSummary,
  runSync,
  updateConfig,
} from '../sync';

const MEMBERS = arg('members', 50_000);
const CONTACTS = arg('contacts', 200_000);
const TEAM = 'slack:TCRM';
const NOW = new Date('2026-11-20T12:00:00.000Z');
const LAUNCHER = join(__dirname, '..', '..', 'bin', 'tightknit-sync.js');
const email = (i: number): string => `member${i}@crm.example.com`;
const START = Date.now() - 30 * 86_400_000;
const stamp = (i: number): string => new Date(START + i * 10_000).toISOString();

async function seedStore(stateDir: string): Promise<void> {
  const store = openAsyncStore({ stateDir });
  const w = await store.beginWrite();
  await putBenchCommunity(w, TEAM, 'CRM bench');
  for (let i = 1; i <= MEMBERS; i++) await putBenchMember(w, TEAM, i, { email: email(i) });
  await w.commit(NOW, engagementDefaults());
  await store.close();
}

/** Every 5th member has a Contact by Email, every 5th+1 only by the org's Work_Email__c; the rest are strangers. */
function contactRows(): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 1; i <= CONTACTS; i++) {
    const m = i <= MEMBERS ? i : 0;
    rows.push({
      // Written over the last month (one every 10 s), as a real org's Contacts are.
      CreatedDate: stamp(i),
      LastModifiedDate: stamp(i),
      SystemModstamp: stamp(i),
      LastName: `Contact ${i}`,
      Email: m && m % 5 === 0 ? email(m) : `stranger${i}@elsewhere.example.com`,
      Work_Email__c: m && m % 5 === 1 ? email(m) : null,
    });
  }
  return rows;
}

/** Calls a run made outside its Collections calls (each Collections call is one call): the matching side. */
async function matchingCalls(
  stateDir: string,
  summary: RunSummary,
): Promise<{ matching: number; collections: number }> {
  const store = openAsyncStore({ stateDir });
  try {
    const inv = await investigateRun(store, summary.runId);
    const jobs = [...inv.jobs.community, ...inv.jobs.member, ...inv.jobs.activity];
    const collections = jobs.filter((j) => j.path === 'collections').length;
    const bulk = jobs.filter((j) => j.path === 'bulk').length;
    return { matching: summary.apiCalls - collections - bulk * 5, collections };
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tk-bench-crm-'));
  const stateDir = join(dir, 'state');
  const emu = await startEmulator({ extraFields: { Contact: [{ name: 'Work_Email__c', type: 'email' }] } });
  try {
    let t = Date.now();
    await seedStore(stateDir);
    const rows = contactRows();
    for (let i = 0; i < rows.length; i += 10_000) emu.org.insert('Contact', rows.slice(i, i + 10_000));
    process.stdout.write(`seeded ${MEMBERS} members and ${CONTACTS} Contacts in ${Date.now() - t} ms\n`);

    const keyEnv = { TIGHTKNIT_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    await connect({
      stateDir,
      env: keyEnv,
      keychain: null,
      method: 'client-credentials',
      loginUrl: emu.loginUrl,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
    });
    const { accessToken } = emu.issueTokens('integration');
    const conn = { instanceUrl: emu.instanceUrl, accessToken, version: '65.0' };
    const run = async (type: 'backfill' | 'incremental'): Promise<RunSummary> => {
      const store = openAsyncStore({ stateDir });
      try {
        return await runSync({ store, connection: conn, config: loadConfig(stateDir), type, now: NOW });
      } finally {
        await store.close();
      }
    };

    t = Date.now();
    const backfill = await run('backfill');
    process.stdout.write(
      `backfill: ${backfill.status}, ${backfill.objects.member.succeeded} members in ${Date.now() - t} ms, ${backfill.apiCalls} API calls\n`,
    );

    const idle = await run('incremental');
    process.stdout.write(
      `idle run: ${idle.apiCalls} API calls, ${idle.objects.member.processed} members pushed, status ${idle.status}\n`,
    );

    // 100 Contacts created for members that had none (members 2, 7, 12, … are strangers to the org).
    const fresh: Array<Record<string, unknown>> = [];
    for (let k = 0, m = 3; k < 100; m += 5) {
      if (m % 5 === 0 || m % 5 === 1) continue;
      fresh.push({ LastName: `Fresh ${m}`, Email: email(m) });
      k++;
    }
    emu.org.insert('Contact', fresh);
    t = Date.now();
    const delta = await run('incremental');
    const deltaMs = Date.now() - t;
    const calls = await matchingCalls(stateDir, delta);
    process.stdout.write(
      `100 Contacts created: ${deltaMs} ms end to end, ${delta.apiCalls} API calls (${calls.matching} for matching, ` +
        `${calls.collections} Collections calls: the member push and the community stamp), ` +
        `${delta.objects.member.succeeded} members relinked, status ${delta.status}\n`,
    );

    // A second rule: every 5th+1 member now matches by Work_Email__c. Rematch through the launcher.
    updateConfig(stateDir, { matchRules: ['Contact.Email', 'Contact.Work_Email__c', 'Lead.Email'] });
    t = Date.now();
    const child = spawn(process.execPath, [LAUNCHER, '--state-dir', stateDir, 'rematch'], {
      env: { ...process.env, ...keyEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let peakKb = 0;
    const timer = setInterval(() => (peakKb = Math.max(peakKb, child.pid ? (memoryOf(child.pid)?.hwm ?? 0) : 0)), 20);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearInterval(timer);
    const rematchMs = Date.now() - t;
    const store = openAsyncStore({ stateDir });
    const last = (await listRuns(store, 1))[0];
    await store.close();
    process.stdout.write(
      `rematch (exit ${code}): ${rematchMs} ms wall, ${last.apiCalls} API calls, ${last.objects.member.succeeded} links changed, ` +
        `peak RSS ${Math.round(peakKb / 1024)} MB (≤ 300: ${peakKb / 1024 <= 300 ? 'yes' : 'NO'}), status ${last.status}\n`,
    );
    if (code !== 0) process.stdout.write(out);
  } finally {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
