import { hash } from '@node-rs/argon2';
import type { IncomingMessage } from 'node:http';
import { acceptInvitation, peekInvitation } from '../invitations';
import { passwordProblem, passwordSignIn, setPasswordWithLink, SignInRefused } from '../passwords';
import { revokeSessions } from '../people';
import { createSession, endSession, switchTenant } from '../sessions';
import { newToken, sameSecret } from '../tokens';
import { recordAudit } from '../db';
import type { Ctx, Deps, PublicCtx, Route } from './context';
import { invitationPage, passwordPage, signInPage } from './pages';
import {
  clearCookie,
  cookie,
  field,
  FORM_COOKIE,
  PeopleHttpError,
  redirect,
  SESSION_COOKIE,
  sendHtml,
  sendJson,
  setCookie,
} from './web';

/** The sign-in form's token: the one in the form cookie, or a fresh one (set with the page). */
function formToken(req: IncomingMessage): { token: string; cookies: string[] } {
  const existing = cookie(req, FORM_COOKIE);
  if (existing) return { token: existing, cookies: [] };
  const token = newToken();
  return { token, cookies: [setCookie(req, FORM_COOKIE, token)] };
}

/** A pre-session form post must carry the form cookie's token (double submit); refused and audited otherwise. */
async function checkFormToken(deps: Deps, ctx: PublicCtx): Promise<void> {
  const expected = cookie(ctx.req, FORM_COOKIE) ?? '';
  const sent = typeof ctx.body.csrf === 'string' ? ctx.body.csrf : String(ctx.req.headers['x-csrf-token'] ?? '');
  if (!expected || !sent || !sameSecret(sent, expected)) {
    await recordAudit(deps.pool, {
      tenantId: null,
      actor: 'anonymous',
      action: 'csrf.refused',
      ip: ctx.ip,
      details: { path: ctx.url.pathname },
    });
    throw new PeopleHttpError(
      403,
      'CSRF_FAILED',
      'This form lacks its CSRF token (or it is wrong). Reload the page and try again.',
    );
  }
}

function pageWith(ctx: PublicCtx, status: number, html: (token: string) => string): void {
  const { token, cookies } = formToken(ctx.req);
  if (cookies.length) ctx.res.setHeader('Set-Cookie', cookies);
  sendHtml(ctx.res, status, html(token));
}

/** Starts a session for a person and sends them on (JSON: the session's CSRF token). */
export async function signedIn(deps: Deps, ctx: PublicCtx, personId: number, tenantId?: number): Promise<void> {
  const to = '/account';
  const session = await createSession(deps.pool, personId, deps.rules, tenantId);
  const cookies = [setCookie(ctx.req, SESSION_COOKIE, session), clearCookie(ctx.req, FORM_COOKIE)];
  if (ctx.html || ctx.req.method === 'GET') return redirect(ctx.res, to, cookies);
  ctx.res.setHeader('Set-Cookie', cookies);
  sendJson(ctx.res, 200, { signedIn: true });
}

async function signIn(deps: Deps, ctx: PublicCtx): Promise<void> {
  await checkFormToken(deps, ctx);
  try {
    const person = await passwordSignIn(deps.pool, field(ctx.body, 'email'), field(ctx.body, 'password'), ctx.ip);
    await signedIn(deps, ctx, person);
  } catch (err) {
    if (!(err instanceof SignInRefused)) throw err;
    const status = err.code === 'RATE_LIMITED' ? 429 : 401;
    if (!ctx.html) return sendJson(ctx.res, status, { error: { code: err.code, message: err.message, actions: [] } });
    pageWith(ctx, status, (t) => signInPage(t, deps.oidc !== undefined, err.message));
  }
}

async function setPassword(deps: Deps, ctx: PublicCtx): Promise<void> {
  await checkFormToken(deps, ctx);
  try {
    const person = await setPasswordWithLink(deps.pool, ctx.param, field(ctx.body, 'password'), ctx.ip);
    await signedIn(deps, ctx, person);
  } catch (err) {
    if (!(err instanceof SignInRefused)) throw err;
    pageWith(ctx, 400, (t) => passwordPage(t, ctx.param, err.message));
  }
}

async function showInvitation(deps: Deps, ctx: PublicCtx): Promise<void> {
  const inv = await peekInvitation(deps.pool, ctx.param, ctx.ip);
  pageWith(ctx, 200, (t) => invitationPage(t, ctx.param, inv, deps.oidc !== undefined));
}

