import { startEmulators, type EmulatorFleet } from '../../../org-emulator';
import { startSlackApp, workspaceFromExport, type SlackApp } from '../../../slack-emulator';
import { parseConfig } from '../../../sync/config';
import { SAMPLE_EXPORT } from '../../../sync/ops/demo';
import { SlackReadAborted } from '../../../sync/sources/slack/web-api';
import { TightknitError } from '../../../sync/errors';
import { usePostgres } from '../../../test-support/postgres';
import { installSlack, startTestServer, type TestServer } from '../../connect/__tests__/helpers';
import { PgStore } from '../../store';
import { saveTenantSlackCredentials } from '../../tenant-state/credentials';
import type { TenantRef } from '../../tenant-state/tenant-ref';
import { productionRunner } from '../production-runner';
import type { TenantPassResult } from '../runner';
import { lazySlackInstall } from '../slack-install';
import { readTenantWorkspace } from '../slack-read';
import { captureLog, connectToEmulator, ingestSample } from './support';

const ACTIVITY = 'tightknit__Activity__c';
const MEMBER = 'tightknit__Member__c';
const EXTERNAL_ID = 'tightknit__Tightknit_Id__c';
const CHANNEL = 'C00000001';
const HOUR_MS = 3_600_000;
const READS = ['team.info', 'users.list', 'conversations.list', 'conversations.history', 'conversations.replies'];

