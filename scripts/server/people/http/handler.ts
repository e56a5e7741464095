import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import { UsageError } from '../../../sync/errors';
import type { Operation } from '../authorization';
import { InvitationRefused } from '../invitations';
import type { OidcClient } from '../oidc';
import { PUBLIC_URL_ENV, sessionRulesFromEnv, type SessionRules } from '../settings';
import { AUTH_ROUTES } from './auth-routes';
import type { Deps, PublicCtx, Route } from './context';
import { makeGuard, type Guard } from './guard';
import { OIDC_ROUTES } from './oidc-routes';
import { page } from './pages';
import { PEOPLE_ROUTES } from './people-routes';
import { clientIp, errorBody, isForm, PeopleHttpError, readBody, securityHeaders, sendHtml, sendJson } from './web';

/** Every route of the people layer: the authorization test walks this list. */
export const ROUTES: readonly Route[] = [...AUTH_ROUTES, ...OIDC_ROUTES, ...PEOPLE_ROUTES];

export interface PeopleOptions {
  pool: Pool;
  /** Idle timeout and absolute lifetime (default: from the environment, 30 min and 12 h). */
  rules?: SessionRules;
  /** Read the client's address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy?: boolean;
  /** The identity provider's client (`discoverOidc`); without it only email + password sign-in. */
  oidc?: OidcClient;
  /** The base of the links the pages hand out (TIGHTKNIT_PUBLIC_URL by default; else the request's host). */
  publicUrl?: string;
}

/** The people layer as the serve process mounts it. */
export interface PeopleHandler {
  /** Answers the request when its path is one of the people layer's; resolves false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** The check every other console route runs first: `const who = await guard('configure')(req, res); if (!who) return;`. */
  guard(op: Operation): Guard;
}

function match(method: string, pathname: string): { route: Route; param: string } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    if (route.path.endsWith('/:token')) {
      const prefix = route.path.slice(0, -':token'.length);
      const rest = pathname.slice(prefix.length);
      if (pathname.startsWith(prefix) && /^[\w-]{1,128}$/.test(rest)) return { route, param: rest };
    } else if (route.path === pathname) return { route, param: '' };
  }
  return undefined;
}

function wantsHtml(req: IncomingMessage, url: URL): boolean {
  return isForm(req) || (req.method === 'GET' && !url.pathname.startsWith('/api/'));
}

function fail(ctx: { res: ServerResponse; html: boolean }, err: unknown): void {
  const known =
    err instanceof PeopleHttpError
      ? err
      : err instanceof UsageError
        ? new PeopleHttpError(
            err.code === 'MEMBERSHIP_EXISTS' || err.code === 'LAST_OWNER' ? 409 : 400,
            err.code,
            err.message,
          )
        : err instanceof InvitationRefused
          ? new PeopleHttpError(400, 'INVITATION_REFUSED', err.message)
          : undefined;
  if (!known) process.stderr.write(`people: ${(err as Error).stack ?? String(err)}\n`);
  const e =
    known ?? new PeopleHttpError(500, 'UNEXPECTED', 'The server hit an unexpected error; its log has the details.');
  if (ctx.res.headersSent) return void ctx.res.end();
  if (ctx.html)
    sendHtml(
      ctx.res,
      e.status,
      page('Not done', '<p><a href="/signin">Sign in</a> · <a href="/account">Your account</a></p>', {
        error: e.message,
      }),
    );
  else sendJson(ctx.res, e.status, errorBody(e.code, e.message));
}

/**
 * The people layer's request handler (node:http): sign-in and sign-out, invitations, password links,
 * the people and audit pages and their JSON API, and `guard(operation)` for every other route.
 */
export function createPeopleHandler(options: PeopleOptions): PeopleHandler {
  const base = {
    pool: options.pool,
    rules: options.rules ?? sessionRulesFromEnv(),
    trustProxy: options.trustProxy ?? false,
  };
  const guard = makeGuard(base);
  const publicUrl = options.publicUrl ?? process.env[PUBLIC_URL_ENV];
  const deps: Deps = {
    ...base,
    guard,
    ...(options.oidc ? { oidc: options.oidc } : {}),
    ...(publicUrl ? { publicUrl } : {}),
  };
  return {
    guard,
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const found = match(req.method ?? 'GET', url.pathname);
      if (!found) return false;
      securityHeaders(res);
      const html = wantsHtml(req, url);
      try {
        const body = req.method === 'POST' ? await readBody(req) : {};
        const ctx: PublicCtx = { req, res, url, ip: clientIp(req, base.trustProxy), param: found.param, body, html };
        const { route } = found;
        if (route.op === 'public') {
          await route.run(deps, ctx);
          return true;
        }
        const who = await guard(route.op)(req, res, body);
        if (who) await route.run(deps, { ...ctx, who });
      } catch (err) {
        fail({ res, html }, err);
      }
      return true;
    },
  };
}
