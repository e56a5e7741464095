import type { AsyncEventInbox, AsyncStore } from '../../../../store';
import { onStoreFile } from '../../../../../test-support/store-file';
import { FIXTURE_EXPORT, NOW, cleanup, newStore, run, tempDir } from '../../../__tests__/helpers';
import { applySlackEvents, readSlackWorkspace } from '..';
import { fakeSlack, workspaceFromExport } from './fake-slack';

const TEAM = 'T0FIXTURE';
const C = `slack:${TEAM}`;
let n = 0;

function envelope(event: Record<string, unknown>): {
  event_id: string;
  team_id: string;
  event_time: number;
  event: { type: string };
} {
  n += 1;
  return {
    event_id: `Ev${String(n).padStart(6, '0')}`,
    team_id: TEAM,
    event_time: 1768300000 + n,
    event: event as { type: string },
  };
}

describe('applySlackEvents', () => {
  let dir: string;
  let store: AsyncStore;
  let inbox: AsyncEventInbox;

  const post = async (...events: Array<Record<string, unknown>>): Promise<void> => {
    for (const e of events) {
      const env = { token: 'x', api_app_id: 'A1', type: 'event_callback', ...envelope(e) };
      await inbox.add(env, JSON.stringify(env));
    }
  };
  const apply = () => applySlackEvents({ store, inbox, now: NOW });
  const activity = (id: string) => store.getActivity(`${C}:${id}`);

  beforeEach(async () => {
    dir = tempDir();
    store = newStore(dir);
    await run(store, FIXTURE_EXPORT, { workspaceName: 'Acme', workspaceDomain: 'acme' });
    inbox = store.inbox;
  });

  afterEach(async () => {
    await store.close();
    cleanup(dir);
  });

  it('stores new messages, thread replies, channel joins, file shares and bot messages with the export ids', async () => {
    // A live read records the bots' ids (users.list: profile.bot_id), which an export import does not keep.
    await readSlackWorkspace({ store, client: fakeSlack(workspaceFromExport(FIXTURE_EXPORT)).client, now: NOW });
    await post(
      {
        type: 'message',
        channel: 'C02HELP',
        user: 'U01ANA',
        text: 'Hi',
        ts: '1768300000.000100',
        event_ts: '1768300000.000100',
      },
      {
        type: 'message',
        channel: 'C02HELP',
        user: 'U02BJORN',
        text: 'reply',
        ts: '1768300001.000100',
        thread_ts: '1768300000.000100',
        parent_user_id: 'U01ANA',
      },
      {
        type: 'message',
        subtype: 'channel_join',
        channel: 'C02HELP',
        user: 'U04NOMAIL',
        text: 'joined',
        ts: '1768300002.000100',
      },
      {
        type: 'message',
        subtype: 'file_share',
        channel: 'C02HELP',
        user: 'U02BJORN',
        text: '',
        ts: '1768300003.000100',
        files: [{ id: 'F1', name: 'plan.pdf' }],
      },
      {
        type: 'message',
        subtype: 'bot_message',
        channel: 'C02HELP',
        bot_id: 'B0BOT',
        text: 'beep',
        ts: '1768300004.000100',
      },
    );
    const result = await apply();
    expect(result).toEqual({ applied: 5, ignored: {} });
    expect((await activity('C02HELP:1768300000.000100'))?.row).toMatchObject({
      activityType: 'message_sent',
      memberId: `${C}:U01ANA`,
      channelName: 'help',
      permalink: 'https://acme.slack.com/archives/C02HELP/p1768300000000100',
    });
    expect((await activity('C02HELP:1768300001.000100'))?.row).toMatchObject({
      activityType: 'thread_reply',
      targetMemberId: `${C}:U01ANA`,
    });
    expect((await activity('C02HELP:1768300002.000100:join'))?.row.activityType).toBe('channel_joined');
    expect((await activity('C02HELP:1768300003.000100'))?.row).toMatchObject({ activityType: 'file_shared' });
    expect(JSON.parse((await activity('C02HELP:1768300003.000100'))?.row.metadata ?? '{}')).toMatchObject({
      files: ['plan.pdf'],
    });
    // The export's bot user U06BOT has profile.bot_id B0BOT: a live bot message is theirs too.
    expect((await activity('C02HELP:1768300004.000100'))?.row.memberId).toBe(`${C}:U06BOT`);
    expect(await inbox.counts()).toMatchObject({ pending: 0, applied: 5 });
    expect(await apply()).toEqual({ applied: 0, ignored: {} });
  });

  it('applies edits (storing an unseen message) and deletions (a no-op, counted, when unseen)', async () => {
    await post(
      {
        type: 'message',
        subtype: 'message_changed',
        channel: 'C01GEN',
        message: {
          type: 'message',
          user: 'U01ANA',
          text: 'Olá (edited)',
          ts: '1768003260.000200',
          edited: { ts: '1768300000.000000' },
        },
        previous_message: { type: 'message', user: 'U01ANA', text: 'Olá', ts: '1768003260.000200' },
      },
      {
        type: 'message',
        subtype: 'message_changed',
        channel: 'C02HELP',
        message: { type: 'message', user: 'U03YAMADA', text: 'never seen before', ts: '1768290000.000100' },
      },
      {
        type: 'message',
        subtype: 'message_deleted',
        channel: 'C01GEN',
        deleted_ts: '1768003260.000200',
        previous_message: {},
      },
      {
        type: 'message',
        subtype: 'message_deleted',
        channel: 'C01GEN',
        deleted_ts: '1768000000.000999',
        previous_message: {},
      },
    );
    const result = await apply();
    expect(result.applied).toBe(3);
    expect(result.ignored).toEqual({ 'message_deleted (message not stored)': 1 });
    expect((await activity('C02HELP:1768290000.000100'))?.row.memberId).toBe(`${C}:U03YAMADA`);
    // The deleted message and its three reactions from the export.
    const gone = (await store.changedActivities(0, 10_000)).filter((a) =>
      a.row.tightknitId.startsWith(`${C}:C01GEN:1768003260.000200`),
    );
    expect(gone).toHaveLength(4);
    expect(gone.every((a) => a.deleted)).toBe(true);
  });

  it('adds reactions at their own time and removes them', async () => {
    await post(
      {
        type: 'reaction_added',
        user: 'U03YAMADA',
        reaction: 'eyes',
        item: { type: 'message', channel: 'C02HELP', ts: '1768176060.000200' },
        item_user: 'U03YAMADA',
        event_ts: '1768300100.000100',
      },
      {
        type: 'reaction_removed',
        user: 'U02BJORN',
        reaction: 'tada',
        item: { type: 'message', channel: 'C01GEN', ts: '1768003260.000200' },
        item_user: 'U01ANA',
        event_ts: '1768300101.000100',
      },
      {
        type: 'reaction_added',
        user: 'U01ANA',
        reaction: 'x',
        item: { type: 'file', file: 'F1' },
        event_ts: '1768300102.000100',
      },
    );
    const result = await apply();
    expect(result).toEqual({ applied: 2, ignored: { 'reaction_added on a file': 1 } });
    expect((await activity('C02HELP:1768176060.000200:reaction:eyes:U03YAMADA'))?.row).toMatchObject({
      activityType: 'reaction_added',
      occurredAt: new Date(1768300100000).toISOString(),
      targetMemberId: `${C}:U03YAMADA`,
      summary: 'Reacted :eyes: in #help',
    });
    expect((await activity('C01GEN:1768003260.000200:reaction:tada:U02BJORN'))?.deleted).toBe(true);
  });

  it('applies team_join, user_change (profile, deactivation) and member_joined_channel', async () => {
    await post(
      {
        type: 'team_join',
        user: {
          id: 'U09NEW',
          team_id: TEAM,
          name: 'neo',
          profile: { real_name: 'Neo Ñandú', email: 'neo@example.com' },
        },
      },
      {
        type: 'user_change',
        user: { id: 'U01ANA', team_id: TEAM, name: 'ana.lima', profile: { real_name: 'Ana Lima', title: 'CEO' } },
      },
      { type: 'user_change', user: { id: 'U02BJORN', team_id: TEAM, name: 'bj', deleted: true, profile: {} } },
      { type: 'member_joined_channel', user: 'U0UNKNOWN', channel: 'C02HELP', event_ts: '1768300200.000100' },
    );
    expect((await apply()).applied).toBe(4);
    expect((await store.getMember(`${C}:U09NEW`))?.row).toMatchObject({
      name: 'Neo Ñandú',
      email: 'neo@example.com',
      status: 'Active',
    });
    expect((await store.getMember(`${C}:U01ANA`))?.row.title).toBe('CEO');
    expect((await store.getMember(`${C}:U02BJORN`))?.row).toMatchObject({ status: 'Deleted', email: null });
    expect((await activity('C01GEN:1768003320.000300'))?.deleted).toBe(true);
    expect((await store.getMember(`${C}:U0UNKNOWN`))?.row.isPlaceholder).toBe(true);
  });

  it('asks the next poll to re-read users.list for an unknown user, and to retry a skipped channel the bot joined', async () => {
    const cursors = store.slackCursors;
    await cursors.putChannel(C, 'C03EMPTY', 'empty', 'public');
    await cursors.noteSkipped(C, 'C03EMPTY', 'not_in_channel', NOW.getTime());
    await post(
      { type: 'message', channel: 'C02HELP', user: 'U0STRANGER', text: 'hi', ts: '1768300700.000100' },
      { type: 'member_joined_channel', user: 'U06BOT', channel: 'C03EMPTY', event_ts: '1768300701.000100' },
    );
    expect((await apply()).applied).toBe(2);
    expect(await cursors.meta(C, 'directory_stale')).toBe('1');
    expect((await cursors.channel(C, 'C03EMPTY'))?.skippedReason).toBeNull();
  });

  it('records created and renamed channels, and acknowledges unknown event types', async () => {
    await post(
      { type: 'channel_created', channel: { id: 'C09NEW', name: 'launch', created: 1768300000, creator: 'U01ANA' } },
      { type: 'channel_rename', channel: { id: 'C09NEW', name: 'launch-2026' } },
      { type: 'message', channel: 'C09NEW', user: 'U01ANA', text: 'first', ts: '1768300300.000100' },
      { type: 'pin_added', channel_id: 'C01GEN' },
    );
    const result = await apply();
    expect(result).toEqual({ applied: 3, ignored: { 'unknown type pin_added': 1 } });
    expect(await store.slackCursors.channel(C, 'C09NEW')).toMatchObject({ name: 'launch-2026', kind: 'public' });
    expect((await activity('C09NEW:1768300300.000100'))?.row.summary).toBe('Posted in #launch-2026');
    expect(await inbox.counts()).toMatchObject({ pending: 0, unknownTypes: 1 });
  });

  it('keeps a 40,000-character message in any script whole, with an excerpt that never splits an emoji', async () => {
    const unit = 'Ωμέγα 山田 مرحبا שלום 👩🏽‍💻 é́ \u200d𝔘𝔫𝔦 ';
    const body = unit.repeat(Math.ceil(40_000 / unit.length)).slice(0, 40_000);
    await post({ type: 'message', channel: 'C02HELP', user: 'U03YAMADA', text: body, ts: '1768300400.000100' });
    await apply();
    const meta = JSON.parse((await activity('C02HELP:1768300400.000100'))?.row.metadata ?? '{}') as { excerpt: string };
    expect(body.startsWith(meta.excerpt)).toBe(true);
    expect(meta.excerpt.length).toBeLessThanOrEqual(500);
    expect(/[\ud800-\udbff]$/.test(meta.excerpt)).toBe(false);
  });

  it('fetches a user the store lacks with users.info when a client is given', async () => {
    const ws = workspaceFromExport(FIXTURE_EXPORT);
    ws.users.push({ id: 'U10LATE', team_id: TEAM, name: 'late', profile: { real_name: 'Late Comer' } });
    const slack = fakeSlack(ws);
    await post({ type: 'message', channel: 'C02HELP', user: 'U10LATE', text: 'hello', ts: '1768300500.000100' });
    await applySlackEvents({ store, inbox, client: slack.client, now: NOW });
    expect(slack.calls).toEqual({ 'users.info': 1 });
    expect((await store.getMember(`${C}:U10LATE`))?.row).toMatchObject({ name: 'Late Comer', isPlaceholder: false });
  });

  it('leaves events pending when the store transaction fails', async () => {
    await post({ type: 'message', channel: 'C02HELP', user: 'U01ANA', text: 'x', ts: '1768300600.000100' });
    onStoreFile(store, (db) =>
      db.exec("CREATE TRIGGER boom BEFORE INSERT ON activities BEGIN SELECT RAISE(ABORT, 'boom'); END"),
    );
    await expect(apply()).rejects.toMatchObject({ message: 'boom' });
    expect((await inbox.counts()).pending).toBe(1);
    onStoreFile(store, (db) => db.exec('DROP TRIGGER boom'));
    expect((await apply()).applied).toBe(1);
  });
});
