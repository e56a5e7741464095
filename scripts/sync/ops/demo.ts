import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../metadata/project';
import { loadConfig, type SyncConfig } from '../config';
import { connect } from '../connection/connect';
import type { KeyOptions } from '../connection/encryption';
import { openConnection } from '../connection/open';
import { UsageError } from '../errors';
import { listRuns, recordEvent, type RunListItem } from '../history';
import { ingest } from '../ingest';
import { runSync, type PushTuning, type RunSummary } from '../push';
import type { SalesforceApi } from '../salesforce/client';
import { openAsyncStore, type AsyncStore } from '../store';
import { ActivityFields, SObjects } from '../../generated/sobjects';
import type { MemberRow } from '../store/types';
import { runChecks, type CheckReport } from './check';
import { runLiveSlackStep, type DemoSlack, type LiveSlackStep } from './demo-slack';
import {
  contactActivity,
  linkStatuses,
  seedCrm,
  topAccounts,
  type AccountEngagement,
  type ContactActivity,
  type DemoOrgData,
} from './demo-org';
import type { SyncProgress } from './run';
import { verifyPackage, type VerifyResult } from './verify';

/** The parts of a running org emulator the demo uses (the CLI passes the real one in). */
interface DemoOrg {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  org: DemoOrgData;
  close(): Promise<void>;
}

export interface DemoOptions {
  /** Starts the local org emulator; injected so the sync does not import the emulator. */
  startOrg: () => Promise<DemoOrg>;
  /**
   * Starts a Slack emulator serving the workspace the sample came from (null when the sample is not an
   * export folder): new activity then arrives live, as signed events. Without it, an NDJSON feed stands in.
   */
  startSlack?: (samplePath: string) => Promise<DemoSlack | null>;
  /** Default: a new temporary directory, deleted at the end. */
  stateDir?: string;
  /** Default: samples/community-export in this repository. */
  samplePath?: string;
  onLine?: (line: string) => void;
  onProgress?: SyncProgress;
  now?: Date;
  /** Poll the local org quickly. */
  tuning?: Partial<PushTuning>;
  /** The credentials key (default: an ephemeral one; the console over a demo passes its own). */
  key?: Omit<KeyOptions, 'stateDir'>;
}

export interface DemoResult {
  stateDir: string;
  kept: boolean;
  verify: VerifyResult;
  checks: CheckReport;
  runs: RunSummary[];
  accounts: AccountEngagement[];
  contact?: ContactActivity;
  history: RunListItem[];
  /** What came in live from the emulated Slack workspace, and how much of it reached the org. */
  live?: { posted: number; received: number; eventsApplied: number; inOrg: number; workspace: string };
}

/** A credentials key that lives in memory only: the demo's credentials die with the emulator. */
export function ephemeralKey(): Omit<KeyOptions, 'stateDir'> {
  return { env: { TIGHTKNIT_ENCRYPTION_KEY: randomBytes(32).toString('base64') }, keychain: null };
}

export const SAMPLE_EXPORT = join(REPO_ROOT, 'samples', 'community-export');

const FEED_EVENTS: Array<{ type: string; summary: string }> = [
  { type: 'post.created', summary: 'Posted "How we cut onboarding time in half" in the community' },
  { type: 'calendar_event.user_attended', summary: 'Attended "Quarterly product roadmap" live session' },
  { type: 'slack_message.created', summary: 'Asked a question in #product-feedback' },
  { type: 'slack_thread_reply.created', summary: 'Replied in a thread in #help' },
  { type: 'slack_reaction.added', summary: 'Reacted :tada: in #announcements' },
];

/** The three most engaged people (not bots, with an e-mail): the demo's new activity is theirs. */
async function topMembers(store: AsyncStore): Promise<MemberRow[]> {
  return (await store.changedMembers(0, 100_000))
    .filter((m) => !m.deleted && !m.row.isBot && m.row.email)
    .sort((a, b) => b.row.engagementScore - a.row.engagementScore)
    .slice(0, 3)
    .map((m) => m.row);
}

