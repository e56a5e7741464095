import { listAudit, parseSince } from '../audit';
import { OPERATIONS } from '../authorization';
import { appendAudit, inTransaction, recordAudit } from '../db';
import { invite, listInvitations } from '../invitations';
import { issuePasswordLink, listUsers, removeUser, setRole } from '../people';
import { parseTenantRole } from '../roles';
import type { Tenant } from '../../tenants';
import type { Ctx, Deps, Route } from './context';
import { refusal } from '../access';
import { auditPage, CSS, homePage, peoplePage } from './pages';
import { field, PeopleHttpError, secureCookies, sendHtml, sendJson } from './web';

/** The session's tenant in the registry's shape (listUsers and friends only read its id and name). */
const tenantRecord = (t: { id: number; name: string }): Tenant => ({
  ...t,
  status: 'active',
  createdAt: '',
  community: null,
  org: null,
});

function tenantOf(ctx: Ctx): { id: number; name: string } {
  if (!ctx.who.tenant) throw new PeopleHttpError(403, 'NO_TENANT', 'This session acts in no tenant.');
  return ctx.who.tenant;
}

/** Changing an owner, or making one, is the owner's business: an admin is refused (and audited). */
async function ownerOnly(deps: Deps, ctx: Ctx, what: string): Promise<void> {
  const refused = refusal(ctx.who, 'ownership.transfer');
  if (!refused) return;
  await recordAudit(deps.pool, {
    tenantId: ctx.who.tenant?.id ?? null,
    actor: ctx.who.email,
    action: 'access.denied',
    ip: ctx.ip,
    details: { operation: 'ownership.transfer', what },
  });
  throw new PeopleHttpError(
    403,
    'ROLE_REQUIRED',
    `${what} needs the owner role; you are ${ctx.who.tenant?.role ?? 'not a member'}.`,
  );
}

async function roleOf(deps: Deps, tenantId: number, email: string): Promise<string | undefined> {
  const { rows } = await deps.pool.query<{ role: string }>(
    'SELECT m.role FROM memberships m JOIN people p ON p.id = m.person_id WHERE p.email = $1 AND m.tenant_id = $2',
    [email.trim().toLowerCase(), tenantId],
  );
  return rows[0]?.role;
}

/** An absolute link to a path of this server, for a person to open from an email or a chat. */
function linkTo(deps: Deps, ctx: Ctx, path: string): string {
  const base =
    deps.publicUrl ?? `${secureCookies(ctx.req) ? 'https' : 'http'}://${ctx.req.headers.host ?? 'localhost'}`;
  return new URL(path, base).toString();
}

/** After a change: the people page with a notice (a form) or the result as JSON. */
async function answer(deps: Deps, ctx: Ctx, notice: string, result: Record<string, unknown>): Promise<void> {
  if (!ctx.html) return sendJson(ctx.res, 200, result);
  const t = tenantOf(ctx);
  const people = await listUsers(deps.pool, tenantRecord(t));
  sendHtml(ctx.res, 200, peoplePage(ctx.who, people, await listInvitations(deps.pool, t.id), notice || undefined));
}
const by = (ctx: Ctx) => ({ actor: ctx.who.email, ip: ctx.ip });

async function inviteRoute(deps: Deps, ctx: Ctx): Promise<void> {
  const t = tenantOf(ctx);
  const role = parseTenantRole(field(ctx.body, 'role'));
  if (role === 'owner') await ownerOnly(deps, ctx, 'Inviting an owner');
  const token = await invite(deps.pool, by(ctx), { tenantId: t.id, email: field(ctx.body, 'email'), role });
  const link = linkTo(deps, ctx, `/invitations/${token}`);
  await answer(deps, ctx, `Invitation link (valid 7 days, one use; send it to ${String(ctx.body.email)}): ${link}`, {
    invitationLink: link,
  });
}

async function setRoleRoute(deps: Deps, ctx: Ctx): Promise<void> {
  const t = tenantOf(ctx);
  const email = field(ctx.body, 'email');
  const role = parseTenantRole(field(ctx.body, 'role'));
  if (role === 'owner' || (await roleOf(deps, t.id, email)) === 'owner')
    await ownerOnly(deps, ctx, "Changing an owner's role or making an owner");
  const r = await setRole(deps.pool, by(ctx), { email, role, tenant: tenantRecord(t) });
  await answer(deps, ctx, `${email}: ${r.before} → ${role}.`, { email, before: r.before, after: role });
}

