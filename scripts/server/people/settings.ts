/** The people layer's environment variables (docs/people.md lists them with examples). */
export const PUBLIC_URL_ENV = 'TIGHTKNIT_PUBLIC_URL';
export const OIDC_ISSUER_ENV = 'TIGHTKNIT_OIDC_ISSUER';
export const OIDC_CLIENT_ID_ENV = 'TIGHTKNIT_OIDC_CLIENT_ID';
export const OIDC_CLIENT_SECRET_ENV = 'TIGHTKNIT_OIDC_CLIENT_SECRET';
const IDLE_ENV = 'TIGHTKNIT_SESSION_IDLE_MINUTES';
const MAX_ENV = 'TIGHTKNIT_SESSION_MAX_HOURS';

/** Session lifetimes. */
export interface SessionRules {
  /** A session unused this long ends (30 minutes by default). */
  idleMs: number;
  /** A session ends this long after sign-in, used or not (12 hours by default). */
  absoluteMs: number;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got '${raw}').`);
  return n;
}

/** The session rules from the environment, with the defaults. */
export function sessionRulesFromEnv(env: NodeJS.ProcessEnv = process.env): SessionRules {
  return {
    idleMs: positive(env, IDLE_ENV, 30) * 60_000,
    absoluteMs: positive(env, MAX_ENV, 12) * 3_600_000,
  };
}

/** Where a link for a path points: the public URL when set, else the path alone. */
export function linkTo(path: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env[PUBLIC_URL_ENV];
  return base ? new URL(path, base).toString() : path;
}
