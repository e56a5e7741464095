/**
 * Events API receiver benchmark: `tightknit-sync listen` (the published launcher, in its own process)
 * receives signed events at a steady rate — 1,000 a minute for 10 minutes by default — with some
 * event_ids sent again as Slack retries them (X-Slack-Retry-Num). Reports the answer latency
 * (p50/p99/max, measured by the sender from request to response), the receiver's peak RSS (VmHWM,
 * Linux /proc; else the largest `ps` sample), and checks that the inbox holds every event exactly once.
 *
 *   npm run bench:slack-listen -- [--minutes 10] [--rate 1000] [--retry-every 20]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openAsyncStore, saveSlackCredentials, signSlackRequest } from '../sync';
import { arg, memoryOf } from './args';

const LAUNCHER = join(__dirname, '..', '..', 'bin', 'tightknit-sync.js');

const MINUTES = arg('minutes', 10);
const RATE = arg('rate', 1000);
const RETRY_EVERY = arg('retry-every', 20);
const SECRET = randomBytes(16).toString('hex');
const TYPES = ['message', 'reaction_added', 'member_joined_channel', 'user_change', 'message', 'reaction_removed'];

function envelope(i: number): string {
  const type = TYPES[i % TYPES.length];
  const ts = `${1767000000 + i}.${String(i % 1_000_000).padStart(6, '0')}`;
  const event =
    type === 'message'
      ? { type, channel: 'C0BENCH', user: `U${i % 500}`, text: `message ${i} ${'x'.repeat(i % 400)}`, ts, event_ts: ts }
      : type === 'user_change'
        ? { type, user: { id: `U${i % 500}`, name: `user${i % 500}`, profile: { email: `u${i % 500}@bench.example` } } }
        : {
            type,
            user: `U${i % 500}`,
            channel: 'C0BENCH',
            reaction: 'tada',
            item: { type: 'message', channel: 'C0BENCH', ts },
            event_ts: ts,
          };
  return JSON.stringify({
    token: 'unused',
    team_id: 'TBENCH',
    api_app_id: 'ABENCH',
    type: 'event_callback',
    event_id: `EvBench${String(i).padStart(8, '0')}`,
    event_time: 1767000000 + i,
    event,
  });
}

async function post(url: string, body: string, retryNum: number): Promise<{ status: number; ms: number }> {
  const ts = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': signSlackRequest(SECRET, ts, body),
  };
  if (retryNum > 0) {
    headers['x-slack-retry-num'] = String(retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const started = performance.now();
  try {
    const res = await fetch(url, { method: 'POST', headers, body });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function startListener(stateDir: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [LAUNCHER, '--state-dir', stateDir, '--json', 'listen', '--port', '0'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    // With --json the log lines are on stderr (stdout gets one envelope when it stops).
    const lines = createInterface({ input: child.stderr });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) {
        process.stderr.write(`${line}\n`);
        return;
      }
      const entry = JSON.parse(line) as { event: string; url?: string };
      if (entry.event === 'listening' && entry.url) resolve(entry.url);
    });
    child.once('exit', (code) => reject(new Error(`listen exited with ${code} before it listened`)));
  });
  return { child, url };
}

/** A fresh state directory holding the bench Slack credentials, and the environment the receiver runs in. */
async function prepareState(): Promise<{ stateDir: string; env: NodeJS.ProcessEnv }> {
  const stateDir = mkdtempSync(join(tmpdir(), 'tightknit-bench-listen-'));
  const env = {
    ...process.env,
    TIGHTKNIT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    TIGHTKNIT_KEYCHAIN: 'off',
  };
  await saveSlackCredentials(
    { stateDir, env, keychain: null },
    { botToken: 'xoxb-bench', signingSecret: SECRET },
    {
      teamId: 'TBENCH',
      teamName: 'Bench',
      domain: null,
      url: null,
      botUserId: null,
      connectedAt: new Date().toISOString(),
      hasSigningSecret: true,
      hasAppToken: false,
    },
  );
  return { stateDir, env };
}

/** What the sender saw: each answer's latency, the count per HTTP status, the retries sent, the RSS samples' peak. */
interface Sent {
  latencies: number[];
  statuses: Map<number, number>;
  retries: number;
  maxRss: number;
}

