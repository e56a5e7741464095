import { signSlackRequest } from '../../../sync/sources/slack/events/signature';
import { generateWorkspace, startSlackApp, type SlackApp } from '../../../slack-emulator';
import { usePostgres } from '../../../test-support/postgres';
import { PgStore } from '../../store';
import { slackEventCounts } from '../slack/events';
import { loadTenantSlackCredentials } from '../../tenant-state/credentials';
import { installSlack, startTestServer, type Answer, type TestServer } from './helpers';

const CHANNEL = 'C000000000';

describe('server connect: one Events API endpoint for every workspace', () => {
  const pg = usePostgres();
  let server: TestServer;
  let app: SlackApp;
  const store = (tenant: string): PgStore => PgStore.open(server.pool, server.tenants[tenant], tenant);
  const pendingIds = async (tenant: string): Promise<string[]> =>
    (await store(tenant).inbox.pending(100)).map((e) => e.eventId);

  /** POSTs a body to /slack/events, signed with `secret` at `at` (seconds), and times the answer. */
  async function post(body: string, opts: { secret?: string; at?: number } = {}): Promise<Answer & { ms: number }> {
    const at = opts.at ?? Math.floor(Date.now() / 1000);
    const started = Date.now();
    const answer = await server.call('/slack/events', {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(at),
        'x-slack-signature': signSlackRequest(opts.secret ?? app.signingSecret, at, body),
      },
    });
    return { ...answer, ms: Date.now() - started };
  }

  const callback = (teamId: string, eventId: string, extra: Record<string, unknown> = {}): string =>
    JSON.stringify({
      type: 'event_callback',
      team_id: teamId,
      api_app_id: app.appId,
      event_id: eventId,
      event_time: 1_700_000_000,
      event: { type: 'reaction_added', user: 'U000000001' },
      ...extra,
    });

  beforeAll(async () => {
    server = await startTestServer(pg.url, ['acme', 'globex']);
    app = await startSlackApp({
      workspaces: [1, 2, 3].map((seed) => generateWorkspace({ members: 3, channels: 1, messages: 2, seed })),
    });
    server.ctx.settings.slack = {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      signingSecret: app.signingSecret,
      appId: app.appId,
      apiUrl: app.apiUrl,
    };
    const [w1, w2] = app.workspaces;
    expect((await installSlack(server, app, 'acme', w1.teamId)).status).toBe(200);
    expect((await installSlack(server, app, 'globex', w2.teamId)).status).toBe(200);
    app.setEventsUrl(`${server.origin}/slack/events`);
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await server.close();
  });

  it('routes each workspace’s events to its tenant’s inbox only; an unknown team is answered, dropped and counted', async () => {
    const before = slackEventCounts();
    const [w1, w2, w3] = app.workspaces;
    const one = await w1.postMessage({ channel: CHANNEL, user: 'U000000001', text: 'hello from one' });
    const two = await w2.postMessage({ channel: CHANNEL, user: 'U000000002', text: 'hello from two' });
    const three = await w3.postMessage({ channel: CHANNEL, user: 'U000000001', text: 'nobody installed me' });
    await app.settled();
    expect(await pendingIds('acme')).toEqual([one.eventId]);
    expect(await pendingIds('globex')).toEqual([two.eventId]);

    // Every delivery, the unknown team's too, was answered 200 on the first attempt (Slack retries nothing).
    const deliveries = app.deliveries().filter((d) => [one, two, three].some((p) => p.eventId === d.eventId));
    expect(deliveries.map((d) => [d.outcome, d.attempts.length, d.attempts[0].status])).toEqual([
      ['delivered', 1, 200],
      ['delivered', 1, 200],
      ['delivered', 1, 200],
    ]);
    const after = slackEventCounts();
    expect(after.unknownTeam - before.unknownTeam).toBe(1);
    expect(after.stored - before.stored).toBe(2);

    // The record is the embedded receiver's: the raw body as Slack sent it, the envelope's ids.
    const [stored] = await store('acme').inbox.pending(1);
    expect(stored).toMatchObject({ eventId: one.eventId, teamId: w1.teamId, type: 'message' });
    expect(JSON.parse(stored.body)).toMatchObject({ team_id: w1.teamId, api_app_id: app.appId });
  });

  it('stores a retry with the same event id once, and answers well within three seconds', async () => {
    const before = slackEventCounts();
    const body = callback(app.workspaces[1].teamId, 'Ev0DUPLICATE1');
    const first = await post(body);
    const retry = await post(body);
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(Math.max(first.ms, retry.ms)).toBeLessThan(3000);
    expect((await pendingIds('globex')).filter((id) => id === 'Ev0DUPLICATE1')).toHaveLength(1);
    expect(slackEventCounts().duplicates - before.duplicates).toBe(1);
  });

  it('answers in time when the database stalls (500, so Slack retries); the retry is stored once', async () => {
    const body = callback(app.workspaces[0].teamId, 'Ev0STALLED001');
    const blocker = await server.pool.connect();
    let stalled: Answer & { ms: number };
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE tenants IN ACCESS EXCLUSIVE MODE');
      stalled = await post(body);
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    expect(stalled.status).toBe(500);
    expect(stalled.ms).toBeLessThan(3000);
    expect((await post(body)).status).toBe(200);
    expect((await pendingIds('acme')).filter((id) => id === 'Ev0STALLED001')).toHaveLength(1);
  });

  it('refuses a bad signature and a stale timestamp with 401, storing nothing', async () => {
    const before = slackEventCounts();
    const body = callback(app.workspaces[0].teamId, 'Ev0FORGED0001');
    expect((await post(body, { secret: 'not-the-signing-secret' })).status).toBe(401);
    expect((await post(body, { at: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    const unsigned = await server.call('/slack/events', { method: 'POST', body });
    expect(unsigned.status).toBe(401);
    expect(await pendingIds('acme')).not.toContain('Ev0FORGED0001');
    expect(slackEventCounts().rejected - before.rejected).toBe(3);
  });

  it('answers url_verification, ignores another app’s events and counts unsubscribed types per tenant', async () => {
    const check = await post(JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' }));
    expect(check.status).toBe(200);
    expect(JSON.parse(check.text)).toEqual({ challenge: 'c-123' });

    const before = slackEventCounts();
    const acme = app.workspaces[0].teamId;
    expect((await post(callback(acme, 'Ev0OTHERAPP01', { api_app_id: 'A0SOMEONEELSE' }))).status).toBe(200);
    expect(slackEventCounts().otherApp - before.otherApp).toBe(1);
    expect(await pendingIds('acme')).not.toContain('Ev0OTHERAPP01');

    const pin = callback(acme, 'Ev0PINADDED01', { event: { type: 'pin_added' } });
    expect((await post(pin)).status).toBe(200);
    expect(await store('acme').inbox.unknownTypes()).toEqual({ pin_added: 1 });
    expect(await store('globex').inbox.unknownTypes()).toEqual({});
    expect((await post('{"type":"event_callback"')).status).toBe(400);
  });

  it('forgets a workspace that removed the app (app_uninstalled): its events are then an unknown team’s', async () => {
    const two = app.workspaces[1].teamId;
    const body = callback(two, 'Ev0UNINSTALL1', { event: { type: 'app_uninstalled' } });
    expect((await post(body)).status).toBe(200);
    expect(slackEventCounts().uninstalled).toBe(1);
    expect(
      await loadTenantSlackCredentials(server.pool, server.keys, { id: server.tenants.globex, name: 'globex' }),
    ).toBeUndefined();
    const before = slackEventCounts();
    expect((await post(callback(two, 'Ev0AFTERWARD1'))).status).toBe(200);
    expect(slackEventCounts().unknownTeam - before.unknownTeam).toBe(1);
    expect(await pendingIds('globex')).not.toContain('Ev0AFTERWARD1');
  });
});
