import { WebClient } from '@slack/web-api';
import { generateWorkspace, SlackApp, startSlackApp } from '../index';
import { startReceiver, verifySlackSignature } from './helpers';

/** The first channel of a generated workspace: public, with the bot in it. */
const CHANNEL = 'C000000000';

describe('one Slack app installed in three workspaces', () => {
  let app: SlackApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const client = (token: string): WebClient =>
    new WebClient(token, { slackApiUrl: app.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
  const historyTexts = async (token: string): Promise<string[]> => {
    const page = await client(token).conversations.history({ channel: CHANNEL, limit: 5 });
    return (page.messages ?? []).map((m) => m.text ?? '');
  };

  beforeEach(async () => {
    receiver = await startReceiver();
    app = await startSlackApp({
      workspaces: [1, 2, 3].map((seed) => generateWorkspace({ members: 10, channels: 2, messages: 30, seed })),
      rateLimits: 'tiers',
      eventsUrl: receiver.url,
    });
  });
  afterEach(async () => {
    await app.close();
    await receiver.close();
  });

  it('gives each workspace its own team and bot token, one API host and one signing secret', async () => {
    const teams = app.workspaces.map((w) => w.teamId);
    expect(new Set(teams).size).toBe(3);
    expect(new Set(app.workspaces.map((w) => w.botToken)).size).toBe(3);
    for (const w of app.workspaces) {
      const auth = await client(w.botToken).auth.test();
      expect(auth.team_id).toBe(w.teamId);
    }
    expect(app.workspace(teams[1])).toBe(app.workspaces[1]);
  });

  it('delivers a change in workspace 2 as workspace 2’s event only, and shows it only there', async () => {
    const [one, two, three] = app.workspaces;
    const posted = await two.postMessage({ channel: CHANNEL, user: 'U000000001', text: 'only in workspace 2' });
    await app.settled();
    expect(posted.eventId).toMatch(/^Ev/);
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    expect(got.json).toMatchObject({ team_id: two.teamId, api_app_id: app.appId, event_id: posted.eventId });
    expect((got.json.authorizations as Array<{ team_id: string }>)[0].team_id).toBe(two.teamId);
    expect(verifySlackSignature(app.signingSecret, got)).toBe(true);

    expect(await historyTexts(two.botToken)).toContain('only in workspace 2');
    for (const other of [one, three]) expect(await historyTexts(other.botToken)).not.toContain('only in workspace 2');

    // Workspace 1 has no such message: its state is its own.
    expect(() => one.addReaction(CHANNEL, posted.ts, 'U000000002', 'tada')).toThrow(/No message/);
    await three.postMessage({ channel: CHANNEL, user: 'U000000003', text: 'workspace 3 speaks' });
    await app.settled();
    expect(receiver.received.map((r) => r.json.team_id)).toEqual([two.teamId, three.teamId]);
  });

  it('keeps tokens, revocation, call counts and rate limits per workspace', async () => {
    const [one, two] = app.workspaces;
    one.revokeToken();
    await expect(client(one.botToken).auth.test()).rejects.toThrow(/token_revoked/);
    expect((await client(two.botToken).auth.test()).ok).toBe(true);
    expect(one.calls()['auth.test']).toBe(1);
    expect(two.calls()['auth.test']).toBe(1);
    // Tier 2: 20 a minute per workspace; workspace 2 spending its budget leaves workspace 3's whole.
    const three = app.workspaces[2];
    for (let i = 0; i < 20; i++) await client(two.botToken).users.list({ limit: 5 });
    await expect(client(two.botToken).users.list({ limit: 5 })).rejects.toThrow(/rate-limit has been reached/);
    expect((await client(three.botToken).users.list({ limit: 5 })).ok).toBe(true);
  });

  it('refuses two workspaces with one team id', async () => {
    const w = generateWorkspace({ members: 2, channels: 1, messages: 1, seed: 7 });
    await expect(startSlackApp({ workspaces: [w, w] })).rejects.toThrow('Two workspaces share team id T0GEN00007');
  });
});
