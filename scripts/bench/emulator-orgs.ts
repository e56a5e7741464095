import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { arg, memoryOf } from './args';

/**
 * npm run bench:orgs [-- --orgs 200 --members 20 --concurrency 8]: one `tightknit-sync emulator
 * --orgs N` process, as the server mode's tests and `bench:tenants` run it. Measures the time from spawn
 * to its ready line, its resident memory with every org idle, then after a little traffic in every org
 * (client-credentials login, /limits, a Community upsert, a Bulk API 2.0 upsert of `members` Members,
 * a COUNT() query that must find exactly them: a check that the orgs stay apart), against a one-org
 * emulator process measured the same way. Runs the built CLI (bin/ → dist/) when there is one, else
 * the sources through tsx (whose own memory the one-org baseline then also holds).
 */

const ROOT = join(__dirname, '..', '..');
const LAUNCHER = join(ROOT, 'bin', 'tightknit-sync.js');
const V = '/services/data/v65.0';

interface OrgLine {
  instanceUrl: string;
  clientId: string;
  clientSecret: string;
}

function command(): { file: string; args: string[]; how: string } {
  if (existsSync(join(ROOT, 'dist', 'cli', 'main.js')))
    return { file: process.execPath, args: [LAUNCHER], how: 'built CLI (node bin/tightknit-sync.js)' };
  // `node --import tsx`, not the tsx binary: that one is a wrapper whose child would hold the memory measured.
  return {
    file: process.execPath,
    args: ['--import', 'tsx', join(ROOT, 'scripts', 'cli', 'main.ts')],
    how: 'sources (node --import tsx)',
  };
}

/** Starts an emulator process; resolves once its ready line is read, with the seconds that took. */
async function startProcess(orgs: number): Promise<{ child: ChildProcess; lines: OrgLine[]; seconds: number }> {
  const { file, args } = command();
  const started = process.hrtime.bigint();
  const child = spawn(file, [...args, 'emulator', '--orgs', String(orgs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code} before it was ready`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const ready = JSON.parse(first) as OrgLine & { orgs?: OrgLine[] };
  return { child, lines: ready.orgs ?? [ready], seconds };
}

async function json(res: Response, what: string): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** One org's share of the traffic; returns how many Members a COUNT() found there. */
async function exercise(org: OrgLine, members: number): Promise<number> {
  const form = { grant_type: 'client_credentials', client_id: org.clientId, client_secret: org.clientSecret };
  const token = await json(
    await fetch(`${org.instanceUrl}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams(form) }),
    'token',
  );
  const h = { Authorization: `Bearer ${String(token.access_token)}`, 'Content-Type': 'application/json' };
  const api = async (method: string, path: string, body?: string, type?: string) =>
    json(
      await fetch(org.instanceUrl + V + path, {
        method,
        headers: type ? { ...h, 'Content-Type': type } : h,
        body,
      }),
      `${method} ${path}`,
    );
  await api('GET', '/limits');
  const community = encodeURIComponent('slack:T1');
  await api(
    'PATCH',
    `/sobjects/tightknit__Community__c/tightknit__Tightknit_Id__c/${community}`,
    JSON.stringify({ Name: 'Acme' }),
  );
  const job = await api(
    'POST',
    '/jobs/ingest',
    JSON.stringify({
      object: 'tightknit__Member__c',
      operation: 'upsert',
      externalIdFieldName: 'tightknit__Tightknit_Id__c',
    }),
  );
  const rows = Array.from({ length: members }, (_, i) => `Member ${i},slack:T1:U${i},slack:T1,Active`);
  const header =
    'Name,tightknit__Tightknit_Id__c,tightknit__Community__r.tightknit__Tightknit_Id__c,tightknit__Status__c';
  await api('PUT', `/jobs/ingest/${String(job.id)}/batches`, [header, ...rows].join('\n') + '\n', 'text/csv');
  await api('PATCH', `/jobs/ingest/${String(job.id)}`, JSON.stringify({ state: 'UploadComplete' }));
  for (;;) {
    const info = await api('GET', `/jobs/ingest/${String(job.id)}`);
    if (info.state === 'JobComplete') break;
    if (info.state === 'Failed' || info.state === 'Aborted')
      throw new Error(`job ${String(job.id)}: ${String(info.state)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const count = await api('GET', `/query?q=${encodeURIComponent('SELECT COUNT() FROM tightknit__Member__c')}`);
  return Number(count.totalSize);
}

async function inBatches<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

const mb = (kb: number): string => `${(kb / 1024).toFixed(1)} MB`;

async function measure(orgs: number, members: number, concurrency: number): Promise<Record<string, string>> {
  const { child, lines, seconds } = await startProcess(orgs);
  try {
    await new Promise((r) => setTimeout(r, 500)); // let start-up garbage be collected before reading RSS
    const idle = memoryOf(child.pid!);
    const started = process.hrtime.bigint();
    await inBatches(lines, concurrency, async (org) => {
      const found = await exercise(org, members);
      if (found !== members) throw new Error(`${org.instanceUrl} holds ${found} Members, expected ${members}`);
    });
    const trafficSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const busy = memoryOf(child.pid!);
    return {
      orgs: String(orgs),
      'start → ready line': `${seconds.toFixed(2)} s`,
      'RSS, all orgs idle': idle ? mb(idle.rss) : 'n/a',
      [`traffic (${members} Members a org, ${concurrency} at a time)`]: `${trafficSeconds.toFixed(2)} s`,
      'RSS after traffic': busy ? mb(busy.rss) : 'n/a',
      'peak RSS (VmHWM)': busy ? mb(busy.hwm) : 'n/a',
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function main(): Promise<void> {
  const orgs = arg('orgs', 200);
  const members = arg('members', 20);
  const concurrency = arg('concurrency', 8);
  console.log(`Emulator process: ${command().how}; Node ${process.version}`);
  const baseline = await measure(1, members, concurrency);
  const fleet = await measure(orgs, members, concurrency);
  const rows = Object.keys(fleet).map((k, i) => [k, Object.values(baseline)[i], fleet[k]]);
  for (const [k, one, many] of rows) console.log(`${k.padEnd(48)} ${one.padStart(10)} ${many.padStart(10)}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
