import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OrgRefusedError, TightknitError, UsageError } from '../errors';
import { oauthError } from './oauth-errors';
import { createPkcePair, PkcePair, randomState } from './pkce';
import { probeLoginUrl, requestToken } from './token-endpoint';
import type { ConnectProgress, TokenResponse } from './types';

const DEFAULT_CALLBACK_URL = 'http://localhost:1717/OauthRedirect';

export interface WebLoginOptions {
  loginUrl: string;
  clientId: string;
  /** Only when the app requires a secret for the web server flow (PKCE apps usually do not). */
  clientSecret?: string;
  /** Must be registered on the app; the local server listens on 127.0.0.1 at its port and path. Port 0 = any free port. */
  callbackUrl?: string;
  /** Opens the authorize URL (the CLI starts the browser; tests drive the login form themselves). */
  openUrl: (url: string) => void | Promise<void>;
  onProgress?: ConnectProgress;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Tests only: a fixed (possibly mismatched) PKCE pair. */
  pkce?: PkcePair;
}

const PAGE = (title: string, body: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>${title}</h1><p>${body}</p></body></html>`;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

type Settle = { resolve: (code: string) => void; reject: (err: unknown) => void };

/** The callback URL asked for, which must be a loopback http URL (the callback server listens on 127.0.0.1). */
function loopbackCallbackUrl(callbackUrl: string | undefined): URL {
  const requested = new URL(callbackUrl ?? DEFAULT_CALLBACK_URL);
  if (requested.protocol !== 'http:' || !['localhost', '127.0.0.1'].includes(requested.hostname)) {
    throw new UsageError(
      'INVALID_CALLBACK_URL',
      `The callback URL ${requested.href} must be http://localhost or http://127.0.0.1.`,
      {
        actions: [
          'Pass --callback-url http://localhost:1717/OauthRedirect (or another loopback URL registered on the app).',
        ],
      },
    );
  }
  return requested;
}

/** Answers the browser's return to the callback URL and settles the sign-in with its code or its error. */
function callbackHandler(
  requested: URL,
  state: string,
  settle: Settle,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', requested.origin);
    if (url.pathname !== requested.pathname) {
      res.writeHead(404).end();
      return;
    }
    const reply = (status: number, title: string, body: string): void => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE(title, body));
    };
    const error = url.searchParams.get('error');
    if (url.searchParams.get('state') !== state) {
      reply(
        400,
        'Sign-in not accepted',
        'This answer does not belong to the sign-in started by tightknit-sync. Close this tab.',
      );
      settle.reject(
        new OrgRefusedError(
          'OAUTH_STATE_MISMATCH',
          'The sign-in answer did not carry the state this command sent, so it was refused.',
          {
            actions: [
              'Run `tightknit-sync connect` again and finish the sign-in in the tab it opens.',
              'If it happens again, another program may be sending requests to the callback port.',
            ],
          },
        ),
      );
      return;
    }
    if (error) {
      const description = url.searchParams.get('error_description') ?? '';
      reply(
        400,
        'Sign-in failed',
        `${escapeHtml(error)}: ${escapeHtml(description)}. Return to the terminal for the fix.`,
      );
      settle.reject(oauthError('authorize', error, description));
      return;
    }
    const code = url.searchParams.get('code');
    if (!code) {
      reply(400, 'Sign-in failed', 'No authorization code was returned. Return to the terminal.');
      settle.reject(oauthError('authorize', 'invalid_request', 'no authorization code in the callback'));
      return;
    }
    reply(200, 'Connected', 'Tightknit is authorized. You can close this tab and return to the terminal.');
    settle.resolve(code);
  };
}

/** Listens on 127.0.0.1 at the callback URL's port; a busy port is a usage error naming the fix. */
async function listenOnLoopback(server: Server, requested: URL): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new UsageError(
          'CALLBACK_PORT_BUSY',
          `Cannot listen on 127.0.0.1:${requested.port || 80} for the sign-in callback (${err.code ?? err.message}).`,
          {
            actions: [
              'Close the program using that port, or pass --callback-url with another registered loopback URL.',
            ],
            cause: err,
          },
        ),
      ),
    );
    server.listen(Number(requested.port || 80), '127.0.0.1', () => resolve());
  });
}

/** The sign-in was not finished in time: what usually went wrong in the browser, and the fix. */
function signInTimedOut(): TightknitError {
  return new TightknitError(
    'OAUTH_TIMEOUT',
    'The sign-in was not completed in time: no answer reached the callback.',
    3,
    {
      actions: [
        'Run `tightknit-sync connect` again and finish the sign-in in the browser.',
        'If Salesforce said "API-only users cannot log in", the user has the Salesforce Integration license or the API Only User permission: sign in as a user with a UI-capable license, or connect with --client-credentials or --jwt.',
        'If the page showed an error about the client or redirect URI, check --client-id and that --callback-url is registered on the app.',
      ],
    },
  );
}

/**
 * OAuth 2.0 web server flow with PKCE (S256) through the Tightknit Salesforce External Client App:
 * a one-shot callback server on 127.0.0.1, the state parameter checked, the code exchanged with
 * its verifier. Resolves with the token response; never logs a token.
 */
export async function webServerLogin(opts: WebLoginOptions): Promise<TokenResponse> {
  await probeLoginUrl(opts.loginUrl, opts.clientId, opts.signal);
  const requested = loopbackCallbackUrl(opts.callbackUrl);
  const pkce = opts.pkce ?? createPkcePair();
  const state = randomState();

  let settle!: Settle;
  const codePromise = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // The callback can fail before anyone awaits the code (the browser is still being driven).
  codePromise.catch(() => undefined);

  const server = createServer(callbackHandler(requested, state, settle));

  await listenOnLoopback(server, requested);
  const port = (server.address() as AddressInfo).port;
  const redirectUri =
    requested.port === '0' ? `http://${requested.hostname}:${port}${requested.pathname}` : requested.href;

  const timer = setTimeout(() => settle.reject(signInTimedOut()), opts.timeoutMs ?? 5 * 60_000);
  const onAbort = (): void => settle.reject(new UsageError('OAUTH_CANCELLED', 'The sign-in was cancelled.'));
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    const authorize = new URL(`${opts.loginUrl}/services/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: opts.clientId,
      redirect_uri: redirectUri,
      scope: 'api refresh_token openid',
      state,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      prompt: 'login',
    }).toString();
    opts.onProgress?.(
      `Sign in to Salesforce in your browser as the integration user. If no browser opened, visit:\n  ${authorize.href}`,
    );
    await opts.openUrl(authorize.href);
    const code = await codePromise;
    opts.onProgress?.('Authorization received; exchanging the code for tokens.');
    return await requestToken(
      opts.loginUrl,
      'code-exchange',
      {
        grant_type: 'authorization_code',
        code,
        client_id: opts.clientId,
        redirect_uri: redirectUri,
        code_verifier: pkce.verifier,
        ...(opts.clientSecret ? { client_secret: opts.clientSecret } : {}),
      },
      opts.signal,
    );
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