/** The channel most of the sample's messages are in (#general in the sample): where the demo posts. */
async function generalChannel(store: AsyncStore): Promise<{ id: string; name: string }> {
  const counts = new Map<string, { id: string; name: string; n: number }>();
  for (const a of await store.changedActivities(0, 100_000)) {
    if (!a.row.channelId) continue;
    const c = counts.get(a.row.channelId) ?? { id: a.row.channelId, name: a.row.channelName ?? a.row.channelId, n: 0 };
    c.n++;
    counts.set(a.row.channelId, c);
  }
  const best = [...counts.values()].sort((a, b) => b.n - a.n)[0];
  if (!best) throw new UsageError('DEMO_NO_CHANNEL', 'The sample has no channel to post in.');
  return { id: best.id, name: best.name };
}

/** A small NDJSON feed of fresh activity by the most engaged members (what an incremental sync picks up). */
async function writeNewActivityFeed(
  store: AsyncStore,
  dir: string,
  now: Date,
): Promise<{ file: string; events: number }> {
  const members = await topMembers(store);
  const lines: string[] = [];
  members.forEach((m, i) => {
    FEED_EVENTS.forEach((e, j) => {
      lines.push(
        JSON.stringify({
          type: e.type,
          id: `demo:${m.tightknitId}:${now.getTime()}:${j}`,
          community_id: m.communityId,
          member_id: m.tightknitId,
          occurred_at: new Date(now.getTime() - (i * 10 + j) * 60_000).toISOString(),
          summary: e.summary,
        }),
      );
    });
  });
  const file = join(dir, 'new-activity.ndjson');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, events: lines.length };
}

function runLine(s: RunSummary): string {
  const c = s.objects;
  return `${s.type} #${s.runId}: ${s.status} — communities ${c.community.succeeded}/${c.community.processed}, members ${c.member.succeeded}/${c.member.processed}, activities ${c.activity.succeeded}/${c.activity.processed}`;
}

