import { recordAudit } from '../db';
import { acceptInvitationByHash } from '../invitations';
import { finishSignIn, OidcRefused, startSignIn } from '../oidc';
import { signedIn } from './auth-routes';
import type { Deps, PublicCtx, Route } from './context';
import { page } from './pages';
import { PeopleHttpError, redirect, sendHtml } from './web';

function configured(deps: Deps): NonNullable<Deps['oidc']> {
  if (!deps.oidc)
    throw new PeopleHttpError(
      404,
      'SSO_NOT_CONFIGURED',
      'Single sign-on is not configured on this server: sign in with email and password.',
    );
  return deps.oidc;
}

async function start(deps: Deps, ctx: PublicCtx): Promise<void> {
  const invitation = ctx.url.searchParams.get('invitation') ?? undefined;
  redirect(ctx.res, (await startSignIn(deps.pool, configured(deps), invitation)).toString());
}

async function refuse(deps: Deps, ctx: PublicCtx, reason: string, actor = 'anonymous'): Promise<void> {
  await recordAudit(deps.pool, {
    tenantId: null,
    actor,
    action: 'signin.failed',
    ip: ctx.ip,
    details: { method: 'oidc', reason },
  });
  sendHtml(
    ctx.res,
    401,
    page('Sign-in refused', '<p><a href="/signin">Try again</a></p>', { error: `Sign-in refused: ${reason}.` }),
  );
}

/** The provider's redirect back: a session for a known person, or the invitation accepted for the invited email. */
async function callback(deps: Deps, ctx: PublicCtx): Promise<void> {
  const oidc = configured(deps);
  const current = new URL(ctx.url.pathname + ctx.url.search, oidc.redirectUri);
  let result: Awaited<ReturnType<typeof finishSignIn>>;
  try {
    result = await finishSignIn(deps.pool, oidc, current);
  } catch (err) {
    if (err instanceof OidcRefused) return refuse(deps, ctx, err.message);
    throw err;
  }
  if (result.invitationTokenHash) {
    const { personId, tenantId } = await acceptInvitationByHash(
      deps.pool,
      result.invitationTokenHash,
      result.email,
      ctx.ip,
    );
    return signedIn(deps, ctx, personId, tenantId);
  }
  const { rows } = await deps.pool.query<{ id: string }>(
    'SELECT p.id FROM people p WHERE p.email = $1 AND EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id)',
    [result.email],
  );
  if (!rows[0])
    return refuse(deps, ctx, `${result.email} has no role here (ask an admin for an invitation)`, result.email);
  await signedIn(deps, ctx, Number(rows[0].id));
}

export const OIDC_ROUTES: Route[] = [
  { method: 'GET', path: '/auth/oidc/start', op: 'public', run: start },
  { method: 'GET', path: '/auth/oidc/callback', op: 'public', run: callback },
];
