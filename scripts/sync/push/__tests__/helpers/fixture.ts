import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyncConfigSchema, type SyncConfig, type SyncConfigInput } from '../../../config';
import { DEFAULT_ENGAGEMENT } from '../../../engagement';
import { openAsyncStore, type AsyncStore } from '../../../store';
import type { ActivityRow, MemberRow } from '../../../store/types';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../../org-emulator';
import type { SalesforceSession } from '../../../salesforce/http';
import type { PushTuning } from '../../context';
import { runSync, type RunSummary, type RunSyncOptions } from '../..';

/** Fast knobs for tests: 20 ms poll backoff, quick retries. */
export const FAST: Partial<PushTuning> = {
  poll: { initialMs: 20, maxMs: 200, timeoutMs: 30_000 },
  retry: { maxRetries: 4, backoffMs: 10, maxBackoffMs: 100 },
  collectionsThreshold: 0,
};

export const NOW = new Date('2026-11-20T12:00:00.000Z');
export const TEAM = 'slack:T1';

/**
 * A backfill of the harness's store in Bulk jobs of 8 rows, with the test defaults (fresh connection,
 * default config, NOW, FAST); the hook, stop signal and slice as given, and `tuning` added to those knobs.
 */
export function smallJobBackfill(
  h: Harness,
  opts: Pick<RunSyncOptions, 'bulkJob' | 'signal' | 'sliceUntil'> & { tuning?: Partial<PushTuning> } = {},
): Promise<RunSummary> {
  return runSync({
    store: h.store,
    connection: h.connection(),
    config: config(),
    type: 'backfill',
    now: NOW,
    ...opts,
    tuning: { ...FAST, maxJobRows: 8, ...opts.tuning },
  });
}

export function config(overrides: SyncConfigInput = {}): SyncConfig {
  return SyncConfigSchema.parse(overrides);
}

export interface Harness {
  emu: RunningEmulator;
  store: AsyncStore;
  stateDir: string;
  connection(): SalesforceSession;
  /** One push of the given type with the test defaults (fresh connection, default config, NOW, FAST). */
  run(type: 'backfill' | 'incremental' | 'rescore'): Promise<RunSummary>;
  close(): Promise<void>;
}

export async function harness(options: EmulatorOptions = {}): Promise<Harness> {
  const emu = await startEmulator(options);
  const stateDir = mkdtempSync(join(tmpdir(), 'tk-push-test-'));
  const store = openAsyncStore({ stateDir });
  const h: Harness = {
    emu,
    store,
    stateDir,
    run: (type) => runSync({ store, connection: h.connection(), config: config(), type, now: NOW, tuning: FAST }),
    connection(): SalesforceSession {
      return { instanceUrl: emu.instanceUrl, accessToken: emu.issueTokens('integration').accessToken, version: '65.0' };
    },
    async close(): Promise<void> {
      await store.close();
      await emu.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  return h;
}

export function member(
  n: number,
  extra: Partial<MemberRow> = {},
): Omit<MemberRow, 'lastActiveAt' | 'activityCount' | 'engagementScore' | 'engagementLevel'> {
  return {
    tightknitId: `${TEAM}:U${n}`,
    communityId: TEAM,
    name: `Member ${n}`,
    email: `member${n}@example.com`,
    firstName: `First${n}`,
    lastName: `Last${n}`,
    title: null,
    slackUserId: `U${n}`,
    avatarUrl: null,
    timeZone: 'Europe/Paris',
    status: 'Active',
    isBot: false,
    joinedAt: '2026-01-01T00:00:00.000Z',
    profileUrl: null,
    isPlaceholder: false,
    ...extra,
  };
}

export function activity(n: number, memberN: number, extra: Partial<ActivityRow> = {}): ActivityRow {
  return {
    tightknitId: `${TEAM}:C1:${1700000000 + n}.000100`,
    communityId: TEAM,
    memberId: `${TEAM}:U${memberN}`,
    targetMemberId: null,
    activityType: 'message_sent',
    sourceType: 'message',
    occurredAt: new Date(NOW.getTime() - n * 60_000).toISOString(),
    channelId: 'C1',
    channelName: 'general',
    threadId: null,
    permalink: null,
    summary: `Posted in #general (${n})`,
    metadata: null,
    ...extra,
  };
}

/** Writes a community, members 1..m and activities spread over them, through the store's own writer. */
export async function seed(
  store: AsyncStore,
  opts: {
    members: number;
    activities: number;
    memberExtra?: (n: number) => Partial<MemberRow>;
    activityExtra?: (n: number) => Partial<ActivityRow>;
  },
): Promise<void> {
  const w = await store.beginWrite();
  await w.putCommunity({
    tightknitId: TEAM,
    name: 'Test Community',
    platform: 'Slack',
    slackTeamId: 'T1',
    slackDomain: 'test',
    slackUrl: 'https://test.slack.com',
    logoUrl: null,
    studioUrl: null,
    description: null,
  });
  for (let i = 1; i <= opts.members; i++) await w.putMember(member(i, opts.memberExtra?.(i)));
  for (let i = 1; i <= opts.activities; i++)
    await w.putActivity(activity(i, ((i - 1) % opts.members) + 1, opts.activityExtra?.(i)));
  await w.commit(NOW, DEFAULT_ENGAGEMENT);
}

export async function addActivities(store: AsyncStore, from: number, count: number, members: number): Promise<void> {
  const w = await store.beginWrite();
  for (let i = from; i < from + count; i++) await w.putActivity(activity(i, ((i - 1) % members) + 1));
  await w.commit(NOW, DEFAULT_ENGAGEMENT);
}

export function byExternalId(rows: Array<Record<string, unknown>>): Map<string, Record<string, unknown>> {
  return new Map(rows.map((r) => [String(r.tightknit__Tightknit_Id__c), r]));
}