describe('the production pass reads a tenant’s Slack workspace through the Web API', () => {
  afterAll(async () => {
    await app?.close();
    await limited?.close();
    await fleet?.close();
    await server?.close();
  });
  const pg = usePostgres();
  let server: TestServer;
  let app: SlackApp;
  /** A second app whose workspace answers at Slack's per-method tiers, thirty times faster. */
  let limited: SlackApp;
  let fleet: EmulatorFleet;
  let solo: TenantRef;
  let reference: TenantRef;
  const { log, lines } = captureLog();

  /** One pass of `solo`, as a worker runs it (no queue: the runner directly). */
  function pass(slackApiUrl = app.apiUrl): Promise<TenantPassResult> {
    const runner = productionRunner({
      keys: server.keys,
      budget: false,
      slackApiUrl,
      tuning: { poll: { initialMs: 20, maxMs: 100, timeoutMs: 30_000 } },
    });
    return runner.run({
      tenant: solo,
      request: { tenantId: solo.id, type: 'incremental' },
      pool: server.pool,
      signal: new AbortController().signal,
      log,
      setWaiting: () => Promise.resolve(),
    });
  }

  const store = (): PgStore => PgStore.open(server.pool, solo.id, solo.name);
  const org = (): EmulatorFleet['orgs'][0]['org'] => fleet.orgs[0].org;
  /** conversations.history calls of the first import. */
  let importHistoryCalls = 0;
  const logged = (msg: string): Record<string, unknown>[] =>
    lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === msg);
  /** Web API read calls (not the inbox's users.info) made with solo's bot token so far. */
  const readCalls = (): number => READS.reduce((sum, m) => sum + (app.workspaces[0].calls()[m] ?? 0), 0);
  /** Makes the hourly reconciliation due, as if the last read was two hours ago. */
  const lastReadHoursAgo = (hours: number): Promise<void> =>
    store().sourceState.set({ lastPollAt: new Date(Date.now() - hours * HOUR_MS).toISOString() });

  beforeAll(async () => {
    server = await startTestServer(pg.url, ['solo', 'reference', 'big']);
    solo = { id: server.tenants.solo, name: 'solo' };
    reference = { id: server.tenants.reference, name: 'reference' };
    const workspace = workspaceFromExport(SAMPLE_EXPORT, { name: 'Sample Community', domain: 'sample' });
    app = await startSlackApp({ workspaces: [workspace] });
    server.ctx.settings.slack = {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      signingSecret: app.signingSecret,
      appId: app.appId,
      apiUrl: app.apiUrl,
    };
    // solo connects Slack (Add to Slack) and its org; nothing is ingested. No events are delivered here,
    // so what reaches solo's store comes from the Web API.
    expect((await installSlack(server, app, 'solo', workspace.team.id)).status).toBe(200);
    fleet = await startEmulators({ orgs: 1 });
    await connectToEmulator(server.pool, server.keys, solo, fleet.orgs[0]);
    // What the export gives, to compare with.
    await ingestSample(server.pool, reference);
  }, 120_000);

  it('a tenant with only Slack connected gets the whole community into its store and org from one pass', async () => {
    expect(await store().counts()).toMatchObject({ community: 0, member: 0, activity: 0 });
    const first = await pass();
    expect(first.status).toBe('Succeeded');

    const counts = await store().counts();
    const fromExport = await PgStore.open(server.pool, reference.id, reference.name).counts();
    expect(counts.community).toBe(1);
    expect(counts.member).toBe(fromExport.member);
    expect(counts.activity).toBe(fromExport.activity);
    expect(org().records(ACTIVITY)).toHaveLength(counts.activity);
    expect(org().records(MEMBER)).toHaveLength(counts.member);
    expect(first.counts.activity?.succeeded).toBe(counts.activity);

    expect(await store().sourceState.get('firstImportDoneAt')).not.toBeNull();
    expect(await store().sourceState.get('lastPollAt')).not.toBeNull();
    expect(logged('slack workspace read')[0]).toMatchObject({ firstImport: true });
    importHistoryCalls = app.workspaces[0].calls()['conversations.history'] ?? 0;
    expect(importHistoryCalls).toBeGreaterThan(0);
  }, 120_000);

  it('a pass within the hour reads nothing from the Web API; the reconciliation reads only what is new', async () => {
    const before = readCalls();
    const second = await pass();
    expect(second.status).toBe('Succeeded');
    expect(second.counts.activity?.succeeded ?? 0).toBe(0);
    expect(readCalls()).toBe(before);
    expect(logged('slack workspace read')).toHaveLength(1);

    // A message events never brought (no events URL): the hourly reconciliation finds it from the watermarks.
    const [w] = app.workspaces;
    const missed = await w.postMessage({ channel: CHANNEL, user: 'U00000002', text: 'posted while no one listened' });
    const historyBefore = w.calls()['conversations.history'] ?? 0;
    await lastReadHoursAgo(2);
    const third = await pass();
    expect(third.status).toBe('Succeeded');
    expect(third.counts.activity?.succeeded).toBe(1);
    expect(
      org()
        .records(ACTIVITY)
        .map((r) => String(r[EXTERNAL_ID])),
    ).toContain(`slack:${w.teamId}:${CHANNEL}:${missed.ts}`);
    const read = logged('slack workspace read')[1];
    expect(read).toMatchObject({ firstImport: false, activities: { new: 1, changed: 0 } });
    // One history page per channel read, from its watermark: far fewer than the first import's calls.
    const historyCalls = (w.calls()['conversations.history'] ?? 0) - historyBefore;
    expect(historyCalls).toBe(read.channels);
    expect(historyCalls).toBeLessThan(importHistoryCalls);
    expect(await store().sourceState.get('lastError')).toBeNull();
  }, 120_000);

  it('a Slack that cannot be reached is logged and the push goes on', async () => {
    await lastReadHoursAgo(2);
    const posted = await app.workspaces[0].postMessage({ channel: CHANNEL, user: 'U00000001', text: 'unseen' });
    const result = await pass('http://127.0.0.1:9/api/');
    expect(result.status).toBe('Succeeded');
    expect(result.counts.activity?.succeeded ?? 0).toBe(0);
    expect(logged('slack workspace not read; the push goes on')).toHaveLength(1);
    expect(JSON.parse((await store().sourceState.get('lastError')) ?? '{}')).toMatchObject({
      code: 'SLACK_API_FAILED',
    });
    // Still due: the next pass that reaches Slack reads it.
    expect((await pass()).counts.activity?.succeeded).toBe(1);
    expect(
      org()
        .records(ACTIVITY)
        .map((r) => String(r[EXTERNAL_ID])),
    ).toContain(`slack:${app.workspaces[0].teamId}:${CHANNEL}:${posted.ts}`);
  }, 120_000);

  it('a read is bounded per pass: a first import cut at its budget goes on in the next pass', async () => {
    const big: TenantRef = { id: server.tenants.big, name: 'big' };
    const workspace = workspaceFromExport(SAMPLE_EXPORT, { name: 'Sample Community', domain: 'sample' });
    limited = await startSlackApp({ workspaces: [workspace], rateLimits: 'tiers', timeScale: 30 });
    const [w] = limited.workspaces;
    await saveTenantSlackCredentials(server.pool, server.keys, big, {
      secrets: { botToken: w.botToken },
      info: {
        teamId: w.teamId,
        teamName: 'Sample Community',
        domain: 'sample',
        url: null,
        botUserId: null,
        connectedAt: new Date().toISOString(),
        hasSigningSecret: false,
        hasAppToken: false,
      },
    });
    const bigStore = PgStore.open(server.pool, big.id, big.name);
    const read = (
      readBudgetMs: number,
      signal = new AbortController().signal,
    ): ReturnType<typeof readTenantWorkspace> =>
      readTenantWorkspace({
        install: lazySlackInstall(server.pool, server.keys, big),
        tenant: big,
        store: bigStore,
        config: parseConfig({}, 'defaults'),
        log,
        signal,
        slackApiUrl: limited.apiUrl,
        readBudgetMs,
      });
    // 240 threads at 50 conversations.replies a (scaled) minute: the whole import takes longer than 2 s.
    const started = Date.now();
    expect(await read(2_000)).toEqual({ status: 'incomplete', firstImport: true });
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(await bigStore.sourceState.get('firstImportDoneAt')).toBeNull();
    expect(logged('slack workspace read cut at its budget; the next pass continues it')).toHaveLength(1);

    // A drain (the pass's own signal) is not the budget: the read stops and the error reaches the worker.
    await expect(read(120_000, AbortSignal.abort())).rejects.toBeInstanceOf(SlackReadAborted);
    const next = await read(120_000);
    expect(next).toMatchObject({ status: 'read', firstImport: true });
    expect(await bigStore.sourceState.get('firstImportDoneAt')).not.toBeNull();
    const fromExport = await PgStore.open(server.pool, reference.id, reference.name).counts();
    expect(await bigStore.counts()).toMatchObject({ member: fromExport.member, activity: fromExport.activity });
  }, 180_000);

  it('a bot token Slack refuses fails the pass with the fix: connect the workspace again', async () => {
    app.workspaces[0].revokeToken();
    await lastReadHoursAgo(2);
    const pushed = org().records(ACTIVITY).length;
    const err = await pass().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TightknitError);
    const refused = err as TightknitError;
    expect(refused.code).toBe('SLACK_AUTH_FAILED');
    expect(refused.exitCode).toBe(3);
    expect(refused.actions.join(' ')).toContain('connect-slack --tenant solo');
    expect(org().records(ACTIVITY)).toHaveLength(pushed);
  }, 120_000);
});
