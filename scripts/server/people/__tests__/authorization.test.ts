import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { REPO_ROOT } from '../../../metadata/project';
import { usePostgres } from '../../../test-support/postgres';
import { CONSOLE_ROUTES, createConsoleHandler } from '../../console/handler';
import { RunQueue } from '../../queue/runs';
import { GUARDED_CONNECT_ROUTES } from '../../serve/app';
import { AUTHORIZATION, OPERATIONS, SIGNED_IN, type Operation } from '../authorization';
import { ROUTES } from '../http/handler';
import { TENANT_ROLES } from '../roles';
import { Browser, PEOPLE, seed, serve, testPool, type Who } from './helpers';

/**
 * Generated from the authorization table: every guarded route of the people handler and of the tenant
 * console (its `:name` routes on tenant acme), and a probe route per operation of the table, called with
 * no session and as each role. The expected answer is derived from the table alone.
 */
describe('the authorization table, enforced on every route', () => {
  afterAll(async () => pool.end());
  const pg = usePostgres();
  let pool: Pool;
  let server: Awaited<ReturnType<typeof serve>>;
  let queue: RunQueue;

  beforeAll(async () => {
    pool = testPool(pg.url);
    await seed(pool);
    queue = await RunQueue.open(pg.url);
    let tenantConsole: ReturnType<typeof createConsoleHandler> | undefined;
    server = await serve({ pool, trustProxy: true }, async (people, req, res) => {
      tenantConsole ??= createConsoleHandler({ pool, guard: people.guard, trustProxy: true, queue });
      if (await tenantConsole(req, res)) return true;
      const op = /^\/probe\/(.+)$/.exec(req.url ?? '')?.[1] as Operation | undefined;
      if (!op || !(op in AUTHORIZATION)) return false;
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (await people.guard(op)(req, res)) res.writeHead(204).end();
      return true;
    });
  });
  afterAll(async () => {
    await server.close();
    await queue.stop(0);
  });

  /** What the table says a person of `who` gets for `op`: allowed, or refused naming the least role. */
  function expected(who: Who, op: Operation): string {
    const least = AUTHORIZATION[op];
    if (least === SIGNED_IN) return 'allowed';
    if (least === 'operator') return who === 'operator' ? 'allowed' : 'operator';
    if (who === 'operator') return least;
    return TENANT_ROLES.indexOf(who) <= TENANT_ROLES.indexOf(least) ? 'allowed' : least;
  }

  it('lists no route without an operation of the table, and only the sign-in routes as public', () => {
    for (const r of [...ROUTES, ...CONSOLE_ROUTES]) expect(r.op === 'public' || r.op in AUTHORIZATION).toBe(true);
    expect(
      ROUTES.filter((r) => r.op === 'public')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(
      [
        'GET /signin',
        'POST /signin',
        'GET /password/:token',
        'POST /password/:token',
        'GET /invitations/:token',
        'POST /invitations/:token',
        'GET /auth/oidc/start',
        'GET /auth/oidc/callback',
        'GET /people/people.css',
      ].sort(),
    );
  });

  it('docs/people.md lists the table exactly as the code has it, with the routes of each operation', () => {
    const whole = readFileSync(join(REPO_ROOT, 'docs', 'people.md'), 'utf8');
    const from = whole.indexOf('## The authorization table');
    const doc = whole.slice(from, whole.indexOf('\n## ', from + 1));
    const rows = [...doc.matchAll(/^\| `([\w.-]+)` +\| ([\w-]+) +\| (.+?) +\|$/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(Object.fromEntries(rows.map(([op, least]) => [op, least]))).toEqual(AUTHORIZATION);
    expect(rows).toHaveLength(OPERATIONS.length);
    const routesIn = (cell: string): string[] =>
      [...cell.matchAll(/`((?:GET|POST|PUT|DELETE) [^`]+)`/g)].map((m) => m[1]).sort();
    const documented = Object.fromEntries(
      rows.map(([op, , cell]) => [op, cell.startsWith('none') ? [] : routesIn(cell)]),
    );
    const inCode = Object.fromEntries(
      OPERATIONS.map((op) => [
        op,
        [...ROUTES, ...CONSOLE_ROUTES, ...GUARDED_CONNECT_ROUTES]
          .filter((r) => r.op === op)
          .map((r) => `${r.method} ${r.path}`)
          .sort(),
      ]),
    );
    expect(documented).toEqual(inCode);
  });

  const guarded = [
    ...ROUTES.filter((r) => r.op !== 'public'),
    ...CONSOLE_ROUTES.map((r) => ({ ...r, path: r.path.replace(':name', 'acme') })),
  ];
  const probes = OPERATIONS.flatMap((op) => [
    { method: 'GET', path: `/probe/${op}`, op },
    { method: 'POST', path: `/probe/${op}`, op },
  ]);
  const cases = [...guarded, ...probes].map((r) => ({ method: r.method, path: r.path, op: r.op }));

  it('answers 401 to every guarded route without a session', async () => {
    const anon = new Browser(server.origin);
    for (const c of cases) {
      const res = await anon.fetch(c.path, c.method === 'GET' ? {} : { method: c.method, json: {} });
      expect({ route: `${c.method} ${c.path}`, status: res.status }).toEqual({
        route: `${c.method} ${c.path}`,
        status: 401,
      });
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SIGN_IN_REQUIRED');
    }
  });

  it.each(Object.keys(PEOPLE) as Who[])(
    'as %s: each route is allowed or refused with 403 naming the missing role',
    async (who) => {
      const seen: string[] = [];
      const want: string[] = [];
      // The sign-out routes end the session: they go last, each with a session of its own.
      const ordered = [
        ...cases.filter((c) => !c.op.startsWith('signout')),
        ...cases.filter((c) => c.op.startsWith('signout')),
      ];
      for (const c of ordered) {
        const b = new Browser(server.origin, `10.1.${Object.keys(PEOPLE).indexOf(who)}.1`);
        expect((await b.signIn(PEOPLE[who])).status).toBe(303);
        const res =
          c.method === 'GET'
            ? await b.fetch(c.path)
            : await b.fetch(c.path, { method: c.method, json: {}, headers: { 'x-csrf-token': b.csrf } });
        const outcome = expected(who, c.op);
        const text = await res.text();
        want.push(`${c.method} ${c.path} → ${outcome === 'allowed' ? 'allowed' : `403 ${outcome}`}`);
        if (res.status === 403 && text.includes('ROLE_REQUIRED')) {
          const least = /needs the ([\w-]+) role/.exec(text)?.[1];
          seen.push(`${c.method} ${c.path} → 403 ${least}`);
        } else {
          expect([401, 403]).not.toContain(res.status);
          seen.push(`${c.method} ${c.path} → allowed`);
        }
      }
      expect(seen).toEqual(want);
    },
  );

  it('writes each refusal of a signed-in person to the audit trail', async () => {
    const { rows } = await pool.query<{ actor: string; details: { operation: string; least: string } }>(
      "SELECT actor, details FROM audit_events WHERE action = 'access.denied' AND actor = $1",
      [PEOPLE.viewer],
    );
    const refused = cases.filter((c) => expected('viewer', c.op) !== 'allowed');
    expect(rows).toHaveLength(refused.length);
    expect(new Set(rows.map((r) => r.details.least))).toEqual(new Set(refused.map((c) => AUTHORIZATION[c.op])));
  });
});
