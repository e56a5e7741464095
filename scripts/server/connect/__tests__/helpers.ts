import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import type { SlackApp } from '../../../slack-emulator';
import { openPool } from '../../db/connect';
import { recordAudit } from '../../people/db';
import { migrate } from '../../db/migrate';
import { resolveMasterKeys, type MasterKeys } from '../../secrets/master-key';
import { addTenant } from '../../tenants';
import type { ConnectContext, ConnectLogEntry } from '../http';
import { connectRoutes } from '../routes';

/** A page or JSON answer as the browser (or the console) got it. */
export interface Answer {
  status: number;
  text: string;
  location: string | null;
}

/** Everything every answer and log line said: a secret must appear in none of it. */
export interface Transcript {
  answers: string[];
  log: ConnectLogEntry[];
}

/**
 * `serve` as far as the connect routes go: a real HTTP server on 127.0.0.1 with connectRoutes mounted,
 * tenants in a fresh database, a master key. mayManage admits the tenant named in the x-test-admin
 * header; the session is the `sid` cookie, and its person (the audit trail's actor) `<sid>@people.test`.
 */
export interface TestServer {
  pool: Pool;
  keys: MasterKeys;
  ctx: ConnectContext;
  origin: string;
  tenants: Record<string, number>;
  transcript: Transcript;
  /** A request to the server, as `tenant`'s admin in session `sid`, never following redirects. */
  call(
    path: string,
    opts?: { method?: string; admin?: string; sid?: string; body?: string; headers?: Record<string, string> },
  ): Promise<Answer>;
  close(): Promise<void>;
}

const sessionCookie = (req: IncomingMessage): string | undefined =>
  /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];

export async function startTestServer(url: string, tenantNames: string[]): Promise<TestServer> {
  const pool = await openPool(url);
  await migrate(pool);
  const keys = resolveMasterKeys({ TIGHTKNIT_MASTER_KEY: randomBytes(32).toString('base64') });
  const tenants: Record<string, number> = {};
  for (const name of tenantNames) tenants[name] = (await addTenant(pool, keys, name)).tenant.id;
  const transcript: Transcript = { answers: [], log: [] };
  const ctx: ConnectContext = {
    pool,
    keys,
    settings: { publicUrl: '' },
    mayManage: (req, tenant) => req.headers['x-test-admin'] === tenant.name,
    sessionOf: sessionCookie,
    log: (entry) => transcript.log.push(entry),
    audit: (req, tenant, action, details) =>
      recordAudit(pool, {
        tenantId: tenant.id,
        actor: `${sessionCookie(req) ?? 'nobody'}@people.test`,
        action,
        details,
      }),
  };
  const handle = connectRoutes(ctx);
  const server: Server = createServer((req, res) => {
    void handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end('not a connect route');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ctx.settings.publicUrl = origin;
  return {
    pool,
    keys,
    ctx,
    origin,
    tenants,
    transcript,
    async call(path, opts = {}) {
      const res = await fetch(new URL(path, origin), {
        method: opts.method ?? 'GET',
        redirect: 'manual',
        headers: {
          ...(opts.admin ? { 'x-test-admin': opts.admin } : {}),
          ...(opts.sid ? { cookie: `sid=${opts.sid}` } : {}),
          ...opts.headers,
        },
        body: opts.body,
      });
      const text = await res.text();
      transcript.answers.push(text, res.headers.get('location') ?? '');
      return { status: res.status, text, location: res.headers.get('location') };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

/** The audit rows written for `tenant`, oldest first. */
export async function auditOf(
  server: TestServer,
  tenant: string,
): Promise<{ actor: string; action: string; details: Record<string, unknown> }[]> {
  const { rows } = await server.pool.query<{ actor: string; action: string; details: Record<string, unknown> }>(
    'SELECT actor, action, details FROM audit_events WHERE tenant_id = $1 ORDER BY id',
    [server.tenants[tenant]],
  );
  return rows;
}

/**
 * Every value in every table of the database, as text (read as the test server's superuser, whom row
 * security does not limit). bytea columns appear in hex, so a check looks for a secret in both forms.
 */
export async function dumpDatabase(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ t: string }>(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  );
  const parts: string[] = [];
  for (const { t } of rows) {
    const all = await pool.query<{ r: string }>(`SELECT x::text AS r FROM "${t}" x`);
    parts.push(...all.rows.map((r) => r.r));
  }
  return parts.join('\n');
}

/** Whether `secret` appears in `text` as itself or hex-encoded (how a bytea column prints). */
export function contains(text: string, secret: string): boolean {
  return text.includes(secret) || text.includes(Buffer.from(secret).toString('hex'));
}

/** Plays the browser through "Add to Slack": start → Slack's page (pick a workspace, Allow/Cancel) → callback. */
export async function installSlack(
  server: TestServer,
  app: SlackApp,
  tenant: string,
  teamId: string,
  opts: { decision?: 'allow' | 'deny'; sid?: string; callbackSid?: string; tamper?: (callback: URL) => void } = {},
): Promise<Answer & { callback: URL }> {
  const sid = opts.sid ?? `session-${tenant}`;
  const start = await server.call(`/connect/slack/start?tenant=${tenant}`, { admin: tenant, sid });
  expect(start.status).toBe(302);
  const page = await (await fetch(start.location as string)).text();
  const form = new URLSearchParams();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) form.set(m[1], m[2]);
  form.set('team', teamId);
  form.set('decision', opts.decision ?? 'allow');
  const slack = await fetch(new URL('/oauth/v2/authorize', app.apiUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const callback = new URL(slack.headers.get('location') as string);
  opts.tamper?.(callback);
  const answer = await server.call(callback.pathname + callback.search, { sid: opts.callbackSid ?? sid });
  return { ...answer, callback };
}
