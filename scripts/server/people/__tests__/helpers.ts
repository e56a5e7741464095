import { hash } from '@node-rs/argon2';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { migrate } from '../../db/migrate';
import { createPeopleHandler, type PeopleHandler, type PeopleOptions } from '../http/handler';

/** The password every test person signs in with. */
export const PASSWORD = 'a long test passphrase';

/** One person per role of tenant `acme`, and an operator with no tenant role. */
export const PEOPLE = {
  owner: 'owner@example.com',
  admin: 'admin@example.com',
  'integrations-manager': 'im@example.com',
  viewer: 'viewer@example.com',
  operator: 'operator@example.com',
} as const;

export type Who = keyof typeof PEOPLE;

/** Creates tenants acme and beta and the PEOPLE (with PASSWORD) in a migrated database. */
export async function seed(pool: Pool): Promise<{ acme: number; beta: number }> {
  await migrate(pool);
  const { rows } = await pool.query<{ id: string }>(
    "INSERT INTO tenants (name) VALUES ('acme'), ('beta') RETURNING id",
  );
  const [acme, beta] = rows.map((r) => Number(r.id));
  const hashed = await hash(PASSWORD);
  for (const [role, email] of Object.entries(PEOPLE)) {
    const id = (await pool.query<{ id: string }>('INSERT INTO people (email) VALUES ($1) RETURNING id', [email]))
      .rows[0].id;
    await pool.query('INSERT INTO memberships (person_id, tenant_id, role) VALUES ($1, $2, $3)', [
      id,
      role === 'operator' ? null : acme,
      role,
    ]);
    await pool.query('INSERT INTO password_credentials (person_id, hash) VALUES ($1, $2)', [id, hashed]);
  }
  return { acme, beta };
}

/** The people handler on a real HTTP server on 127.0.0.1; anything it does not own is 404. */
export async function serve(
  options: PeopleOptions,
  extra?: (people: PeopleHandler, req: IncomingMessage, res: ServerResponse) => Promise<boolean>,
): Promise<{ origin: string; people: PeopleHandler; close: () => Promise<void> }> {
  const people = createPeopleHandler(options);
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (await people.handle(req, res)) return;
      if (extra && (await extra(people, req, res))) return;
      res.writeHead(404).end();
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    people,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A browser-like client: keeps cookies, reads the form's CSRF token, signs in. */
export class Browser {
  readonly cookies = new Map<string, string>();
  csrf = '';
  constructor(
    readonly origin: string,
    readonly ip = '10.0.0.1',
  ) {}

  async fetch(
    path: string,
    init: RequestInit & { form?: Record<string, string>; json?: unknown } = {},
  ): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    headers.set('x-forwarded-for', this.ip);
    let body = init.body;
    if (init.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    const target = /^https?:/.test(path) ? path : this.origin + path;
    const res = await fetch(target, { ...init, headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const [k, v] = pair.split('=');
      if (attrs.some((a) => a.trim() === 'Max-Age=0')) this.cookies.delete(k);
      else this.cookies.set(k, v);
    }
    return res;
  }

  /** The hidden `csrf` field of a page. */
  async formToken(path: string): Promise<string> {
    const html = await (await this.fetch(path)).text();
    return /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  }

  async signIn(email: string, password = PASSWORD): Promise<Response> {
    const csrf = await this.formToken('/signin');
    const res = await this.fetch('/signin', { method: 'POST', form: { email, password, csrf } });
    if (res.status === 303) {
      this.csrf = ((await (await this.fetch('/api/session')).json()) as { csrfToken: string }).csrfToken;
    }
    return res;
  }

  /** A JSON POST with the session's CSRF token. */
  post(path: string, json: unknown = {}): Promise<Response> {
    return this.fetch(path, { method: 'POST', json, headers: { 'x-csrf-token': this.csrf } });
  }
}

export function testPool(url: string): Pool {
  const pool = new Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined);
  return pool;
}
