import { startEmulator, type RunningEmulator } from '../../org-emulator';
import { MemberFields, SObjects } from '../../generated/sobjects';
import { loadConfig } from '../../sync/config';
import { acquireLock } from '../../sync/ops/lock';
import type { ApiError, ConfigView, InvestigationView, StatusView } from '../contract';
import { clientCredentials, fakePublicDir, ingestedStateDir, signedInConsole, tempDir, type SignedIn } from './helpers';

/** Match rules in Configure and the Re-match run (docs/console.md), against the org emulator. */
let emu: RunningEmulator;
const publicDir = fakePublicDir();
const open: SignedIn[] = [];
const ADA = 'slack:T1:U0';

beforeAll(async () => {
  emu = await startEmulator({ extraFields: { Contact: [{ name: 'Work_Email__c', type: 'email' }] } });
});
afterEach(async () => {
  emu.setGrants({ contactRead: true, contactCreate: true, contactEdit: true });
  await Promise.all(open.splice(0).map((c) => c.console.close()));
});
afterAll(async () => {
  await emu.close();
});

async function consoleOver(stateDir: string): Promise<SignedIn> {
  const c = await signedInConsole({ stateDir, publicDir });
  open.push(c);
  return c;
}

async function connectedConsole(): Promise<{ c: SignedIn; dir: string }> {
  const dir = await ingestedStateDir(8);
  const c = await consoleOver(dir);
  expect((await c.call('POST', '/api/connection', clientCredentials(emu))).status).toBe(200);
  return { c, dir };
}

/** Backfills with the console's scheduler and waits until it idles. */
async function backfilled(c: SignedIn): Promise<StatusView> {
  expect((await c.call('POST', '/api/sync/start', {})).status).toBe(202);
  return c.until((s) => s.backfilled && s.scheduler.state === 'waiting');
}

function memberLink(externalId: string): { contact: unknown; rule: unknown } {
  const m = emu.org.records(SObjects.Member).find((r) => r[MemberFields.Tightknit_Id] === externalId);
  return { contact: m?.[MemberFields.Contact] ?? null, rule: m?.[MemberFields.Contact_Match_Rule] ?? null };
}