/**
 * The whole product against the local org emulator: ingest the sample community, seed a CRM, connect
 * (client credentials), verify, check, backfill, append new activity and sync it incrementally, then
 * show what a sales rep would see and the sync history. Core function: the CLI only renders.
 */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const say = opts.onLine ?? ((): void => undefined);
  const now = opts.now ?? new Date();
  const samplePath = opts.samplePath ?? SAMPLE_EXPORT;
  if (!existsSync(samplePath)) {
    throw new UsageError('SAMPLE_MISSING', `The sample community export ${samplePath} is missing.`, {
      actions: [
        'Run the demo from a full clone of the repository, or pass --sample <path> to a Slack export or NDJSON feed.',
      ],
    });
  }
  const kept = opts.stateDir !== undefined;
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'tightknit-demo-'));
  const scratch = mkdtempSync(join(tmpdir(), 'tightknit-demo-feed-'));
  // An ephemeral key: the demo's credentials die with the emulator.
  const keys = opts.key ?? ephemeralKey();
  const tuning: Partial<PushTuning> = { poll: { initialMs: 50, maxMs: 200, timeoutMs: 60_000 }, ...opts.tuning };

  let org: DemoOrg | undefined;
  let slack: DemoSlack | undefined;
  const store = openAsyncStore({ stateDir });
  try {
    const config = loadConfig(stateDir);
    say(`State directory: ${stateDir}${kept ? '' : ' (temporary)'}`);

    const sample =
      samplePath === SAMPLE_EXPORT
        ? { workspaceName: 'Tightknit Demo Community', workspaceDomain: 'tightknit-demo' }
        : {};
    const imported = await ingest({ path: samplePath, store, config, now, ...sample });
    say(
      `1. Ingested the sample community: ${imported.totals.community} community, ${imported.totals.member} members, ${imported.totals.activity} activities.`,
    );

    org = await opts.startOrg();
    const seeded = await seedCrm(org.org, store);
    say(
      `2. Started the local org emulator at ${org.loginUrl} and seeded ${seeded.accounts} Accounts, ${seeded.contacts} Contacts` +
        `${seeded.duplicateEmail ? ` (two share ${seeded.duplicateEmail})` : ''} and ${seeded.leads} Lead.`,
    );

    await connectToOrg(stateDir, keys, org, store, say);
    const opened = await openConnection({ stateDir, ...keys });
    const { verify, checks } = await verifyAndCheck(opened.connection, config, say);

    const runs: RunSummary[] = [];
    say('6. Backfill:');
    const backfill = await runSync({
      store,
      connection: opened.connection,
      config,
      type: 'backfill',
      now,
      onProgress: opts.onProgress,
      tuning,
    });
    runs.push(backfill);
    say(`   ${runLine(backfill)}`);
    const links = linkStatuses(org.org);
    say(
      `   Member links: ${Object.entries(links)
        .map(([status, n]) => `${n} ${status}`)
        .join(', ')}.`,
    );

    slack = (await opts.startSlack?.(samplePath)) ?? undefined;
    const liveStep = await newActivityStep({ stateDir, store, config, keys, slack, scratch, now, say });
    const incremental = await runSync({
      store,
      connection: opened.connection,
      config,
      type: 'incremental',
      now,
      onProgress: opts.onProgress,
      tuning,
    });
    runs.push(incremental);
    say(`   ${runLine(incremental)}`);
    const live = liveStep ? liveInOrg(org.org, liveStep, say) : undefined;

    const { accounts, contact } = showSalesView(org.org, say);

    const history = await listRuns(store, 10);
    say('9. Sync history:');
    for (const r of history) {
      say(`   #${r.runId} ${r.type.padEnd(11)} ${r.status.padEnd(15)} ${r.startedAt}  ${r.apiCalls} API calls`);
    }
    say(kept ? `Done. State kept in ${stateDir}.` : 'Done. The emulator is stopped and the temporary state removed.');
    return { stateDir, kept, verify, checks, runs, accounts, contact, history, ...(live ? { live } : {}) };
  } finally {
    await store.close();
    await org?.close();
    await slack?.close();
    rmSync(scratch, { recursive: true, force: true });
    if (!kept) rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Steps 4 and 5: the package verified and the connection test passed, or the demo stops. */
async function verifyAndCheck(
  connection: SalesforceApi,
  config: SyncConfig,
  say: (line: string) => void,
): Promise<{ verify: VerifyResult; checks: CheckReport }> {
  const verify = await verifyPackage({ connection: connection });
  say(
    `4. Verified: ${verify.installed ? `${verify.installed.name} ${verify.installed.version}` : 'package missing'}; ` +
      `${verify.objects.filter((o) => o.found && o.missingFields.length === 0).length} of ${verify.objects.length} objects complete.`,
  );
  const checks = await runChecks({ connection: connection, config });
  const passed = checks.checks.filter((c) => c.status === 'pass').length;
  const warned = checks.checks.filter((c) => c.status === 'warn').map((c) => c.label);
  say(
    `5. Connection test: ${passed} of ${checks.checks.length} checks passed${warned.length ? `; warnings: ${warned.join(', ')}` : ''}.`,
  );
  if (!verify.ok || !checks.ok) {
    throw new UsageError('DEMO_ORG_NOT_READY', 'The emulated org failed verify or check; the demo cannot continue.');
  }
  return { verify, checks };
}

/** Step 7: new activity arrives, live from the emulated Slack workspace when there is one, else as an NDJSON feed. */
async function newActivityStep(step: {
  stateDir: string;
  store: AsyncStore;
  config: SyncConfig;
  keys: Omit<KeyOptions, 'stateDir'>;
  slack: DemoSlack | undefined;
  scratch: string;
  now: Date;
  say: (line: string) => void;
}): Promise<LiveSlackStep | undefined> {
  const { stateDir, store, config, keys, slack, scratch, now, say } = step;
  if (slack) {
    const channel = await generalChannel(store);
    const liveStep = await runLiveSlackStep({
      stateDir,
      store,
      config,
      keys,
      slack,
      channel,
      authors: (await topMembers(store)).filter((m) => m.slackUserId !== null) as Array<{
        slackUserId: string;
        name: string;
      }>,
      now,
    });
    const read = liveStep.firstImport.read;
    say(
      `7. Live from Slack: connected the emulated workspace ${liveStep.workspace}; its Web API first import read ` +
        `${read?.channels ?? 0} channels in ${read?.calls ?? 0} calls and found the export's messages already stored ` +
        `(${read?.activities.new ?? 0} new). Three members then posted in #${channel.name} (three messages, a thread ` +
        `reply and a reaction); ${liveStep.received} of ${liveStep.posted} signed events were received and ${liveStep.catchUp.eventsApplied} applied` +
        `${liveStep.catchUp.read ? '' : ' (no Web API read: they came as events)'}${liveStep.received < liveStep.posted ? '. Warning: some events did not arrive; the hourly Web API poll would catch them' : ''}. Incremental sync:`,
    );
    return liveStep;
  }
  const feed = await writeNewActivityFeed(store, scratch, now);
  const fresh = await ingest({ path: feed.file, store, config, now });
  say(
    `7. New activity arrived: ${feed.events} events in an NDJSON feed (${fresh.activities.new} new activities). Incremental sync:`,
  );
  return undefined;
}

/** How much of what was posted in Slack during the demo reached the org. */
function liveInOrg(
  org: DemoOrgData,
  liveStep: LiveSlackStep,
  say: (line: string) => void,
): NonNullable<DemoResult['live']> {
  const wanted = new Set(liveStep.activityIds);
  const inOrg = org.records(SObjects.Activity).filter((a) => wanted.has(String(a[ActivityFields.Tightknit_Id]))).length;
  say(`   ${inOrg} of the ${wanted.size} activities posted in Slack during this demo are now in the org.`);
  return {
    posted: liveStep.posted,
    received: liveStep.received,
    eventsApplied: liveStep.catchUp.eventsApplied,
    inOrg,
    workspace: liveStep.workspace,
  };
}

/** Step 8: what a sales rep sees — the top Accounts and one Contact's recent community activity. */
function showSalesView(
  org: DemoOrgData,
  say: (line: string) => void,
): { accounts: AccountEngagement[]; contact: ContactActivity | undefined } {
  const accounts = topAccounts(org);
  say('8. What a sales rep sees — top Accounts by community engagement (sum of member scores via Contact):');
  accounts.forEach((a, i) =>
    say(
      `   ${i + 1}. ${a.name.padEnd(18)} score ${a.score.toFixed(2).padStart(7)}  (${a.members} ${a.members === 1 ? 'member' : 'members'})`,
    ),
  );
  const contact = contactActivity(org);
  if (contact) {
    say(
      `   Recent community activity of ${contact.contactName} <${contact.email}> — ${contact.level}, score ${contact.score.toFixed(2)}:`,
    );
    for (const a of contact.activities)
      say(`     ${a.occurredAt.slice(0, 16).replace('T', ' ')}  ${a.type.padEnd(16)} ${a.summary}`);
  }
  return { accounts, contact };
}

/** Step 3: connects to the emulated org with client credentials and notes it in the history. */
async function connectToOrg(
  stateDir: string,
  keys: Omit<KeyOptions, 'stateDir'>,
  org: DemoOrg,
  store: AsyncStore,
  say: (line: string) => void,
): Promise<void> {
  const connected = await connect({
    stateDir,
    ...keys,
    method: 'client-credentials',
    loginUrl: org.loginUrl,
    clientId: org.clientId,
    clientSecret: org.clientSecret,
  });
  await recordEvent(
    store,
    'connected',
    `Connected to ${connected.info.instanceUrl} as ${connected.info.username ?? ''} (demo).`,
  );
  say(`3. Connected with client credentials as ${connected.info.username ?? 'the integration user'}.`);
}
