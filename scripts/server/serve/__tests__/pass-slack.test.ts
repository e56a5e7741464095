import { startEmulators, type EmulatorFleet } from '../../../org-emulator';
import { startSlackApp, workspaceFromExport, type SlackApp } from '../../../slack-emulator';
import { parseConfig } from '../../../sync/config';
import { ingest } from '../../../sync/ingest';
import { SAMPLE_EXPORT } from '../../../sync/ops/demo';
import { usePostgres } from '../../../test-support/postgres';
import { installSlack, startTestServer, type TestServer } from '../../connect/__tests__/helpers';
import { withTenant } from '../../db/tenant-scope';
import { PgStore } from '../../store';
import type { TenantRef } from '../../tenant-state/tenant-ref';
import { productionRunner } from '../production-runner';
import type { TenantPassResult } from '../runner';
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
});