describe('match rules in the configuration', () => {
  it('shows the rules in force, derived from the older options until rules are set', async () => {
    const dir = tempDir();
    const c = await consoleOver(dir);
    const before = await c.json<ConfigView>('GET', '/api/config');
    expect(before.body.matchRulesInForce).toEqual(['Contact.Email', 'Lead.Email']);
    expect(before.body.matchRules).toBeUndefined();

    const saved = await c.json<ConfigView>('PUT', '/api/config', {
      matchRules: ['Contact.Work_Email__c', 'Lead.Email'],
    });
    expect(saved.status).toBe(200);
    expect(saved.body.matchRulesInForce).toEqual(['Contact.Work_Email__c', 'Lead.Email']);
    expect(loadConfig(dir).matchRules).toEqual(['Contact.Work_Email__c', 'Lead.Email']);
    expect((await c.status()).config.matchRulesInForce).toEqual(['Contact.Work_Email__c', 'Lead.Email']);
  });

  it('names the rules field with the schema’s reason, and refuses older options the rules override', async () => {
    const dir = tempDir();
    const c = await consoleOver(dir);
    const order = await c.json<ApiError>('PUT', '/api/config', { matchRules: ['Lead.Email', 'Contact.Email'] });
    expect(order.status).toBe(400);
    expect(order.body.error.fields).toEqual([
      { field: 'matchRules', reason: expect.stringContaining('Contact rules come first') },
    ]);
    const shape = await c.json<ApiError>('PUT', '/api/config', { matchRules: ['Account.Email'] });
    expect(shape.body.error.fields).toEqual([
      { field: 'matchRules.0', reason: expect.stringContaining('Contact.<field>') },
    ]);
    expect(loadConfig(dir).matchRules).toBeUndefined();

    await c.call('PUT', '/api/config', { matchRules: ['Contact.Email'] });
    const ignored = await c.json<ApiError>('PUT', '/api/config', { matchLeads: false, matchingField: 'Other__c' });
    expect(ignored.status).toBe(400);
    expect(ignored.body.error.fields?.map((f) => f.field).sort()).toEqual(['matchLeads', 'matchingField']);
    expect(ignored.body.error.fields?.[0].reason).toContain('(Contact.Email)');
    // Unchanged values of the older options (a whole form sent back) are fine.
    expect((await c.call('PUT', '/api/config', { matchLeads: true, intervalMinutes: 7 })).status).toBe(200);
  });

  it('asks the connected org whether it can use new rules, and saves nothing when it cannot', async () => {
    const { c, dir } = await connectedConsole();
    const missing = await c.json<ApiError>('PUT', '/api/config', { matchRules: ['Contact.Personal_Email__c'] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('INVALID_MATCH_RULES');
    expect(missing.body.error.fields?.[0]).toMatchObject({
      field: 'matchRules',
      reason: expect.stringContaining('Personal_Email__c'),
    });
    expect(missing.body.error.actions).toContain('Nothing was saved.');
    expect(loadConfig(dir).matchRules).toBeUndefined();

    const fine = await c.json<ConfigView>('PUT', '/api/config', { matchRules: ['Contact.Work_Email__c'] });
    expect(fine.status).toBe(200);
  });
});

describe('POST /api/sync/rematch', () => {
  it('refuses before anything was pushed, and takes no options', async () => {
    const c = await consoleOver(await ingestedStateDir(4));
    const never = await c.json<ApiError>('POST', '/api/sync/rematch');
    expect(never).toMatchObject({ status: 409, body: { error: { code: 'NOTHING_TO_REMATCH' } } });
    expect(never.body.error.actions[0]).toContain('backfill');
    expect((await c.json<ApiError>('POST', '/api/sync/rematch', { now: true })).body.error.fields?.[0].field).toBe(
      'now',
    );
  });

  it('links members with the new rules: handed to the running loop, then on its own; 409 while one runs', async () => {
    const [countess] = emu.org.insert('Contact', [
      { LastName: 'Lovelace', Email: 'countess@example.org', Work_Email__c: 'ada@example.com' },
    ]);
    const { c, dir } = await connectedConsole();
    await backfilled(c);
    expect(memberLink(ADA).contact).toBeNull();

    expect((await c.call('PUT', '/api/config', { matchRules: ['Contact.Work_Email__c', 'Lead.Email'] })).status).toBe(
      200,
    );
    const handed = await c.json<StatusView>('POST', '/api/sync/rematch');
    expect(handed.status).toBe(202);
    const inLoop = await c.until((s) => s.lastRun?.type === 'rematch' && s.scheduler.state === 'waiting');
    expect(inLoop.lastRun?.status).toBe('Succeeded');
    expect(memberLink(ADA)).toEqual({ contact: countess, rule: 'Contact.Work_Email__c' });

    await c.call('POST', '/api/sync/stop');
    const alone = await c.json<StatusView>('POST', '/api/sync/rematch');
    expect(alone.status).toBe(202);
    expect(alone.body.activity).toMatchObject({ runType: 'rematch' });
    const busy = await c.json<ApiError>('POST', '/api/sync/rematch');
    expect(busy).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_RUNNING' } } });
    expect(busy.body.error.message).toContain('re-match');
    const done = await c.until((s) => s.activity === null && s.lastRun!.runId > inLoop.lastRun!.runId);
    expect(done.lastRun).toMatchObject({ type: 'rematch', status: 'Succeeded' });
    expect(memberLink(ADA).contact).toBe(countess);
    acquireLock(dir, 'test').release();
  });

  it('answers 409 while another process holds the state directory', async () => {
    const { c, dir } = await connectedConsole();
    await backfilled(c);
    await c.call('POST', '/api/sync/stop');
    const { readFileSync, rmSync, writeFileSync } = await import('node:fs');
    const lock = acquireLock(dir, 'start');
    try {
      const file = `${dir}/sync.lock`;
      writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), pid: process.ppid }));
      const refused = await c.json<ApiError>('POST', '/api/sync/rematch');
      expect(refused).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_RUNNING' } } });
      expect(refused.body.error.message).toContain(`pid ${process.ppid}`);
    } finally {
      rmSync(`${dir}/sync.lock`, { force: true });
      lock.release();
    }
  });

  it('counts the member links that wait for Contact access, and the run event says why', async () => {
    const { c } = await connectedConsole();
    const first = await backfilled(c);
    expect(first.waitingLinks).toBe(0);
    emu.setGrants({ contactRead: false, contactCreate: false, contactEdit: false });
    expect((await c.call('POST', '/api/sync/rematch')).status).toBe(202);
    const blocked = await c.until((s) => s.lastRun?.type === 'rematch' && s.activity === null, 30_000);
    expect(blocked.lastRun?.status).toBe('PartiallyFailed');
    // The store's part of the status is cached for a few seconds after the run ends.
    const waiting = await c.until((s) => s.waitingLinks > 0);
    expect(waiting.waitingLinks).toBe(8);
    const inv = await c.json<InvestigationView>('GET', `/api/runs/${blocked.lastRun!.runId}`);
    const event = inv.body.events.find((e) => e.code === 'MATCHING_UNAVAILABLE');
    expect(event?.hint?.cause).toContain('cannot read Contact');
    expect(event?.hint?.fix).toContain('Grant Read on Contact');
  });
});