async function removeRoute(deps: Deps, ctx: Ctx): Promise<void> {
  const t = tenantOf(ctx);
  const email = field(ctx.body, 'email');
  if ((await roleOf(deps, t.id, email)) === 'owner') await ownerOnly(deps, ctx, 'Removing an owner');
  const r = await removeUser(deps.pool, by(ctx), { email, tenant: tenantRecord(t) });
  await answer(deps, ctx, `${email} removed (was ${r.role}); their sessions are ended.`, {
    email,
    removedRole: r.role,
  });
}

/** A one-time password link for a member of this tenant only (a person of other tenants too is the operator's matter). */
async function passwordLinkRoute(deps: Deps, ctx: Ctx): Promise<void> {
  const t = tenantOf(ctx);
  const email = field(ctx.body, 'email').trim().toLowerCase();
  const role = await roleOf(deps, t.id, email);
  if (!role) throw new PeopleHttpError(404, 'MEMBERSHIP_UNKNOWN', `${email} has no role in tenant '${t.name}'.`);
  if (role === 'owner') await ownerOnly(deps, ctx, "Issuing an owner's password link");
  const token = await inTransaction(deps.pool, async (c) => {
    const { rows } = await c.query<{ id: string; elsewhere: boolean }>(
      `SELECT p.id, EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id AND m.tenant_id IS DISTINCT FROM $2) AS elsewhere
         FROM people p WHERE p.email = $1`,
      [email, t.id],
    );
    if (rows[0].elsewhere) {
      throw new PeopleHttpError(
        409,
        'PERSON_IN_OTHER_TENANTS',
        `${email} also belongs to other tenants (or is an operator): only the operator can issue their password link.`,
      );
    }
    const issued = await issuePasswordLink(c, Number(rows[0].id));
    await appendAudit(c, [{ tenantId: t.id, ...by(ctx), action: 'people.password-link', details: { email } }]);
    return issued;
  });
  const link = linkTo(deps, ctx, `/password/${token}`);
  await answer(deps, ctx, `One-time password link for ${email} (valid 7 days): ${link}`, { passwordLink: link });
}

function auditFilter(ctx: Ctx): { since?: Date; actor?: string; action?: string } {
  const q = ctx.url.searchParams;
  const since = q.get('since') || undefined;
  return {
    since: since ? parseSince(since) : undefined,
    actor: q.get('actor') || undefined,
    action: q.get('action') || undefined,
  };
}

export const PEOPLE_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/people/people.css',
    op: 'public',
    run: async (_d, ctx) => {
      ctx.res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8' });
      ctx.res.end(CSS);
    },
  },
  {
    method: 'GET',
    path: '/account',
    op: 'session.read',
    run: async (_d, ctx) => sendHtml(ctx.res, 200, homePage(ctx.who)),
  },
  {
    method: 'GET',
    path: '/api/session',
    op: 'session.read',
    run: async (_d, ctx) => {
      const { email, tenant, tenants, operator, csrfToken } = ctx.who;
      sendJson(ctx.res, 200, {
        email,
        tenant,
        tenants,
        operator,
        csrfToken,
        allowed: OPERATIONS.filter((op) => !refusal(ctx.who, op)),
      });
    },
  },
  {
    method: 'GET',
    path: '/people',
    op: 'people.list',
    run: async (deps, ctx) => answer(deps, ctx, '', {}),
  },
  {
    method: 'GET',
    path: '/api/people',
    op: 'people.list',
    run: async (deps, ctx) => {
      const t = tenantOf(ctx);
      sendJson(ctx.res, 200, {
        people: await listUsers(deps.pool, tenantRecord(t)),
        invitations: await listInvitations(deps.pool, t.id),
      });
    },
  },
  { method: 'POST', path: '/api/people/invitations', op: 'people.invite', run: inviteRoute },
  { method: 'POST', path: '/api/people/role', op: 'people.set-role', run: setRoleRoute },
  { method: 'POST', path: '/api/people/remove', op: 'people.remove', run: removeRoute },
  { method: 'POST', path: '/api/people/password-link', op: 'people.password-link', run: passwordLinkRoute },
  {
    method: 'GET',
    path: '/audit',
    op: 'audit.list',
    run: async (deps, ctx) => {
      const q = ctx.url.searchParams;
      const rows = await listAudit(deps.pool, tenantOf(ctx), auditFilter(ctx));
      sendHtml(
        ctx.res,
        200,
        auditPage(ctx.who, rows, {
          since: q.get('since') ?? '',
          actor: q.get('actor') ?? '',
          action: q.get('action') ?? '',
        }),
      );
    },
  },
  {
    method: 'GET',
    path: '/api/audit',
    op: 'audit.list',
    run: async (deps, ctx) =>
      sendJson(ctx.res, 200, { entries: await listAudit(deps.pool, tenantOf(ctx), auditFilter(ctx)) }),
  },
];
