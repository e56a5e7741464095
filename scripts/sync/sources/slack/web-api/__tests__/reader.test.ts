import { DEFAULT_ENGAGEMENT } from '../../../../engagement';
import { TightknitError } from '../../../../errors';
import type { ActivityRow, AsyncStore } from '../../../../store';
import { onStoreFile } from '../../../../../test-support/store-file';
import { FIXTURE_EXPORT, NOW, cleanup, newStore, run, tempDir } from '../../../__tests__/helpers';
import { SlackAuthError, SlackReadAborted, SlackScopeError, readSlackWorkspace } from '..';
import { fakeSlack, workspaceFromExport, type FakeSlack } from './fake-slack';

const TEAM = 'T0FIXTURE';
const COMMUNITY = `slack:${TEAM}`;

async function activities(store: AsyncStore): Promise<Map<string, ActivityRow & { deleted: boolean }>> {
  const out = new Map<string, ActivityRow & { deleted: boolean }>();
  for (const r of await store.changedActivities(0, 100_000))
    out.set(r.row.tightknitId, { ...r.row, deleted: r.deleted });
  return out;
}

function read(store: AsyncStore, slack: FakeSlack, extra: Partial<Parameters<typeof readSlackWorkspace>[0]> = {}) {
  return readSlackWorkspace({ store, client: slack.client, now: NOW, engagement: DEFAULT_ENGAGEMENT, ...extra });
}

