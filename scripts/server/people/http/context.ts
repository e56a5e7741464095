import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import type { Operation } from '../authorization';
import type { OidcClient } from '../oidc';
import type { Principal } from '../sessions';
import type { SessionRules } from '../settings';
import type { Guard } from './guard';

/** What the people layer's routes share. */
export interface Deps {
  pool: Pool;
  rules: SessionRules;
  trustProxy: boolean;
  guard: (op: Operation) => Guard;
  /** The identity provider's client, when single sign-on is configured. */
  oidc?: OidcClient;
  /** The base of the links handed out; unset: the request's own origin. */
  publicUrl?: string;
}

/** One request as a public route sees it. */
export interface PublicCtx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  ip: string;
  /** The path's `:token`. */
  param: string;
  /** The POST body (JSON or form fields); {} for GET. */
  body: Record<string, unknown>;
  /** True for a form post or a page: answer with HTML, not JSON. */
  html: boolean;
}

/** One request as a guarded route sees it: with the signed-in person the guard let through. */
export interface Ctx extends PublicCtx {
  who: Principal;
}

/** A route: method, path (a trailing `:token` matches one segment), and its operation in the table or `public`. */
export type Route =
  | { method: 'GET' | 'POST'; path: string; op: 'public'; run: (deps: Deps, ctx: PublicCtx) => Promise<void> }
  | { method: 'GET' | 'POST'; path: string; op: Operation; run: (deps: Deps, ctx: Ctx) => Promise<void> };
