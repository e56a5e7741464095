import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { connectRoutes } from '../server/connect/routes';
import type { MasterKeys } from '../server/secrets/master-key';
import type { FleetOrg } from './orgs';

const unescape = (s: string): string => s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));

/**
 * Connects tenants to their emulated orgs through the production web flow (PKCE), as a person does
 * from the console: serve's connect routes run on a private loopback port, and this plays the browser
 * (start → the org's login form as its integration user → the callback). The routes exchange the code
 * and store the tokens sealed with the tenant's data key, exactly as `serve` does. The operator here
 * is the harness itself, so every tenant may be managed.
 */
export async function connectTenants(
  pool: Pool,
  keys: MasterKeys,
  pairs: Array<{ tenant: string; org: FleetOrg }>,
): Promise<void> {
  if (pairs.length === 0) return;
  const app = pairs[0].org;
  const settings = {
    publicUrl: '',
    salesforce: {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      callbackUrl: '',
      allowLoopbackLoginUrls: true,
    },
  };
  const handle = connectRoutes({
    pool,
    keys,
    settings,
    mayManage: () => true,
    sessionOf: () => 'fleet-harness',
  });
  const server: Server = createServer((req, res) => {
    void handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end('not a connect route');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  settings.publicUrl = origin;
  // The org emulator accepts any loopback /callback as a registered callback URL.
  settings.salesforce.callbackUrl = `${origin}/callback`;
  try {
    for (const { tenant, org } of pairs) await connectOne(origin, tenant, org);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function connectOne(origin: string, tenant: string, org: FleetOrg): Promise<void> {
  const fail = (step: string, status: number, text = ''): Error =>
    new Error(`connecting tenant '${tenant}' to org ${org.org}: ${step} answered ${status} ${text.slice(0, 300)}`);
  const start = await fetch(
    `${origin}/connect/salesforce/start?tenant=${encodeURIComponent(tenant)}&login_url=${encodeURIComponent(org.loginUrl)}`,
    { redirect: 'manual' },
  );
  const authorize = start.headers.get('location');
  if (start.status !== 302 || !authorize) throw fail('start', start.status, await start.text());
  const page = await (await fetch(authorize)).text();
  const form = new URLSearchParams();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    form.set(unescape(m[1]), unescape(m[2]));
  form.set('username', org.usernames.integration);
  form.set('pw', org.passwords.integration);
  const login = await fetch(`${org.loginUrl}/services/oauth2/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const callback = login.headers.get('location');
  if (!callback) throw fail('the login form', login.status, await login.text());
  const done = await fetch(callback, { redirect: 'manual' });
  if (done.status !== 200) throw fail('the callback', done.status, await done.text());
}
