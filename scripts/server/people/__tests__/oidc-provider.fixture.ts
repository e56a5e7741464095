/**
 * A real OpenID provider (oidc-provider) for the tests, in a child process of its own (it ships only ES
 * modules). Prints one JSON line {issuer} and serves until its stdin closes. Argument: the relying
 * party's redirect URI. Test hooks, on the provider's own origin:
 *  - GET /interaction/:uid?email=…[&unverified=1]: signs in as that email (no email: a small form); the
 *    consent step is granted at once.
 *  - POST /__tamper?mode=aud|iss|nonce|signature|none: the ID token of the next token responses is
 *    changed and re-signed with the provider's key (or, for `signature`, with another key).
 */
import { createHash, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

const redirectUri = process.argv[2];
const CLIENT = { id: 'tightknit-sync', secret: 'a client secret for tests only' };

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const unverified = new Set<string>();
let tamper = 'none';

const b64 = (v: Buffer | string): string => Buffer.from(v).toString('base64url');

function resign(idToken: string, key: KeyObject, change: (claims: Record<string, unknown>) => void): string {
  const [header, payload] = idToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  change(claims);
  const body = `${header}.${b64(JSON.stringify(claims))}`;
  return `${body}.${b64(sign('sha256', Buffer.from(body), key))}`;
}

const CHANGES: Record<string, (c: Record<string, unknown>) => void> = {
  aud: (c) => (c.aud = 'someone-else'),
  iss: (c) => (c.iss = 'https://evil.example.com'),
  nonce: (c) => (c.nonce = createHash('sha256').update('another').digest('base64url')),
  signature: () => undefined,
};

/** Rewrites the ID token of a token response on its way out. */
function tamperTokenResponse(res: ServerResponse): void {
  const mode = tamper;
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  res.end = ((chunk?: unknown) => {
    const body = JSON.parse(String(chunk)) as { id_token?: string };
    if (body.id_token) {
      body.id_token = resign(
        body.id_token,
        mode === 'signature' ? otherKey : createPrivateKey({ key: jwk, format: 'jwk' }),
        CHANGES[mode],
      );
    }
    const text = JSON.stringify(body);
    res.setHeader('Content-Length', Buffer.byteLength(text));
    return end(text);
  }) as typeof res.end;
}

async function main(): Promise<void> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['a cookie key for tests only'] },
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({ sub: id, email: id, email_verified: !unverified.has(id) }),
    }),
  });
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      const email = url.searchParams.get('email');
      if (!email) {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end(`<!doctype html><title>Test identity provider</title><h1>Test identity provider</h1>
          <form method="get"><label>Email <input name="email" type="email"></label> <button>Sign in</button></form>`);
        return;
      }
      if (url.searchParams.get('unverified')) unverified.add(email);
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: email } },
        { mergeWithLastSubmission: false },
      );
    }
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id });
    if (details.prompt.details.missingOIDCScope) grant.addOIDCScope(details.prompt.details.missingOIDCScope.join(' '));
    if (details.prompt.details.missingOIDCClaims) grant.addOIDCClaims(details.prompt.details.missingOIDCClaims);
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId: await grant.save() } },
      { mergeWithLastSubmission: true },
    );
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/__tamper') {
      tamper = url.searchParams.get('mode') ?? 'none';
      res.writeHead(204).end();
    } else if (url.pathname.startsWith('/interaction/')) {
      interaction(req, res, url).catch((err: Error) => res.writeHead(500).end(err.message));
    } else {
      if (url.pathname === '/token' && tamper !== 'none') tamperTokenResponse(res);
      callback(req, res);
    }
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => server.close(() => process.exit(0)));
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