/**
 * Accepts an invitation with a password: the invited address's existing password, or a new one when
 * the address has none here yet (the link, sent to that address, is what proves it).
 */
async function acceptWithPassword(deps: Deps, ctx: PublicCtx): Promise<void> {
  await checkFormToken(deps, ctx);
  const inv = await peekInvitation(deps.pool, ctx.param, ctx.ip);
  const password = field(ctx.body, 'password');
  const { rows } = await deps.pool.query(
    'SELECT 1 FROM password_credentials pc JOIN people p ON p.id = pc.person_id WHERE p.email = $1',
    [inv.email],
  );
  try {
    if (rows.length) await passwordSignIn(deps.pool, inv.email, password, ctx.ip, true);
    else {
      const problem = passwordProblem(password);
      if (problem) throw new SignInRefused('PASSWORD_WEAK', problem);
    }
  } catch (err) {
    if (!(err instanceof SignInRefused)) throw err;
    return pageWith(ctx, 400, (t) => invitationPage(t, ctx.param, inv, deps.oidc !== undefined, err.message));
  }
  const hashed = rows.length ? undefined : await hash(password);
  const { personId, tenantId } = await acceptInvitation(deps.pool, ctx.param, inv.email, ctx.ip);
  if (hashed)
    await deps.pool.query(
      'INSERT INTO password_credentials (person_id, hash) VALUES ($1, $2) ON CONFLICT (person_id) DO NOTHING',
      [personId, hashed],
    );
  await signedIn(deps, ctx, personId, tenantId);
}

async function signOut(deps: Deps, ctx: Ctx, everywhere: boolean): Promise<void> {
  const revoked = everywhere
    ? await revokeSessions(deps.pool, ctx.who.personId)
    : (await endSession(deps.pool, ctx.who.sessionHash), 1);
  if (everywhere) {
    await recordAudit(deps.pool, {
      tenantId: ctx.who.tenant?.id ?? null,
      actor: ctx.who.email,
      action: 'signout.everywhere',
      ip: ctx.ip,
      details: { sessionsRevoked: revoked },
    });
  }
  const cookies = [clearCookie(ctx.req, SESSION_COOKIE)];
  if (ctx.html) return redirect(ctx.res, '/signin', cookies);
  ctx.res.setHeader('Set-Cookie', cookies);
  sendJson(ctx.res, 200, { signedOut: true, sessionsRevoked: revoked });
}

async function chooseTenant(deps: Deps, ctx: Ctx): Promise<void> {
  const name = field(ctx.body, 'tenant');
  const target = ctx.who.tenants.find((t) => t.name === name);
  if (!target) {
    throw new PeopleHttpError(
      403,
      'TENANT_NOT_YOURS',
      `You have no role in tenant '${name}'. Yours: ${ctx.who.tenants.map((t) => t.name).join(', ') || 'none'}.`,
    );
  }
  await switchTenant(deps.pool, ctx.who.sessionHash, target.id);
  if (ctx.html) return redirect(ctx.res, '/account');
  sendJson(ctx.res, 200, { tenant: target.name, role: target.role });
}

export const AUTH_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/signin',
    op: 'public',
    run: async (deps, ctx) => pageWith(ctx, 200, (t) => signInPage(t, deps.oidc !== undefined)),
  },
  { method: 'POST', path: '/signin', op: 'public', run: signIn },
  {
    method: 'GET',
    path: '/password/:token',
    op: 'public',
    run: async (_deps, ctx) => pageWith(ctx, 200, (t) => passwordPage(t, ctx.param)),
  },
  { method: 'POST', path: '/password/:token', op: 'public', run: setPassword },
  { method: 'GET', path: '/invitations/:token', op: 'public', run: showInvitation },
  { method: 'POST', path: '/invitations/:token', op: 'public', run: acceptWithPassword },
  { method: 'POST', path: '/signout', op: 'signout', run: (deps, ctx) => signOut(deps, ctx, false) },
  {
    method: 'POST',
    path: '/signout-everywhere',
    op: 'signout.everywhere',
    run: (deps, ctx) => signOut(deps, ctx, true),
  },
  { method: 'POST', path: '/api/session/tenant', op: 'session.tenant', run: chooseTenant },
];
