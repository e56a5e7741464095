import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { main } from '../../../cli/main';
import { usePostgres } from '../../../test-support/postgres';
import { setPasswordWithLink } from '../passwords';

/** `users` and `audit` through the CLI's main(), against a database of this file's own. */
describe('tightknit-sync users and audit', () => {
  // Before usePostgres(): jest runs afterAll hooks in the order they are declared, the drop last.
  afterAll(async () => admin.end());
  const pg = usePostgres();
  let admin: Pool;
  const VARS = ['TIGHTKNIT_MASTER_KEY', 'TIGHTKNIT_DATABASE_URL', 'TIGHTKNIT_TENANT', 'TIGHTKNIT_PUBLIC_URL'];
  const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
  let output: string[];

  beforeAll(() => {
    admin = new Pool({ connectionString: pg.url });
  });
  beforeEach(() => {
    for (const v of VARS) delete process.env[v];
    process.env.TIGHTKNIT_MASTER_KEY = randomBytes(32).toString('base64');
    process.env.TIGHTKNIT_PUBLIC_URL = 'https://sync.example.com';
    output = [];
    const capture = (chunk: unknown): boolean => output.push(String(chunk)) > 0;
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    for (const v of VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  });

  async function run(...args: string[]): Promise<{ code: number; text: string }> {
    process.exitCode = undefined;
    const start = output.length;
    const code = await main(['node', 'tightknit-sync', '--database', pg.url, ...args]);
    process.exitCode = undefined;
    return { code, text: output.slice(start).join('') };
  }
  const json = async (...args: string[]): Promise<unknown> => {
    const r = await run(...args, '--json');
    expect(r.code).toBe(0);
    return (JSON.parse(r.text) as { result: unknown }).result;
  };

  it('creates the first owner with a one-time password link, and lists people per tenant', async () => {
    expect((await run('tenants', 'add', 'acme')).code).toBe(0);
    expect((await run('tenants', 'add', 'beta')).code).toBe(0);
    const first = await run('users', 'add', 'Ana@Example.com', '--role', 'owner', '--tenant', 'acme');
    expect(first.code).toBe(0);
    expect(first.text).toContain("ana@example.com is now owner in tenant 'acme'.");
    expect(first.text).toMatch(/set a password \(valid 7 days.*\): https:\/\/sync\.example\.com\/password\/[\w-]{43}/);
    // The link's token is kept only as a hash.
    const token = /password\/([\w-]{43})/.exec(first.text)![1];
    const { rows } = await admin.query<{ token_hash: string }>('SELECT token_hash FROM password_links');
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).not.toContain(token);

    expect((await run('users', 'add', 'bo@example.com', '--role', 'viewer', '--tenant', 'acme')).code).toBe(0);
    expect((await run('users', 'add', 'ana@example.com', '--role', 'viewer', '--tenant', 'beta')).code).toBe(0);
    expect((await run('users', 'add', 'op@example.com', '--role', 'operator')).code).toBe(0);
    const acme = (await json('users', 'list', '--tenant', 'acme')) as { users: Array<{ email: string; role: string }> };
    expect(acme.users.map((u) => [u.email, u.role])).toEqual([
      ['ana@example.com', 'owner'],
      ['bo@example.com', 'viewer'],
    ]);
    const all = (await json('users', 'list')) as {
      users: Array<{ email: string; role: string; tenant: string | null }>;
    };
    expect(all.users.map((u) => `${u.tenant ?? '-'}:${u.email}:${u.role}`)).toEqual([
      '-:op@example.com:operator',
      'acme:ana@example.com:owner',
      'acme:bo@example.com:viewer',
      'beta:ana@example.com:viewer',
    ]);
    const text = await run('users', 'list', '--tenant', 'acme');
    expect(text.text).toMatch(/^EMAIL\s+ROLE\s+TENANT\s+SIGN-IN\s+SINCE\n/);
  });

  it('refuses an unknown role with the list of roles, a role in the wrong scope, and duplicates', async () => {
    const bad = await run('users', 'add', 'cy@example.com', '--role', 'superuser', '--tenant', 'acme');
    expect(bad.code).toBe(2);
    expect(bad.text).toContain(
      "'superuser' is not a role. Roles: owner, admin, integrations-manager, viewer, operator",
    );
    const noTenant = await run('users', 'add', 'cy@example.com', '--role', 'admin');
    expect(noTenant.code).toBe(2);
    expect(noTenant.text).toContain("admin is a tenant's role: give --tenant <name>");
    const opInTenant = await run('users', 'add', 'cy@example.com', '--role', 'operator', '--tenant', 'acme');
    expect(opInTenant.text).toContain('operator is an operator-wide role: give it without --tenant.');
    const dup = await run('users', 'add', 'bo@example.com', '--role', 'admin', '--tenant', 'acme');
    expect(dup.code).toBe(2);
    expect(dup.text).toContain(
      "bo@example.com is already viewer in tenant 'acme'. To change it: users set-role bo@example.com admin.",
    );
    const unknownTenant = await run('users', 'list', '--tenant', 'nope');
    expect(unknownTenant.text).toContain("There is no tenant 'nope'. Tenants: acme, beta.");
    const email = await run('users', 'add', 'not-an-email', '--role', 'operator');
    expect(email.text).toContain("'not-an-email' is not an email address");
    // Nothing was half-written by the refusals.
    expect((await admin.query("SELECT 1 FROM people WHERE email LIKE 'cy@%' OR email = 'not-an-email'")).rowCount).toBe(
      0,
    );
  });

  it('changes and removes roles, ends the person’s sessions, and keeps an owner', async () => {
    const { rows } = await admin.query<{ id: string }>("SELECT id FROM people WHERE email = 'bo@example.com'");
    await admin.query(
      "INSERT INTO sessions (id_hash, person_id, csrf_token, expires_at) VALUES ('s1', $1, 'c', now() + interval '1 hour')",
      [rows[0].id],
    );
    const up = await run('users', 'set-role', 'bo@example.com', 'admin', '--tenant', 'acme');
    expect(up.text).toContain("bo@example.com: viewer → admin in tenant 'acme'.");
    expect((await admin.query("SELECT 1 FROM sessions WHERE id_hash = 's1' AND revoked_at IS NOT NULL")).rowCount).toBe(
      1,
    );
    const last = await run('users', 'remove', 'ana@example.com', '--tenant', 'acme');
    expect(last.code).toBe(2);
    expect(last.text).toContain("That would leave tenant 'acme' without an owner.");
    const demote = await run('users', 'set-role', 'ana@example.com', 'viewer', '--tenant', 'acme');
    expect(demote.text).toContain('without an owner');
    expect((await run('users', 'remove', 'bo@example.com', '--tenant', 'acme')).text).toContain(
      "bo@example.com no longer has a role (was admin) in tenant 'acme'; their sessions are ended.",
    );
    const gone = await run('users', 'remove', 'bo@example.com', '--tenant', 'acme');
    expect(gone.text).toContain("bo@example.com has no role in tenant 'acme'. See: users list.");
  });

  it('audit: every change with its actor and before/after, filtered, per tenant or operator-wide', async () => {
    const acme = (await json('audit', '--tenant', 'acme')) as {
      entries: Array<{ actor: string; action: string; tenant: string; details: Record<string, unknown> }>;
    };
    expect(acme.entries.map((e) => e.action)).toEqual(['people.remove', 'people.set-role', 'people.add', 'people.add']);
    expect(new Set(acme.entries.map((e) => e.tenant))).toEqual(new Set(['acme']));
    expect(acme.entries[0].actor).toMatch(/^cli:/);
    expect(acme.entries[1].details).toMatchObject({
      email: 'bo@example.com',
      before: { role: 'viewer' },
      after: { role: 'admin' },
      sessionsRevoked: 1,
    });
    const filtered = (await json('audit', '--action', 'people.add', '--since', '1h')) as { entries: unknown[] };
    expect(filtered.entries).toHaveLength(4);
    expect(((await json('audit', '--since', '2999-01-01')) as { entries: unknown[] }).entries).toHaveLength(0);
    const bad = await run('audit', '--since', 'yesterday-ish');
    expect(bad.code).toBe(2);
    expect(bad.text).toContain("'yesterday-ish' is not a time");
    const text = await run('audit');
    expect(text.text).toMatch(/\(operator\)\s+cli:\S+\s+people\.add/);
  });

  it('password-link: a one-time reset link for a member (or, without --tenant, anyone known), audited', async () => {
    const r = await run('users', 'password-link', 'Ana@example.com', '--tenant', 'acme');
    expect(r.code).toBe(0);
    const token = /https:\/\/sync\.example\.com\/password\/([\w-]{43})/.exec(r.text)![1];
    expect(r.text).toContain('One-time link for ana@example.com to set a new password (valid 7 days)');
    // The link works once, and sets the password of the person it was issued for.
    await setPasswordWithLink(admin, token, 'a long new passphrase here', '127.0.0.1');
    await expect(setPasswordWithLink(admin, token, 'another long passphrase', '127.0.0.1')).rejects.toThrow();
    const set = await admin.query(
      "SELECT 1 FROM password_credentials pc JOIN people p ON p.id = pc.person_id WHERE p.email = 'ana@example.com'",
    );
    expect(set.rowCount).toBe(1);
    const stored = await admin.query<{ hash: string; days: string }>(
      `SELECT pc.hash, (SELECT extract(epoch FROM expires_at - created_at) / 86400 FROM password_links ORDER BY created_at DESC LIMIT 1) AS days
         FROM password_credentials pc JOIN people p ON p.id = pc.person_id WHERE p.email = 'ana@example.com'`,
    );
    expect(stored.rows[0].hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(Number(stored.rows[0].days)).toBe(7);
    const row = (await json('audit', '--tenant', 'acme', '--action', 'people.password-link')) as {
      entries: Array<{ actor: string; details: Record<string, unknown> }>;
    };
    expect(row.entries).toHaveLength(1);
    expect(row.entries[0]).toMatchObject({
      actor: expect.stringMatching(/^cli:/),
      details: { email: 'ana@example.com' },
    });
    // Operator-wide: any known person; the row has no tenant.
    expect((await run('users', 'password-link', 'op@example.com')).code).toBe(0);
    const wide = (await json('audit', '--action', 'people.password-link')) as {
      entries: Array<{ tenant: string | null }>;
    };
    expect(wide.entries.map((e) => e.tenant)).toEqual([null, 'acme']);
    const outsider = await run('users', 'password-link', 'bo@example.com', '--tenant', 'acme');
    expect(outsider.code).toBe(2);
    expect(outsider.text).toContain("bo@example.com has no role in tenant 'acme'. See: users list.");
    const unknown = await run('users', 'password-link', 'nobody@example.com');
    expect(unknown.code).toBe(2);
    expect(unknown.text).toContain('nobody@example.com is not a person of this installation. Add them first');
    expect((await admin.query("SELECT 1 FROM people WHERE email = 'nobody@example.com'")).rowCount).toBe(0);
  });
});
