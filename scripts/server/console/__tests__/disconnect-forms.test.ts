import { hash } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { Pool } from 'pg';
import { usePostgres } from '../../../test-support/postgres';
import { migrate } from '../../db/migrate';
import { Browser, PASSWORD } from '../../people/__tests__/helpers';
import { resolveMasterKeys } from '../../secrets/master-key';
import { ledgerRunner } from '../../serve/__tests__/ledger-runner';
import { FAST, captureLog } from '../../serve/__tests__/support';
import { startServerProcess, type ServerProcess } from '../../serve/process';
import { addTenant, type Tenant } from '../../tenants';
import { saveTenantCredentials, saveTenantSlackCredentials } from '../../tenant-state/credentials';

/** A port free right now, so serve's public URL is known before it listens. */
async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

/**
 * The tenant page's disconnect forms, on a real `serve` with its connect routes: shown by the table's
 * roles for a stored connection only, posted with the CSRF token in a field and a confirmation, the
 * token revoked (at a stand-in org and Slack that record what they were asked) and audited.
 */
describe('the tenant page disconnects the org and Slack with a form', () => {
  afterAll(async () => {
    await proc?.stop();
    await new Promise((r) => revoker?.close(r));
    await pool?.end();
  });
  const pg = usePostgres();
  const keys = resolveMasterKeys({ TIGHTKNIT_MASTER_KEY: randomBytes(32).toString('base64') });
  const revoked: string[] = [];
  let revoker: Server;
  let pool: Pool;
  let proc: ServerProcess;
  let acme: Tenant;
  let origin: string;

  beforeAll(async () => {
    // Stands in for the org's revoke endpoint and Slack's auth.revoke.
    revoker = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/services/oauth2/revoke') revoked.push(`salesforce ${new URLSearchParams(body).get('token')}`);
        else revoked.push(`slack ${req.headers.authorization ?? ''}`);
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(req.url === '/services/oauth2/revoke' ? '' : '{"ok":true}');
      });
    });
    await new Promise<void>((r) => revoker.listen(0, '127.0.0.1', r));
    const stand = `http://127.0.0.1:${(revoker.address() as AddressInfo).port}`;
    pool = new Pool({ connectionString: pg.url });
    await migrate(pool);
    acme = (await addTenant(pool, keys, 'acme')).tenant;
    const hashed = await hash(PASSWORD);
    for (const [email, role] of [
      ['im@example.com', 'integrations-manager'],
      ['viewer@example.com', 'viewer'],
    ]) {
      const { rows } = await pool.query<{ id: string }>('INSERT INTO people (email) VALUES ($1) RETURNING id', [email]);
      await pool.query('INSERT INTO memberships (person_id, tenant_id, role) VALUES ($1, $2, $3)', [
        rows[0].id,
        acme.id,
        role,
      ]);
      await pool.query('INSERT INTO password_credentials (person_id, hash) VALUES ($1, $2)', [rows[0].id, hashed]);
    }
    await saveTenantCredentials(pool, keys, acme, {
      method: 'web',
      loginUrl: stand,
      instanceUrl: stand,
      orgId: '00D000000000001AAA',
      connectedAt: new Date().toISOString(),
      secrets: { accessToken: 'access-1', refreshToken: 'refresh-1' },
    });
    await saveTenantSlackCredentials(pool, keys, acme, {
      secrets: { botToken: 'xoxb-test-1' },
      info: {
        teamId: 'T0001',
        teamName: 'Acme',
        domain: null,
        url: null,
        botUserId: null,
        connectedAt: new Date().toISOString(),
        hasSigningSecret: false,
        hasAppToken: false,
      },
    });
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    proc = await startServerProcess({
      url: pg.url,
      runner: ledgerRunner({ holdMs: 10 }),
      log: captureLog().log,
      concurrency: 1,
      tuning: FAST,
      ops: {
        port,
        host: '127.0.0.1',
        keys,
        connect: {
          publicUrl: origin,
          slack: { clientId: 'c', clientSecret: 's', signingSecret: 'g', apiUrl: `${stand}/api/` },
        },
      },
    });
  });

  const as = async (email: string): Promise<Browser> => {
    const b = new Browser(origin);
    expect((await b.signIn(email)).status).toBe(303);
    return b;
  };
  const secrets = async (): Promise<string[]> =>
    (await pool.query<{ name: string }>('SELECT name FROM tenant_secrets ORDER BY name')).rows.map((r) => r.name);
  const audit = async (action: string) =>
    (
      await pool.query<{ actor: string; details: Record<string, unknown> }>(
        'SELECT actor, details FROM audit_events WHERE action = $1 ORDER BY id',
        [action],
      )
    ).rows;

  it('shows the forms to an integrations manager, not to a viewer; a viewer’s post is refused', async () => {
    const viewer = await as('viewer@example.com');
    const seen = await (await viewer.fetch('/tenants/acme')).text();
    expect(seen).not.toContain('disconnect-salesforce');
    expect(seen).not.toContain('disconnect-slack');
    const im = await as('im@example.com');
    const page = await (await im.fetch('/tenants/acme')).text();
    expect(page).toContain('data-id="disconnect-salesforce"');
    expect(page).toContain('data-id="disconnect-slack"');
    expect(page).toContain('action="/connect/salesforce/disconnect?tenant=acme"');
    expect(page).toMatch(/name="csrf" value="[^"]+"/);
    const refused = await viewer.fetch('/connect/salesforce/disconnect?tenant=acme', {
      method: 'POST',
      form: { csrf: viewer.csrf, confirm: 'on' },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('text/html');
    expect(await audit('access.denied')).toEqual([
      { actor: 'viewer@example.com', details: { operation: 'disconnect', held: 'viewer' } },
    ]);
    expect(await secrets()).toHaveLength(2);
  });

  it('refuses a form without the CSRF token or without the confirmation; nothing disconnected', async () => {
    const im = await as('im@example.com');
    const forged = await im.fetch('/connect/salesforce/disconnect?tenant=acme', {
      method: 'POST',
      form: { confirm: 'on' },
    });
    expect(forged.status).toBe(403);
    expect((await audit('csrf.refused')).map((r) => r.actor)).toEqual(['im@example.com']);
    const unconfirmed = await im.fetch('/connect/slack/disconnect?tenant=acme', {
      method: 'POST',
      form: { csrf: im.csrf },
    });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain('Nothing was disconnected: tick the box');
    expect(await secrets()).toHaveLength(2);
    expect(revoked).toEqual([]);
  });

  it('disconnects each with the form: the token revoked and forgotten, audited, the form gone', async () => {
    const im = await as('im@example.com');
    const org = await im.fetch('/connect/salesforce/disconnect?tenant=acme', {
      method: 'POST',
      form: { csrf: im.csrf, confirm: 'on' },
    });
    expect(org.status).toBe(200);
    const text = await org.text();
    expect(text).toContain('Salesforce disconnected from acme; its token was revoked.');
    expect(text).toContain(`href="${origin}/tenants/acme"`);
    const slack = await im.fetch('/connect/slack/disconnect?tenant=acme', {
      method: 'POST',
      form: { csrf: im.csrf, confirm: 'on' },
    });
    expect(slack.status).toBe(200);
    expect(await slack.text()).toContain('Slack disconnected from acme; its token was revoked.');
    expect(revoked).toEqual(['salesforce refresh-1', 'slack Bearer xoxb-test-1']);
    expect(await secrets()).toEqual([]);
    expect((await audit('disconnect')).map((r) => r.actor)).toEqual(['im@example.com']);
    expect((await audit('slack.disconnect')).map((r) => r.actor)).toEqual(['im@example.com']);
    const page = await (await im.fetch('/tenants/acme')).text();
    expect(page).not.toContain('disconnect-salesforce');
    expect(page).not.toContain('disconnect-slack');
    // The JSON call of the console's scripts answers as before.
    const json = await im.post('/connect/salesforce/disconnect?tenant=acme');
    expect(await json.json()).toEqual({ tenant: 'acme', disconnected: false, revoked: false });
  });
});
