import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../errors';
import type { AsyncStore } from '../../store';
import { FIXTURE_EXPORT, cleanup, copyFixture, newStore, run, tempDir, zipFolder } from './helpers';

const T = 'T0FIXTURE';
const gen = (ts: string): string => `slack:${T}:C01GEN:${ts}`;
const member = (u: string): string => `slack:${T}:${u}`;

describe('Slack export ingest', () => {
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

  it('maps the workspace, users and messages with the stable ids of design.md', async () => {
    const summary = await run(store, FIXTURE_EXPORT, { workspaceName: 'Acme Community', workspaceDomain: 'acme' });

    const community = (await store.getCommunity(`slack:${T}`))!.row;
    expect(community).toMatchObject({
      name: 'Acme Community',
      platform: 'Slack',
      slackTeamId: T,
      slackDomain: 'acme',
      slackUrl: 'https://acme.slack.com',
    });
    // 5 people + 1 bot user + 2 placeholders; the deleted user is not counted.
    expect(community.memberCount).toBe(7);

    const ana = (await store.getMember(member('U01ANA')))!.row;
    expect(ana).toMatchObject({
      name: 'Ana Lima',
      email: 'ana@example.com',
      firstName: 'Ana',
      lastName: 'Lima',
      title: 'Head of "Growth", EMEA\n\tand partnerships',
      slackUserId: 'U01ANA',
      avatarUrl: 'https://avatars.example.com/U01ANA_512.png',
      timeZone: 'Europe/Lisbon',
      status: 'Active',
      isBot: false,
      isPlaceholder: false,
    });
    // Same address in another case on two users: both kept as written.
    expect((await store.getMember(member('U02BJORN')))!.row.email).toBe('BJORN@example.com');
    expect((await store.getMember(member('U03YAMADA')))!.row).toMatchObject({
      email: 'bjorn@EXAMPLE.com',
      name: '山田 太郎 José',
    });
    expect((await store.getMember(member('U04NOMAIL')))!.row).toMatchObject({
      email: null,
      name: 'Zoë “Quotes”, Tab\tName',
    });
    expect((await store.getMember(member('U06BOT')))!.row.isBot).toBe(true);

    const post = (await store.getActivity(gen('1768003260.000200')))!;
    expect(post.row).toMatchObject({
      activityType: 'message_sent',
      sourceType: 'message',
      memberId: member('U01ANA'),
      occurredAt: '2026-01-10T00:01:00.000Z',
      channelId: 'C01GEN',
      channelName: 'general',
      summary: 'Posted in #general',
      permalink: 'https://acme.slack.com/archives/C01GEN/p1768003260000200',
    });
    const meta = JSON.parse(post.row.metadata!);
    expect(meta.excerpt).toBe('Olá a todos! 🎉 "quoted", commas, and\na newline\tand a tab');
    expect(meta.permalink).toEqual({ domain: 'acme', channel: 'C01GEN', ts: '1768003260.000200', threadTs: null });

    const reaction = (await store.getActivity(`${gen('1768003260.000200')}:reaction:tada:U03YAMADA`))!.row;
    expect(reaction).toMatchObject({
      activityType: 'reaction_added',
      memberId: member('U03YAMADA'),
      targetMemberId: member('U01ANA'),
      occurredAt: post.row.occurredAt,
      summary: 'Reacted :tada: in #general',
    });
    expect(JSON.parse(reaction.metadata!).reaction).toBe('tada');

    expect((await store.getActivity(`${gen('1768003200.000100')}:join`))!.row).toMatchObject({
      activityType: 'channel_joined',
      summary: 'Joined #general',
    });
    expect((await store.getActivity(gen('1768003380.000400')))!.row).toMatchObject({
      activityType: 'thread_reply',
      targetMemberId: member('U02BJORN'),
      threadId: '1768003320.000300',
      summary: 'Replied in a thread in #general',
      permalink: 'https://acme.slack.com/archives/C01GEN/p1768003380000400?thread_ts=1768003320.000300&cid=C01GEN',
    });
    // No parent_user_id: the parent's author comes from the thread seen earlier (same file, then a later day).
    expect((await store.getActivity(gen('1768003440.000500')))!.row.targetMemberId).toBe(member('U02BJORN'));
    expect((await store.getActivity(gen('1768089660.000200')))!.row.targetMemberId).toBe(member('U02BJORN'));
    expect((await store.getActivity(gen('1768003500.000600')))!.row).toMatchObject({
      activityType: 'thread_reply',
      sourceType: 'thread_broadcast',
    });
    const parent = (await store.getActivity(gen('1768003320.000300')))!.row;
    expect(JSON.parse(parent.metadata!).replyCount).toBe(3);

    const file = (await store.getActivity(gen('1768089600.000100')))!.row;
    expect(file).toMatchObject({ activityType: 'file_shared', summary: 'Shared a file in #general' });
    expect(JSON.parse(file.metadata!).files).toEqual(['plan, "v2".pdf']);
    expect((await store.getActivity(gen('1768089720.000300')))!.row).toMatchObject({
      activityType: 'other',
      sourceType: 'pinned_item',
    });

    // Not activities.
    for (const ts of ['1768003560.000700', '1768003620.000800', '1768003680.000900']) {
      expect(await store.getActivity(gen(ts))).toBeUndefined();
    }
    expect(summary.ignored).toEqual({ channel_leave: 1, channel_topic: 1, tombstone: 1 });

    // Bots: the bot user of a known bot_id; a placeholder bot for an unknown one.
    expect((await store.getActivity(gen('1768003800.001100')))!.row.memberId).toBe(member('U06BOT'));
    expect((await store.getMember(member('B0UNKNOWN')))!.row).toMatchObject({
      name: 'deploybot',
      isBot: true,
      isPlaceholder: true,
    });
    // A user missing from users.json (Slack Connect): kept under a placeholder named after the id.
    expect((await store.getMember(member('UEXT1CONNECT')))!.row).toMatchObject({
      name: 'UEXT1CONNECT',
      isPlaceholder: true,
    });
    expect(summary.members).toMatchObject({ new: 8, placeholders: 2 });

    // Private conversations are left out by default, and a folder no list names is reported.
    expect(summary.privateConversationsSkipped).toBe(3);
    expect(await store.getActivity(`slack:${T}:G01SECRET:1768003200.000100`)).toBeUndefined();
    expect(summary.skipped).toEqual([
      { file: 'unlisted-folder/', reason: expect.stringContaining('not listed'), dayFiles: 1 },
    ]);
    expect(summary.activities).toMatchObject({ new: 22, changed: 0 });
  });

  it('clears a deleted user, keeps the row and marks their activities deleted', async () => {
    await run(store, FIXTURE_EXPORT);
    const gone = (await store.getMember(member('U05GONE')))!;
    expect(gone.deleted).toBe(false);
    expect(gone.row).toMatchObject({
      status: 'Deleted',
      name: 'Deleted user U05GONE',
      email: null,
      firstName: null,
      lastName: null,
      title: null,
      avatarUrl: null,
      timeZone: null,
      activityCount: 0,
      engagementLevel: 'None',
    });
    expect((await store.getActivity(gen('1768003920.001300')))!.deleted).toBe(true);
    // A reaction by an active member to the deleted user's message stays.
    const wave = (await store.getActivity(`${gen('1768003920.001300')}:reaction:wave:U01ANA`))!;
    expect(wave.deleted).toBe(false);
    expect(wave.row.targetMemberId).toBe(member('U05GONE'));
  });

  it('deletes the activities already stored when a user is deleted in a later export', async () => {
    const path = copyFixture(dir);
    await run(store, path);
    const before = (await store.getActivity(gen('1768003260.000200')))!;
    expect(before.deleted).toBe(false);
    const users = JSON.parse(readFileSync(join(path, 'users.json'), 'utf8'));
    users[0].deleted = true;
    writeFileSync(join(path, 'users.json'), JSON.stringify(users));
    // The user's messages are gone from the new export too.
    rmSync(join(path, 'general', '2026-01-10.json'));
    const summary = await run(store, path);
    const after = (await store.getActivity(gen('1768003260.000200')))!;
    expect(after.deleted).toBe(true);
    expect(after.seq).toBeGreaterThan(before.seq);
    expect(summary.activities.deleted).toBeGreaterThan(0);
    expect((await store.getMember(member('U01ANA')))!.row).toMatchObject({ status: 'Deleted', email: null });
  });

  it('imports private channels, group DMs and DMs only with includePrivate', async () => {
    const summary = await run(store, FIXTURE_EXPORT, { includePrivate: true });
    expect(summary.privateConversationsSkipped).toBe(0);
    expect((await store.getActivity(`slack:${T}:G01SECRET:1768003200.000100`))!.row.summary).toBe('Posted in #secret');
    expect((await store.getActivity(`slack:${T}:G02MPIM:1768003200.000200`))!.row.summary).toBe(
      'Posted in a group message',
    );
    expect((await store.getActivity(`slack:${T}:D01DM:1768003200.000300`))!.row).toMatchObject({
      summary: 'Posted in a direct message',
      channelName: null,
    });
  });

  it('re-importing the same export changes no row and moves no seq', async () => {
    const path = copyFixture(dir);
    const first = await run(store, path);
    const members = await store.changedMembers(0, 1000);
    const again = await run(store, path);
    expect(again.maxSeq).toBe(first.maxSeq);
    expect(again.activities).toMatchObject({ new: 0, changed: 0, unchanged: first.activities.new });
    expect(again.members).toMatchObject({ new: 0, changed: 0 });
    expect(again.communities).toEqual({ new: 0, changed: 0, unchanged: 1 });
    expect(await store.changedMembers(0, 1000)).toEqual(members);
    expect(again.filesUnchanged).toBe(3);
  });

  it('an edited message bumps only that activity and its author', async () => {
    const path = copyFixture(dir);
    const first = await run(store, path);
    const file = join(path, 'help', '2026-01-12.json');
    const messages = JSON.parse(readFileSync(file, 'utf8'));
    messages[1].text = 'Edited: can someone help with SAML?';
    writeFileSync(file, JSON.stringify(messages));
    const second = await run(store, path);
    expect(second.activities).toMatchObject({ new: 0, changed: 1 });
    const changed = await store.changedActivities(first.maxSeq, 100);
    expect(changed.map((a) => a.row.tightknitId)).toEqual([`slack:${T}:C02HELP:1768176060.000200`]);
    expect(JSON.parse(changed[0].row.metadata!).excerpt).toContain('SAML');
    // Stats of the author did not change: no member moved.
    expect(await store.changedMembers(first.maxSeq, 100)).toEqual([]);
  });

  it('finds a thread parent in the store when only the file with the reply changed', async () => {
    const path = copyFixture(dir);
    await run(store, path);
    const file = join(path, 'general', '2026-01-11.json');
    const messages = JSON.parse(readFileSync(file, 'utf8'));
    messages[1].text = 'late reply, edited';
    writeFileSync(file, JSON.stringify(messages));
    const second = await run(store, path);
    expect(second.filesUnchanged).toBe(2);
    expect((await store.getActivity(gen('1768089660.000200')))!.row.targetMemberId).toBe(member('U02BJORN'));
  });

  it('accepts day files and lists written with a byte order mark', async () => {
    const path = copyFixture(dir);
    for (const f of ['channels.json', join('help', '2026-01-12.json')]) {
      writeFileSync(join(path, f), `\uFEFF${readFileSync(join(path, f), 'utf8')}`);
    }
    const summary = await run(store, path);
    expect(summary.skipped.filter((s) => s.file !== 'unlisted-folder/')).toEqual([]);
    expect(await store.getActivity(`slack:${T}:C02HELP:1768176060.000200`)).toBeDefined();
  });

  it('reads org_users.json (Enterprise Grid) when there is no users.json', async () => {
    const path = copyFixture(dir);
    writeFileSync(join(path, 'org_users.json'), readFileSync(join(path, 'users.json')));
    rmSync(join(path, 'users.json'));
    const summary = await run(store, path);
    expect(summary.members.new).toBe(8);
  });

  it('reads the .zip in place, with or without a top folder, exactly as the folder', async () => {
    const zip = join(dir, 'acme.zip');
    zipFolder(FIXTURE_EXPORT, zip);
    const fromZip = await run(store, zip);
    expect(fromZip.source).toBe('slack-export-zip');
    const other = newStore(join(dir, 'b'));
    const nested = join(dir, 'nested.zip');
    zipFolder(FIXTURE_EXPORT, nested, 'Acme Slack export Jan 10 2026/');
    const fromNested = await run(other, nested);
    const fromFolder = await run(newStore(join(dir, 'c')), FIXTURE_EXPORT);
    for (const s of [fromZip, fromNested]) {
      expect(s.activities).toEqual(fromFolder.activities);
      expect(s.members).toEqual(fromFolder.members);
    }
    expect((await store.getCommunity(`slack:${T}`))!.row.name).toBe('acme');
    expect(await other.changedActivities(0, 1000)).toEqual(await store.changedActivities(0, 1000));
    await other.close();
  });

  it('keeps a 100,000+ character message and stores a 500 character excerpt', async () => {
    const path = copyFixture(dir);
    const long = `${'Ünïcödé ✓ "quotes", commas,\ttabs\nand lines. '.repeat(2500)}🎉`;
    expect(long.length).toBeGreaterThan(100_000);
    writeFileSync(
      join(path, 'help', '2026-01-13.json'),
      JSON.stringify([{ type: 'message', user: 'U02BJORN', text: long, ts: '1768262400.000100', team: T }]),
    );
    await run(store, path);
    const a = (await store.getActivity(`slack:${T}:C02HELP:1768262400.000100`))!.row;
    const excerpt = JSON.parse(a.metadata!).excerpt as string;
    expect(excerpt.length).toBe(500);
    expect(long.startsWith(excerpt)).toBe(true);
    expect(a.summary).toBe('Posted in #help');
  });

  describe('bad input', () => {
    it('stops on a malformed day file, names it, and leaves the store unchanged', async () => {
      const path = copyFixture(dir);
      writeFileSync(join(path, 'help', '2026-01-12.json'), '[{"type": "message", "ts": ');
      const error = await run(store, path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).code).toBe('INVALID_INPUT');
      expect((error as UsageError).message).toContain('help/2026-01-12.json');
      expect((error as UsageError).actions.join(' ')).toContain('--skip-invalid');
      expect(await store.counts()).toEqual({ community: 0, member: 0, activity: 0 });
      expect(await store.maxSeq()).toBe(0);
    });

    it('with skipInvalid, skips the file, lists it and imports the rest', async () => {
      const path = copyFixture(dir);
      writeFileSync(join(path, 'help', '2026-01-12.json'), 'not json at all');
      writeFileSync(join(path, 'general', '2026-01-12.json'), '{"an": "object"}');
      const summary = await run(store, path, { skipInvalid: true });
      expect(summary.skipped.map((s) => s.file)).toEqual(
        expect.arrayContaining(['help/2026-01-12.json', 'general/2026-01-12.json']),
      );
      expect(await store.getActivity(gen('1768003260.000200'))).toBeDefined();
      expect(await store.getActivity(`slack:${T}:C02HELP:1768176060.000200`)).toBeUndefined();
    });

    it('refuses an export without users.json, naming the fix', async () => {
      const path = copyFixture(dir);
      rmSync(join(path, 'users.json'));
      const error = (await run(store, path).catch((e: unknown) => e)) as UsageError;
      expect(error.code).toBe('MISSING_USERS_JSON');
      expect(error.actions[0]).toContain('users.json');
    });

    it('refuses a users.json that is not valid JSON, naming the element', async () => {
      const path = copyFixture(dir);
      writeFileSync(join(path, 'users.json'), '[{"id": "U1", "team_id": "T1"}, {"id": "U2", oops}]');
      const error = (await run(store, path, { skipInvalid: true }).catch((e: unknown) => e)) as UsageError;
      expect(error.code).toBe('INVALID_USERS_JSON');
      expect(error.message).toContain('element 2');
      expect(await store.maxSeq()).toBe(0);
    });

    it('refuses a zip that is not a Slack export, and a file that is not a zip', async () => {
      const zip = join(dir, 'photos.zip');
      zipFolder(join(FIXTURE_EXPORT, 'general'), zip);
      const error = (await run(store, zip).catch((e: unknown) => e)) as UsageError;
      expect(error.code).toBe('NOT_A_SLACK_EXPORT');
      expect(error.message).toContain('photos.zip');

      const fake = join(dir, 'fake.zip');
      writeFileSync(fake, 'PK but not really a zip');
      expect(((await run(store, fake).catch((e: unknown) => e)) as UsageError).code).toBe('NOT_A_ZIP');
      expect(((await run(store, join(dir, 'missing')).catch((e: unknown) => e)) as UsageError).code).toBe(
        'INPUT_NOT_FOUND',
      );
    });
  });
});
