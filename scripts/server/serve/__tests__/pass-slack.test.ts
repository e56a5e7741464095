import { startEmulators, type EmulatorFleet } from '../../../org-emulator';
import { startSlackApp, workspaceFromExport, type SlackApp } from '../../../slack-emulator';
import { parseConfig } from '../../../sync/config';
import { ingest } from '../../../sync/ingest';
import { SAMPLE_EXPORT } from '../../../sync/ops/demo';
import { usePostgres } from '../../../test-support/postgres';
import { installSlack, startTestServer, type TestServer } from '../../connect/__tests__/helpers';
import { withTenant } from '../../db/tenant-scope';
import { PgStore } from '../../store';
import { loadTenantSlackCredentials } from '../../tenant-state/credentials';
import type { TenantRef } from '../../tenant-state/tenant-ref';
import { productionRunner } from '../production-runner';
import { applyTenantInbox } from '../slack-inbox';
import type { TenantPassResult } from '../runner';
import { runTenantPass } from '../tenant-pass';
import { captureLog, connectToEmulator } from './support';

const ACTIVITY = 'tightknit__Activity__c';
const EXTERNAL_ID = 'tightknit__Tightknit_Id__c';
const CHANNEL = 'C00000001';

describe('the production pass applies the tenant’s Slack inbox before it pushes', () => {
  afterAll(async () => {
    await app?.close();
    await fleet?.close();
    await server?.close();
  });
  const pg = usePostgres();
  let server: TestServer;
  let app: SlackApp;
  let fleet: EmulatorFleet;
  let acme: TenantRef;
  const { log, lines } = captureLog();

  /** One pass of acme, as a worker runs it (no queue: the runner directly). */
  function pass(): Promise<TenantPassResult> {
    const runner = productionRunner({
      keys: server.keys,
      budget: false,
      slackApiUrl: app.apiUrl,
      tuning: { poll: { initialMs: 20, maxMs: 100, timeoutMs: 30_000 } },
    });
    return runner.run({
      tenant: acme,
      request: { tenantId: acme.id, type: 'incremental' },
      pool: server.pool,
      signal: new AbortController().signal,
      log,
      setWaiting: () => Promise.resolve(),
    });
  }

  const orgIds = (): Set<string> => new Set(fleet.orgs[0].org.records(ACTIVITY).map((r) => String(r[EXTERNAL_ID])));

  beforeAll(async () => {
    server = await startTestServer(pg.url, ['acme']);
    acme = { id: server.tenants.acme, name: 'acme' };
    const workspace = workspaceFromExport(SAMPLE_EXPORT, { name: 'Sample Community', domain: 'sample' });
    app = await startSlackApp({ workspaces: [workspace] });
    server.ctx.settings.slack = {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      signingSecret: app.signingSecret,
      appId: app.appId,
      apiUrl: app.apiUrl,
    };
    expect((await installSlack(server, app, 'acme', workspace.team.id)).status).toBe(200);
    app.setEventsUrl(`${server.origin}/slack/events`);
    // The community as its export left it: what a tenant migrated from a state directory has.
    await ingest({
      path: SAMPLE_EXPORT,
      store: PgStore.open(server.pool, acme.id, acme.name),
      config: parseConfig({}, 'defaults'),
    });
    fleet = await startEmulators({ orgs: 1 });
    await connectToEmulator(server.pool, server.keys, acme, fleet.orgs[0]);
  }, 120_000);

  it('live messages and reactions posted to /slack/events reach the org in the next pass, once', async () => {
    expect((await pass()).status).toBe('Succeeded');
    const before = orgIds();
    const [w] = app.workspaces;
    const hello = await w.postMessage({ channel: CHANNEL, user: 'U00000002', text: 'live from the server' });
    await w.addReaction(CHANNEL, hello.ts, 'U00000001', 'tada');
    await app.settled();
    const store = PgStore.open(server.pool, acme.id, acme.name);
    expect((await store.inbox.counts()).pending).toBe(2);

    const second = await pass();
    expect(second.status).toBe('Succeeded');
    const messageId = `slack:${w.teamId}:${CHANNEL}:${hello.ts}`;
    const added = [...orgIds()].filter((id) => !before.has(id)).sort();
    expect(added).toEqual([messageId, `${messageId}:reaction:tada:U00000001`]);
    expect(second.counts.activity?.succeeded).toBe(2);

    // Both events are marked applied in the inbox; nothing waits.
    expect((await store.inbox.counts()).pending).toBe(0);
    const applied = await withTenant(
      server.pool,
      acme.id,
      async (c) =>
        (await c.query<{ n: string }>('SELECT count(*) AS n FROM slack_inbox WHERE applied_at IS NOT NULL')).rows,
    );
    expect(Number(applied[0].n)).toBe(2);
    expect(lines.some((l) => (JSON.parse(l) as { msg?: string }).msg === 'slack inbox applied')).toBe(true);

    // A further pass finds nothing new to apply or push.
    const third = await pass();
    expect(third.status).toBe('Succeeded');
    expect(third.counts.activity?.succeeded ?? 0).toBe(0);
    expect(orgIds().size).toBe(before.size + 2);
  }, 120_000);

  it('a pass loads the Slack connection once for its read and its inbox, and not at all when neither is due', async () => {
    let loads = 0;
    const counted = (pass: 'both' | 'neither'): Promise<TenantPassResult> =>
      runTenantPass(
        {
          tenant: acme,
          request: { tenantId: acme.id, type: 'incremental' },
          pool: server.pool,
          signal: new AbortController().signal,
          log,
          setWaiting: () => Promise.resolve(),
        },
        {
          keys: server.keys,
          passRequests: 0,
          slackApiUrl: app.apiUrl,
          tuning: { poll: { initialMs: 20, maxMs: 100, timeoutMs: 30_000 } },
          loadSlackCredentials: (...args) => {
            loads += 1;
            expect(pass).toBe('both');
            return loadTenantSlackCredentials(...args);
          },
        },
      );
    const messages = (msg: string): number =>
      lines.filter((l) => (JSON.parse(l) as { msg?: string }).msg === msg).length;
    const store = PgStore.open(server.pool, acme.id, acme.name);

    // The hourly reconciliation is due and an event waits in the inbox: both need the bot token.
    await store.sourceState.set({ lastPollAt: new Date(Date.now() - 2 * 3_600_000).toISOString() });
    await app.workspaces[0].postMessage({ channel: CHANNEL, user: 'U00000002', text: 'one load' });
    await app.settled();
    expect((await store.inbox.counts()).pending).toBe(1);
    const [reads, inboxes] = [messages('slack workspace read'), messages('slack inbox applied')];
    expect((await counted('both')).status).toBe('Succeeded');
    expect([messages('slack workspace read') - reads, messages('slack inbox applied') - inboxes]).toEqual([1, 1]);
    expect(loads).toBe(1);

    // Read just now and nothing pending: the pass pushes without unsealing the Slack connection.
    expect((await counted('neither')).status).toBe('Succeeded');
    expect(loads).toBe(1);
  }, 120_000);

  it('a token Slack refuses stops the inbox with the fix, unless Slack was disconnected during the pass', async () => {
    const store = PgStore.open(server.pool, acme.id, acme.name);
    // A member the store lacks: applying the message asks Slack for them (users.info) with the bot token.
    await app.workspaces[0].postMessage({ channel: CHANNEL, user: 'U0NEWCOMER', text: 'who am I' });
    await app.settled();
    expect((await store.inbox.counts()).pending).toBe(1);
    app.workspaces[0].revokeToken();
    const apply = (fresh: () => ReturnType<typeof loadTenantSlackCredentials>) =>
      applyTenantInbox({
        install: Object.assign(() => loadTenantSlackCredentials(server.pool, server.keys, acme), { fresh }),
        tenant: acme,
        store,
        config: parseConfig({}, 'defaults'),
        log,
        slackApiUrl: app.apiUrl,
      });

    // The pass had loaded the token before someone pressed Disconnect Slack: nothing to fix, the event waits.
    await expect(apply(() => Promise.resolve(undefined))).resolves.toBeNull();
    expect((await store.inbox.counts()).pending).toBe(1);
    expect(lines.some((l) => (JSON.parse(l) as { msg?: string }).msg?.startsWith('slack was disconnected'))).toBe(true);

    // Still connected with the refused token: the pass stops with the tenant's fix.
    const refused = await apply(() => loadTenantSlackCredentials(server.pool, server.keys, acme)).catch(
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ exitCode: 3 });
    expect((await store.inbox.counts()).pending).toBe(1);
  }, 120_000);
});
