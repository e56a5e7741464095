import { WorkspaceState } from '../state/workspace';
import { Args } from './args';
import { SlackApiError } from './errors';
import { METHODS } from './methods';
import { RateLimiter } from './rate-limits';

export interface TokenState {
  bot: string;
  app: string;
  botRevoked: boolean;
}

export interface ApiReply {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

const APP_TOKEN_SCOPES = ['connections:write'];

/**
 * Answers one Web API call in Slack's order: the method exists, the token authenticates and fits
 * the method (bot vs app-level), the rate limit admits it (429 + Retry-After), the scopes suffice
 * (missing_scope with `needed`/`provided`), then the method. Every answer carries `x-oauth-scopes`
 * (the token's scopes) and `x-accepted-oauth-scopes` (what the method accepts), as Slack's do.
 */
export class WebApi {
  private readonly callCounts = new Map<string, number>();

  constructor(
    private readonly ws: WorkspaceState,
    private readonly tokens: TokenState,
    private readonly botScopes: ReadonlySet<string>,
    private readonly limiter: RateLimiter,
    private readonly marketplace: boolean,
    private readonly openSocket: () => string,
  ) {}

  calls(): Record<string, number> {
    return Object.fromEntries(this.callCounts);
  }

  call(method: string, args: Args, authorization: string | undefined): ApiReply {
    this.callCounts.set(method, (this.callCounts.get(method) ?? 0) + 1);
    const headers: Record<string, string> = {};
    const fail = (error: string, extra: Record<string, unknown> = {}): ApiReply => ({
      status: 200,
      body: { ok: false, error, ...extra },
      headers,
    });
    const spec = METHODS[method];
    if (!spec) return fail('unknown_method');
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1] ?? args.token;
    if (!token) return fail('not_authed');
    const kind = token === this.tokens.bot ? 'bot' : token === this.tokens.app ? 'app' : undefined;
    if (!kind) return fail('invalid_auth');
    if (kind === 'bot' && this.tokens.botRevoked) return fail('token_revoked');
    const granted = kind === 'bot' ? [...this.botScopes] : APP_TOKEN_SCOPES;
    headers['x-oauth-scopes'] = granted.join(',');
    const needed = spec.scopes(this.ws, args);
    headers['x-accepted-oauth-scopes'] = needed.join(',');
    if (kind !== spec.token) return fail('not_allowed_token_type');

    const retryAfter = this.limiter.admit(method, spec.tier);
    if (retryAfter > 0) {
      return {
        status: 429,
        body: { ok: false, error: 'ratelimited' },
        headers: { ...headers, 'Retry-After': String(retryAfter) },
      };
    }
    const scopeSet = new Set(granted);
    const missing = needed.find((s) => !scopeSet.has(s));
    if (missing) return fail('missing_scope', { needed: missing, provided: granted.join(',') });
    try {
      const body = spec.handle({
        ws: this.ws,
        args,
        scopes: scopeSet,
        marketplace: this.marketplace,
        openSocket: this.openSocket,
      });
      return { status: 200, body: { ok: true, ...body }, headers };
    } catch (e) {
      if (e instanceof SlackApiError) return fail(e.error, e.extra);
      throw e;
    }
  }
}