/** Sends `total` events at RATE a minute (some again as Slack retries) and waits for every answer. */
async function sendEvents(url: string, child: ChildProcess, total: number): Promise<Sent> {
  const gapMs = 60_000 / RATE;
  const sent: Sent = { latencies: [], statuses: new Map(), retries: 0, maxRss: 0 };
  const inFlight = new Set<Promise<void>>();
  const record = (p: Promise<{ status: number; ms: number }>): void => {
    const done = p.then((r) => {
      sent.latencies.push(r.ms);
      sent.statuses.set(r.status, (sent.statuses.get(r.status) ?? 0) + 1);
      inFlight.delete(done);
    });
    inFlight.add(done);
  };
  const sampler = setInterval(() => {
    sent.maxRss = Math.max(sent.maxRss, memoryOf(child.pid!)?.rss ?? 0);
  }, 1000);
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + i * gapMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = envelope(i);
    record(post(url, body, 0));
    if (i % RETRY_EVERY === 0) {
      // Slack's retry of the same event_id (as after a lost answer): once soon after, sometimes twice.
      sent.retries += i % (RETRY_EVERY * 2) === 0 ? 2 : 1;
      setTimeout(() => record(post(url, body, 1)), 500);
      if (i % (RETRY_EVERY * 2) === 0) setTimeout(() => record(post(url, body, 2)), 1500);
    }
    if (i > 0 && i % RATE === 0) {
      process.stderr.write(`  ${i} sent, receiver RSS ${(sent.maxRss / 1024).toFixed(0)} MB\n`);
    }
  }
  await new Promise((r) => setTimeout(r, 2000));
  while (inFlight.size > 0) await Promise.all([...inFlight]);
  clearInterval(sampler);
  return sent;
}

/** What the receiver's inbox holds: events stored, distinct event ids, and events that are not the bench's. */
async function readInbox(stateDir: string): Promise<{ stored: number; distinct: number; missing: number }> {
  const store = openAsyncStore({ stateDir });
  const events = await store.inbox.pending(Number.MAX_SAFE_INTEGER);
  const stored = events.length;
  const distinct = new Set(events.map((e) => e.eventId)).size;
  const missing = events.filter((e) => !e.eventId.startsWith('EvBench')).length;
  await store.close();
  return { stored, distinct, missing };
}

async function main(): Promise<void> {
  const { stateDir, env } = await prepareState();
  const { child, url } = await startListener(stateDir, env);
  const total = Math.round(MINUTES * RATE);
  process.stderr.write(
    `Sending ${total} events at ${RATE}/min for ${MINUTES} min to ${url} (every ${RETRY_EVERY}th retried)…\n`,
  );
  const { latencies, statuses, retries, maxRss } = await sendEvents(url, child, total);
  const peak = memoryOf(child.pid!);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));

  const { stored, distinct, missing } = await readInbox(stateDir);
  rmSync(stateDir, { recursive: true, force: true });

  latencies.sort((a, b) => a - b);
  const peakMb = (peak?.hwm || maxRss) / 1024;
  const result = {
    minutes: MINUTES,
    ratePerMinute: RATE,
    events: total,
    retriesSent: retries,
    answers: Object.fromEntries(statuses),
    latencyMs: {
      p50: +percentile(latencies, 50).toFixed(1),
      p99: +percentile(latencies, 99).toFixed(1),
      max: +latencies[latencies.length - 1].toFixed(1),
    },
    stored,
    lost: total - stored,
    duplicated: stored - distinct + missing,
    receiverPeakRssMb: +peakMb.toFixed(1),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  const ok =
    result.lost === 0 &&
    result.duplicated === 0 &&
    result.latencyMs.p99 < 200 &&
    peakMb <= 150 &&
    (statuses.get(200) ?? 0) === latencies.length;
  process.stderr.write(
    ok ? 'PASS: p99 < 200 ms, nothing lost or duplicated, RSS ≤ 150 MB\n' : 'FAIL: see the figures above\n',
  );
  process.exitCode = ok ? 0 : 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