describe('readSlackWorkspace', () => {
  let dir: string;
  let store: AsyncStore;

  beforeEach(() => {
    dir = tempDir();
    store = newStore(dir);
  });

  afterEach(async () => {
    await store.close();
    cleanup(dir);
  });

  it('reads the workspace with exactly the ids and rows the export reader writes', async () => {
    const slack = fakeSlack(workspaceFromExport(FIXTURE_EXPORT), { maxPage: 2 });
    const summary = await read(store, slack);
    expect(summary.communityId).toBe(COMMUNITY);
    expect(summary.channels).toBe(3);
    expect(summary.channelsSkipped).toEqual([]);

    const exported = newStore(dir + '/export');
    try {
      await run(exported, FIXTURE_EXPORT, { workspaceName: 'Acme Community', workspaceDomain: 'acme' });
      const live = await activities(store);
      const fromExport = await activities(exported);
      const publicOnly = [...fromExport.values()].filter((a) => a.channelId?.startsWith('C'));
      expect([...live.keys()].sort()).toEqual(publicOnly.map((a) => a.tightknitId).sort());
      for (const a of publicOnly) expect(live.get(a.tightknitId)).toEqual(a);
      const members = async (s: AsyncStore) => (await s.changedMembers(0, 1000)).map((m) => ({ ...m.row, seq: 0 }));
      const byId = (a: { tightknitId: string }, b: { tightknitId: string }) =>
        a.tightknitId.localeCompare(b.tightknitId);
      expect((await members(store)).sort(byId)).toEqual((await members(exported)).sort(byId));
    } finally {
      await exported.close();
    }
    const community = (await store.getCommunity(COMMUNITY))?.row;
    expect(community).toMatchObject({
      name: 'Acme Community',
      slackDomain: 'acme',
      slackUrl: 'https://acme.slack.com',
      logoUrl: 'https://icons.example.com/acme_230.png',
    });
  });

  it('continues an imported export with no duplicate and no gap, then polls with one call per channel', async () => {
    await run(store, FIXTURE_EXPORT, { workspaceName: 'Acme Community', workspaceDomain: 'acme' });
    const before = await activities(store);
    const maxSeq = await store.maxSeq();
    const ws = workspaceFromExport(FIXTURE_EXPORT);
    const slack = fakeSlack(ws);

    const first = await read(store, slack);
    // The watermark starts at the export's newest millisecond: messages of that millisecond are read
    // again (unchanged), none after it is missed.
    expect(first.activities).toMatchObject({ new: 0, changed: 0 });
    expect(first.members).toMatchObject({ new: 0, changed: 0 });
    expect(await activities(store)).toEqual(before);
    // Only the community moved: team.info brought the logo an export does not carry.
    expect(await store.maxSeq()).toBe(maxSeq + 1);
    expect((await store.getCommunity(COMMUNITY))?.seq).toBe(maxSeq + 1);

    ws.messages.C02HELP.push({
      type: 'message',
      user: 'U02BJORN',
      text: 'New since the export ✨',
      ts: '1768262400.000100',
    });
    for (const k of Object.keys(slack.calls)) delete slack.calls[k];
    const second = await read(store, slack, { teamId: TEAM });
    expect(second.activities.new).toBe(1);
    expect((await store.getActivity(`${COMMUNITY}:C02HELP:1768262400.000100`))?.row.memberId).toBe(
      `${COMMUNITY}:U02BJORN`,
    );
    // #general and #help had messages in the last 30 days; the empty #empty was checked today.
    expect(slack.calls).toEqual({ 'conversations.history': 2 });

    for (const k of Object.keys(slack.calls)) delete slack.calls[k];
    const seq = await store.maxSeq();
    const quiet = await read(store, slack, { teamId: TEAM });
    expect(quiet.activities).toEqual({ new: 0, changed: 0, unchanged: 0 });
    expect(slack.calls).toEqual({ 'conversations.history': 2 });
    expect(quiet.calls).toBe(2);
    expect(await store.maxSeq()).toBe(seq);
  });

  it('does not move a watermark when the transaction holding its messages fails', async () => {
    const ws = workspaceFromExport(FIXTURE_EXPORT);
    const slack = fakeSlack(ws);
    onStoreFile(store, (db) =>
      db.exec(`CREATE TRIGGER boom BEFORE INSERT ON activities WHEN NEW.channel_id = 'C02HELP'
      BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END`),
    );
    // SqliteError comes from the native module's realm: matched by message, not by class.
    await expect(read(store, slack)).rejects.toMatchObject({ message: 'disk full (test)' });
    const cursors = store.slackCursors;
    expect(await cursors.channel(COMMUNITY, 'C02HELP')).toMatchObject({ watermarkTs: null, passNewestTs: null });
    expect((await cursors.channel(COMMUNITY, 'C01GEN'))?.watermarkTs).toBe('1768089720.000300');

    onStoreFile(store, (db) => db.exec('DROP TRIGGER boom'));
    const again = await read(store, slack);
    // The channel's message, its join and two reactions: nothing of #help was half-written before.
    expect(again.activities.new).toBe(4);
    expect([...(await activities(store)).keys()].filter((id) => id.includes(':C02HELP:'))).toHaveLength(4);
    expect((await cursors.channel(COMMUNITY, 'C02HELP'))?.watermarkTs).toBe('1768176060.000200');
  });

  it('skips a channel the bot is not in, names it in the summary, and reads the others', async () => {
    const slack = fakeSlack(workspaceFromExport(FIXTURE_EXPORT), {
      errors: { 'conversations.history:C02HELP': { error: 'not_in_channel' } },
    });
    const summary = await read(store, slack);
    expect(summary.channels).toBe(2);
    expect(summary.channelsSkipped).toEqual([
      { id: 'C02HELP', name: 'help', reason: expect.stringContaining('/invite') as string },
    ]);
    expect(await store.getActivity(`${COMMUNITY}:C01GEN:1768003260.000200`)).toBeDefined();
    // Not tried again until the channel list is read again, but still reported.
    const next = await read(store, slack, { teamId: TEAM });
    expect(next.channelsSkipped.map((c) => c.id)).toEqual(['C02HELP']);
    expect(slack.calls['conversations.history']).toBe(3 + 1);
  });

  it('re-reads users.list and the channel list after an hour, or at once when an event asked for it', async () => {
    const slack = fakeSlack(workspaceFromExport(FIXTURE_EXPORT));
    await read(store, slack);
    const directory = () => [slack.calls['users.list'] ?? 0, slack.calls['conversations.list'] ?? 0];
    expect(directory()).toEqual([1, 1]);
    await read(store, slack, { teamId: TEAM, now: new Date(NOW.getTime() + 30 * 60_000) });
    expect(directory()).toEqual([1, 1]);
    await read(store, slack, { teamId: TEAM, now: new Date(NOW.getTime() + 61 * 60_000) });
    expect(directory()).toEqual([2, 2]);
    await store.slackCursors.setMeta(COMMUNITY, 'directory_stale', '1');
    await read(store, slack, { teamId: TEAM, now: new Date(NOW.getTime() + 62 * 60_000) });
    expect(directory()).toEqual([3, 3]);
  });

  it('stops between calls when aborted, keeping what was stored', async () => {
    const slack = fakeSlack(workspaceFromExport(FIXTURE_EXPORT), { maxPage: 2 });
    const stop = new AbortController();
    const err = await read(store, slack, {
      signal: stop.signal,
      onProgress: (p) => {
        if (p.phase === 'channels') stop.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlackReadAborted);
    const next = await read(store, slack);
    expect(next.channels).toBe(3);
    expect((await activities(store)).size).toBeGreaterThan(20);
  });

  it('names a missing scope and how to add it', async () => {
    const slack = fakeSlack(workspaceFromExport(FIXTURE_EXPORT), {
      errors: { 'users.list': { error: 'missing_scope', needed: 'users:read' } },
    });
    const err = (await read(store, slack).catch((e: unknown) => e)) as SlackScopeError;
    expect(err).toBeInstanceOf(SlackScopeError);
    expect(err.exitCode).toBe(3);
    expect(err.needed).toBe('users:read');
    expect(err.message).toContain('users:read');
    expect(err.actions.join(' ')).toMatch(/OAuth & Permissions.*users:read.*reinstall/);
  });

  it.each(['token_revoked', 'invalid_auth', 'account_inactive'])(
    '%s → SlackAuthError (exit 3, reconnect)',
    async (code) => {
      const slack = fakeSlack(workspaceFromExport(FIXTURE_EXPORT), { errors: { 'team.info': { error: code } } });
      const err = (await read(store, slack).catch((e: unknown) => e)) as SlackAuthError;
      expect(err).toBeInstanceOf(SlackAuthError);
      expect(err).toBeInstanceOf(TightknitError);
      expect(err.exitCode).toBe(3);
      expect(err.message).toContain(code);
      expect(err.actions.join(' ')).toContain('tightknit-sync connect-slack');
      expect(err.message + err.actions.join(' ')).not.toContain('xoxb-');
    },
  );

  it('waits as Slack says when rate limited, then completes', async () => {
    const slack = fakeSlack(workspaceFromExport(FIXTURE_EXPORT), { rateLimitOnce: { 'conversations.history': 1 } });
    const started = Date.now();
    const summary = await read(store, slack);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(summary.channels).toBe(3);
    expect(slack.calls['conversations.history']).toBe(4);
  });

  it('completes under the 2025 non-Marketplace page cap (15 messages a call), slower', async () => {
    const ws = workspaceFromExport(FIXTURE_EXPORT);
    for (let i = 0; i < 40; i++) {
      ws.messages.C03EMPTY.push({
        type: 'message',
        user: 'U01ANA',
        text: `n${i}`,
        ts: `17683000${String(i).padStart(2, '0')}.000100`,
      });
    }
    const slack = fakeSlack(ws, { maxPage: 15 });
    const summary = await read(store, slack);
    expect(summary.channelsSkipped).toEqual([]);
    expect(await store.countChanged('activity', 0)).toBe((await activities(store)).size);
    expect([...(await activities(store)).keys()].filter((id) => id.includes(':C03EMPTY:'))).toHaveLength(40);
    expect(slack.calls['conversations.history']).toBeGreaterThanOrEqual(3 + 1 + 1);
  });
});

describe('readSlackWorkspace, a long channel in batches', () => {
  it('keeps the stored batches of a failed pass and resumes below them, moving the watermark only at the end', async () => {
    const dir = tempDir();
    const store = newStore(dir);
    try {
      const ws = workspaceFromExport(FIXTURE_EXPORT);
      for (let i = 10; i < 40; i++) {
        ws.messages.C03EMPTY.push({ type: 'message', user: 'U01ANA', text: `n${i}`, ts: `17683000${i}.000100` });
      }
      const slack = fakeSlack(ws, { maxPage: 4 });
      // The 12th newest message cannot be written: the batches above it are stored, the watermark is not moved.
      onStoreFile(store, (db) =>
        db.exec(`CREATE TRIGGER boom BEFORE INSERT ON activities WHEN NEW.id = '${COMMUNITY}:C03EMPTY:1768300028.000100'
        BEGIN SELECT RAISE(ABORT, 'boom'); END`),
      );
      await expect(read(store, slack, { batchMessages: 4 })).rejects.toMatchObject({ message: 'boom' });
      const cursors = store.slackCursors;
      const mid = await cursors.channel(COMMUNITY, 'C03EMPTY');
      expect(mid).toMatchObject({
        watermarkTs: null,
        passNewestTs: '1768300039.000100',
        passOldestTs: '1768300032.000100',
      });
      const ids = async () => [...(await activities(store)).keys()].filter((id) => id.includes(':C03EMPTY:'));
      expect(await ids()).toHaveLength(8);

      onStoreFile(store, (db) => db.exec('DROP TRIGGER boom'));
      slack.calls['conversations.history'] = 0;
      const again = await read(store, slack, { batchMessages: 4 });
      expect(again.activities.new).toBe(22);
      expect(await ids()).toHaveLength(30);
      expect(await cursors.channel(COMMUNITY, 'C03EMPTY')).toMatchObject({
        watermarkTs: '1768300039.000100',
        passNewestTs: null,
        passOldestTs: null,
      });
    } finally {
      await store.close();
      cleanup(dir);
    }
  });
});
