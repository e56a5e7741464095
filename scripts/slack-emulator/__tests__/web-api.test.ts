import { ErrorCode, LogLevel, WebClient, WebClientEvent } from '@slack/web-api';
import { SlackEmulator, startSlackEmulator } from '../index';

const quiet = { retryConfig: { retries: 0 } };

describe('Slack emulator Web API (driven by @slack/web-api)', () => {
  let emu: SlackEmulator;
  let client: WebClient;

  beforeEach(async () => {
    emu = await startSlackEmulator();
    client = new WebClient(emu.botToken, { slackApiUrl: emu.apiUrl, ...quiet });
  });
  afterEach(() => emu.close());

  it('answers auth.test and team.info, reporting the granted scopes in x-oauth-scopes', async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, team_id: emu.teamId, user_id: 'U0EMUBOT01', bot_id: 'B0EMUBOT01' });
    expect(auth.response_metadata?.scopes).toEqual(expect.arrayContaining(['channels:history', 'users:read.email']));
    const team = await client.team.info();
    expect(team.team).toMatchObject({ id: emu.teamId, name: 'Acme Community', domain: 'acme-community' });
    expect(emu.calls()).toEqual({ 'auth.test': 1, 'team.info': 1 });
  });

  it('pages users.list with next_cursor and hides email without users:read.email', async () => {
    const ids: string[] = [];
    let pages = 0;
    for await (const page of client.paginate('users.list', { limit: 3 })) {
      pages++;
      ids.push(...((page as { members?: Array<{ id: string }> }).members ?? []).map((m) => m.id));
    }
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(8);
    const alice = await client.users.info({ user: 'U0EMUALICE' });
    expect(alice.user?.profile?.email).toBe('alice@acme.example');

    const noEmail = await startSlackEmulator({ scopes: ['users:read'] });
    try {
      const c = new WebClient(noEmail.botToken, { slackApiUrl: noEmail.apiUrl, ...quiet });
      const u = await c.users.info({ user: 'U0EMUALICE' });
      expect(u.user?.profile).not.toHaveProperty('email');
      expect(u.user?.profile?.real_name).toBe('Alice Nguyen');
    } finally {
      await noEmail.close();
    }
  });

  it('lists private channels only when asked for and the bot is a member', async () => {
    const pub = await client.conversations.list({});
    expect(pub.channels?.map((c) => c.id)).toEqual(['C0EMUGENRL', 'C0EMUHELP1', 'C0EMURANDM', 'C0EMUEMPTY']);
    const all = await client.conversations.list({ types: 'public_channel,private_channel' });
    expect(all.channels?.map((c) => c.id)).toContain('G0EMULEADS');
    expect(all.channels?.find((c) => c.id === 'C0EMURANDM')?.is_member).toBe(false);
  });

  it('pages conversations.history newest first, replies only in conversations.replies', async () => {
    const seen: Array<{ ts: string; thread_ts?: string; subtype?: string }> = [];
    let pages = 0;
    for await (const page of client.paginate('conversations.history', { channel: 'C0EMUGENRL', limit: 2 })) {
      pages++;
      seen.push(...((page as { messages?: typeof seen }).messages ?? []));
    }
    expect(pages).toBe(4);
    expect(seen).toHaveLength(7);
    const keys = seen.map((m) => m.ts);
    expect([...keys].sort().reverse()).toEqual(keys);
    expect(seen.every((m) => !m.thread_ts || m.thread_ts === m.ts)).toBe(true);

    const thread = await client.conversations.replies({ channel: 'C0EMUGENRL', ts: seen.find((m) => m.thread_ts)!.ts });
    expect(thread.messages?.map((m) => m.text)).toEqual([
      '¡Hola a todos! Happy to be here.',
      'Welcome Bruno!',
      'ようこそ！',
    ]);

    const help = await client.conversations.history({ channel: 'C0EMUHELP1' });
    expect(help.messages?.map((m) => m.subtype ?? 'message')).toEqual(['message', 'thread_broadcast', 'message']);
    expect(help.has_more).toBe(false);
    expect(help.response_metadata?.next_cursor).toBeUndefined();
  });

  it('honours oldest, latest and inclusive', async () => {
    const all = (await client.conversations.history({ channel: 'C0EMUGENRL' })).messages!;
    const [newest, second, third] = all.map((m) => m.ts!);
    const window = await client.conversations.history({ channel: 'C0EMUGENRL', oldest: third, latest: newest });
    expect(window.messages?.map((m) => m.ts)).toEqual([second]);
    const incl = await client.conversations.history({
      channel: 'C0EMUGENRL',
      oldest: third,
      latest: newest,
      inclusive: true,
    });
    expect(incl.messages?.map((m) => m.ts)).toEqual([newest, second, third]);
  });

  it('refuses as Slack does: not_in_channel, channel_not_found, missing_scope, invalid_auth, token_revoked', async () => {
    const code = async (p: Promise<unknown>): Promise<Record<string, unknown>> => {
      try {
        await p;
      } catch (e) {
        expect((e as { code: string }).code).toBe(ErrorCode.PlatformError);
        return (e as { data: Record<string, unknown> }).data;
      }
      throw new Error('expected a platform error');
    };
    expect((await code(client.conversations.history({ channel: 'C0EMURANDM' }))).error).toBe('not_in_channel');
    expect((await code(client.conversations.history({ channel: 'C0NOPE' }))).error).toBe('channel_not_found');

    const limited = await startSlackEmulator({ scopes: ['channels:read', 'users:read'] });
    try {
      const c = new WebClient(limited.botToken, { slackApiUrl: limited.apiUrl, ...quiet });
      const data = await code(c.conversations.history({ channel: 'C0EMUGENRL' }));
      expect(data).toMatchObject({
        error: 'missing_scope',
        needed: 'channels:history',
        provided: 'channels:read,users:read',
      });
      expect((await code(c.conversations.list({ types: 'private_channel' }))).needed).toBe('groups:read');
    } finally {
      await limited.close();
    }

    const stranger = new WebClient('xoxb-not-a-token', { slackApiUrl: emu.apiUrl, ...quiet });
    expect((await code(stranger.auth.test())).error).toBe('invalid_auth');
    emu.revokeToken();
    expect((await code(client.auth.test())).error).toBe('token_revoked');
  });

  it('rate limits with 429 and Retry-After, and WebClient waits and retries', async () => {
    const limited = await startSlackEmulator({ rateLimits: 'marketplace', timeScale: 60 });
    try {
      const retries: number[] = [];
      const c = new WebClient(limited.botToken, {
        slackApiUrl: limited.apiUrl,
        retryConfig: { retries: 3, minTimeout: 10 },
        logLevel: LogLevel.ERROR,
      });
      c.on(WebClientEvent.RATE_LIMITED, (sec: number) => retries.push(sec));
      const started = Date.now();
      const first = await c.conversations.history({ channel: 'C0EMUGENRL', limit: 200 });
      expect(first.messages).toHaveLength(7);
      const second = await c.conversations.history({ channel: 'C0EMUGENRL' });
      expect(second.ok).toBe(true);
      expect(retries).toEqual([1]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(limited.calls()['conversations.history']).toBe(3);

      const strict = new WebClient(limited.botToken, { slackApiUrl: limited.apiUrl, rejectRateLimitedCalls: true });
      await expect(
        strict.conversations.replies({ channel: 'C0EMUGENRL', ts: first.messages![0].ts! }),
      ).resolves.toMatchObject({ ok: true });
      await expect(
        strict.conversations.replies({ channel: 'C0EMUGENRL', ts: first.messages![0].ts! }),
      ).rejects.toMatchObject({
        code: ErrorCode.RateLimitedError,
        retryAfter: 1,
      });
    } finally {
      await limited.close();
    }
  });
});
