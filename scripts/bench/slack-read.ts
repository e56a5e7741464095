/**
 * Live Slack read benchmark: a generated workspace (generateWorkspace: 50,000 members, 300 channels,
 * 1,000,000 messages by default) served by the Slack emulator at Slack's Tier rate limits, with the
 * windows divided by --time-scale so the run finishes in minutes, read into a fresh store through
 * @slack/web-api by readSlackWorkspace. The emulator and the reader run in separate processes, so the
 * peak RSS reported is the reader's alone. Prints the calls per method, the measured time, and the
 * time the same calls would take at Slack's real per-minute budgets.
 *
 *   npm run bench:slack-read
 *   npx tsx scripts/bench/slack-read.ts --members 5000 --channels 30 --messages 100000 --time-scale 1000
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LogLevel, WebClient } from '@slack/web-api';
import { startSlackEmulator, generateWorkspace } from '../slack-emulator';
import { openAsyncStore, readSlackWorkspace, slackClientOptions, type SlackReadSummary } from '../sync';

/** Slack's per-minute budgets of the methods the reader calls (docs.slack.dev, rate limits). */
const PER_MINUTE: Record<string, number> = {
  'team.info': 50,
  'users.list': 20,
  'conversations.list': 20,
  'conversations.history': 50,
  'conversations.replies': 50,
};

interface ReaderResult {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  summary: SlackReadSummary;
}

async function emulatorRole(o: {
  members: number;
  channels: number;
  messages: number;
  timeScale: number;
}): Promise<void> {
  const workspace = generateWorkspace({ members: o.members, channels: o.channels, messages: o.messages, seed: 42 });
  const emu = await startSlackEmulator({ workspace, rateLimits: 'tiers', timeScale: o.timeScale });
  process.stdout.write(`${JSON.stringify({ apiUrl: emu.apiUrl, botToken: emu.botToken })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'calls') process.stdout.write(`${JSON.stringify(emu.calls())}\n`);
    if (line === 'exit') break;
  }
  await emu.close();
}

async function readerRole(apiUrl: string, botToken: string, stateDir: string): Promise<void> {
  const store = openAsyncStore({ stateDir });
  // Waits on 429 as Slack says; retries start fast because the emulator's windows are scaled down.
  const client = new WebClient(botToken, {
    slackApiUrl: apiUrl,
    logLevel: LogLevel.ERROR,
    ...slackClientOptions(),
    retryConfig: { retries: 10, minTimeout: 50, maxTimeout: 2000 },
  });
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let last = 0;
  const summary = await readSlackWorkspace({
    store,
    client,
    channels: 'all',
    onProgress: (p) => {
      if (Date.now() - last < 15_000) return;
      last = Date.now();
      process.stderr.write(`  ${p.phase} ${p.channel ?? ''}: ${p.messages} messages, ${p.calls} calls\n`);
    },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  await store.close();
  const result: ReaderResult = {
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    summary,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function child(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--require', 'tsx/cjs', __filename, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
}

function firstLine(p: ChildProcess): Promise<string> {
  return new Promise((resolveLine, reject) => {
    const rl = createInterface({ input: p.stdout! });
    rl.once('line', (l) => {
      rl.close();
      resolveLine(l);
    });
    p.once('exit', (code) => reject(new Error(`benchmark process exited with ${code}`)));
  });
}

function minutes(calls: Record<string, number>): { sequential: number; perMethod: Record<string, number> } {
  const perMethod: Record<string, number> = {};
  let sequential = 0;
  for (const [method, n] of Object.entries(calls)) {
    const m = n / (PER_MINUTE[method] ?? 50);
    perMethod[method] = m;
    sequential = Math.max(sequential, m);
  }
  return { sequential, perMethod };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      api: { type: 'string' },
      token: { type: 'string' },
      state: { type: 'string' },
      members: { type: 'string', default: '50000' },
      channels: { type: 'string', default: '300' },
      messages: { type: 'string', default: '1000000' },
      'time-scale': { type: 'string', default: '1000' },
    },
  });
  const sizes = {
    members: Number(values.members),
    channels: Number(values.channels),
    messages: Number(values.messages),
    timeScale: Number(values['time-scale']),
  };
  if (values.role === 'emulator') return emulatorRole(sizes);
  if (values.role === 'reader') return readerRole(values.api!, values.token!, values.state!);

  const stateDir = resolve('.bench', 'slack-read-state');
  rmSync(stateDir, { recursive: true, force: true });
  process.stdout.write(
    `Slack read: ${sizes.members} members, ${sizes.channels} channels, ${sizes.messages} messages; Tier limits / ${sizes.timeScale}; load ${loadavg()[0].toFixed(1)}\n`,
  );
  const emulator = child([
    '--role=emulator',
    `--members=${sizes.members}`,
    `--channels=${sizes.channels}`,
    `--messages=${sizes.messages}`,
    `--time-scale=${sizes.timeScale}`,
  ]);
  try {
    const { apiUrl, botToken } = JSON.parse(await firstLine(emulator)) as { apiUrl: string; botToken: string };
    const reader = child(['--role=reader', `--api=${apiUrl}`, `--token=${botToken}`, `--state=${stateDir}`]);
    const result = JSON.parse(await firstLine(reader)) as ReaderResult;
    emulator.stdin!.write('calls\n');
    const calls = JSON.parse(await firstLine(emulator)) as Record<string, number>;
    const real = minutes(calls);
    const s = result.summary;
    const report = {
      calls,
      totalCalls: s.calls,
      measuredSeconds: Number(result.seconds.toFixed(1)),
      readerCpuSeconds: Number(result.cpuSeconds.toFixed(1)),
      peakRssMb: Math.round(result.peakRssMb),
      members: s.members,
      activities: s.activities,
      channelsRead: s.channels,
      channelsSkipped: s.channelsSkipped.length,
      realTier3Hours: Number((real.sequential / 60).toFixed(1)),
      realMinutesPerMethod: Object.fromEntries(Object.entries(real.perMethod).map(([k, v]) => [k, Math.round(v)])),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (report.peakRssMb > 300) process.stdout.write('FAIL: peak RSS above 300 MB\n');
  } finally {
    emulator.stdin!.write('exit\n');
    // The emulator's keep-alive sockets may hold its close open: it is ours, stop it.
    setTimeout(() => emulator.kill('SIGTERM'), 2000).unref();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
