import { randomBytes } from 'node:crypto';
import type { TokenState } from '../api/dispatch';
import type { WorkspaceState } from '../state/workspace';
import { authorizePage, errorPage, type Workspace } from './page';

/**
 * Slack's OAuth v2 install ("Add to Slack") as the emulator plays it: the authorize page, where the
 * person picks a workspace and clicks Allow or Cancel (Slack would also have them sign in [EMU: no
 * sign-in]), then `oauth.v2.access`, which trades the code for the workspace's bot token. Codes are
 * single-use and expire after ten minutes; the client secret and the redirect URL are checked, as Slack
 * does. `auth.revoke` revokes a bot token; installing again afterwards issues a new one.
 */

const CODE_TTL_MS = 10 * 60_000;

/** The app's OAuth settings (Basic Information → App Credentials, OAuth & Permissions → Redirect URLs). */
export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  /** Registered redirect URLs; empty = any http://127.0.0.1 or http://localhost URL [EMU]. */
  redirectUrls: string[];
}

/** One workspace the app can be installed in: its state and its (mutable) tokens. */
export interface Installable {
  ws: WorkspaceState;
  tokens: TokenState;
}

/** An HTTP answer of the authorize page. */
export interface PageReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface PendingCode {
  teamId: string;
  redirectUri: string;
  expiresAt: number;
}

const html = (status: number, body: string): PageReply => ({
  status,
  headers: { 'Content-Type': 'text/html; charset=utf-8' },
  body,
});

function redirect(uri: string, params: Record<string, string>): PageReply {
  const target = new URL(uri);
  for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
  return { status: 302, headers: { Location: target.toString() }, body: '' };
}

/** Slack's rule: the redirect_uri equals a registered Redirect URL or is a path below one. */
function redirectAllowed(registered: string[], uri: string): boolean {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  if (registered.length === 0) return u.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(u.hostname);
  return registered.some((r) => {
    const base = new URL(r);
    if (base.origin !== u.origin) return false;
    const path = base.pathname.replace(/\/$/, '');
    return u.pathname === base.pathname || u.pathname.startsWith(`${path}/`);
  });
}

export class SlackOAuth {
  private readonly codes = new Map<string, PendingCode>();
  private issued = 0;

  constructor(
    readonly settings: OAuthSettings,
    private readonly installs: Installable[],
    private readonly botScopes: ReadonlySet<string>,
    /** Called when a reinstall issues a new bot token, so the API host routes it. */
    private readonly onNewToken: (install: Installable, previous: string) => void,
  ) {}

  /** GET shows the page; POST (the page's form) answers Allow or Cancel with a redirect. */
  authorize(method: string, params: URLSearchParams): PageReply {
    if (params.get('client_id') !== this.settings.clientId) return html(400, errorPage('invalid_client_id'));
    const redirectUri = params.get('redirect_uri') || this.settings.redirectUrls[0];
    if (!redirectUri || !redirectAllowed(this.settings.redirectUrls, redirectUri))
      return html(400, errorPage('bad_redirect_uri'));
    const scopes = (params.get('scope') ?? '').split(/[,\s]+/).filter(Boolean);
    if (scopes.length === 0 || scopes.some((s) => !this.botScopes.has(s))) return html(400, errorPage('invalid_scope'));
    const state = params.get('state');
    const withState = (p: Record<string, string>): Record<string, string> => (state ? { ...p, state } : p);
    if (method !== 'POST') {
      const workspaces: Workspace[] = this.installs.map((i) => ({ id: i.ws.team.id, name: i.ws.team.name }));
      return html(200, authorizePage(params, workspaces, scopes));
    }
    if (params.get('decision') !== 'allow') return redirect(redirectUri, withState({ error: 'access_denied' }));
    const install = this.installs.find((i) => i.ws.team.id === params.get('team'));
    if (!install) return html(400, errorPage('invalid_team'));
    const code = `${Date.now()}.${randomBytes(16).toString('hex')}`;
    this.codes.set(code, {
      teamId: install.ws.team.id,
      redirectUri: params.get('redirect_uri') ?? '',
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    return redirect(redirectUri, withState({ code }));
  }

  /** oauth.v2.access: client id and secret (HTTP Basic or form), the code, the same redirect_uri. */
  access(args: Record<string, string>, authorization: string | undefined): Record<string, unknown> {
    const fail = (error: string): Record<string, unknown> => ({ ok: false, error });
    let id = args.client_id;
    let secret = args.client_secret;
    if (authorization?.startsWith('Basic ')) {
      const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      id = decoded.slice(0, colon);
      secret = decoded.slice(colon + 1);
    }
    if (args.grant_type && args.grant_type !== 'authorization_code') return fail('invalid_grant_type');
    if (id !== this.settings.clientId) return fail('invalid_client_id');
    if (secret !== this.settings.clientSecret) return fail('bad_client_secret');
    const pending = this.codes.get(args.code ?? '');
    this.codes.delete(args.code ?? '');
    if (!pending || pending.expiresAt < Date.now()) return fail('invalid_code');
    if (pending.redirectUri && args.redirect_uri !== pending.redirectUri) return fail('bad_redirect_uri');
    const install = this.installs.find((i) => i.ws.team.id === pending.teamId) as Installable;
    if (install.tokens.botRevoked) this.reissue(install);
    const { ws, tokens } = install;
    return {
      ok: true,
      app_id: ws.bot.appId,
      authed_user: { id: ws.userCount > 0 ? ws.userAt(0).id : ws.bot.userId },
      scope: [...this.botScopes].join(','),
      token_type: 'bot',
      access_token: tokens.bot,
      bot_user_id: ws.bot.userId,
      team: { id: ws.team.id, name: ws.team.name },
      enterprise: null,
      is_enterprise_install: false,
    };
  }

  /** auth.revoke: the token stops working (`test=true` only checks it). */
  revoke(token: string | undefined, test: boolean): Record<string, unknown> {
    if (!token) return { ok: false, error: 'not_authed' };
    const install = this.installs.find((i) => i.tokens.bot === token);
    if (!install) return { ok: false, error: 'invalid_auth' };
    if (install.tokens.botRevoked) return { ok: false, error: 'token_revoked' };
    if (!test) install.tokens.botRevoked = true;
    return { ok: true, revoked: !test };
  }

  private reissue(install: Installable): void {
    const previous = install.tokens.bot;
    this.issued += 1;
    install.tokens.bot = `xoxb-emulator-${install.ws.team.id}-${this.issued}`;
    install.tokens.botRevoked = false;
    this.onNewToken(install, previous);
  }
}
