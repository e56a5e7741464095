import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { withTenant } from '../db/tenant-scope';
import { seal, unseal } from '../secrets/envelope';
import type { MasterKey } from '../secrets/master-key';
import { dataKeyFor } from '../secrets/tenant-keys';
import { ConnectRefusal, type ConnectContext } from './http';

/**
 * The `state` of a sign-in: `<payload>.<mac>`, the payload naming the tenant, the provider, a random
 * flow id and the expiry, the MAC keyed by a key derived from the master key (every serve process has
 * it, nothing else is configured). The flow's row makes it one-time: the callback marks it used in the
 * same statement that finds it, so a replayed state (or a second tab) is refused.
 */

export type Provider = 'slack' | 'salesforce';

/** Ten minutes: as long as Slack's codes live, and enough to sign in to Salesforce. */
const FLOW_TTL_MS = 10 * 60_000;

interface Payload {
  t: number;
  p: Provider;
  n: string;
  e: number;
}

/** What the callback gets back from a valid, unused, unexpired state. */
export interface FinishedFlow {
  tenantId: number;
  loginUrl: string | null;
  /** The PKCE verifier (Salesforce). */
  verifier: string | null;
}

function stateKey(master: MasterKey): Buffer {
  return Buffer.from(hkdfSync('sha256', master.key, Buffer.alloc(0), 'tightknit oauth state v1', 32));
}

const mac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest();

function sessionHash(ctx: ConnectContext, req: IncomingMessage): string | null {
  const session = ctx.sessionOf?.(req);
  return session ? mac(stateKey(ctx.keys.current), `session:${session}`).toString('base64url') : null;
}

const verifierAad = (tenantId: number, flowId: string): string =>
  `tightknit pkce verifier ${flowId} of tenant ${tenantId}`;

/** Records a new sign-in of `tenantId` and returns its state. */
export async function startFlow(
  ctx: ConnectContext,
  req: IncomingMessage,
  tenantId: number,
  provider: Provider,
  extra: { loginUrl?: string; verifier?: string } = {},
): Promise<string> {
  const id = randomBytes(18).toString('base64url');
  const expiresAt = Date.now() + FLOW_TTL_MS;
  const sealed = extra.verifier
    ? seal(await dataKeyFor(ctx.pool, tenantId, ctx.keys), Buffer.from(extra.verifier), verifierAad(tenantId, id))
    : undefined;
  await withTenant(ctx.pool, tenantId, async (c) => {
    // Sign-ins nobody finished are of no use after a day.
    await c.query("DELETE FROM connect_flows WHERE expires_at < now() - interval '1 day'");
    await c.query(
      `INSERT INTO connect_flows (id, provider, session_hash, login_url, verifier_iv, verifier_tag, verifier, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        id,
        provider,
        sessionHash(ctx, req),
        extra.loginUrl ?? null,
        sealed?.iv ?? null,
        sealed?.tag ?? null,
        sealed?.data ?? null,
        new Date(expiresAt),
      ],
    );
  });
  const payload = Buffer.from(JSON.stringify({ t: tenantId, p: provider, n: id, e: expiresAt } satisfies Payload));
  const text = payload.toString('base64url');
  return `${text}.${mac(stateKey(ctx.keys.current), text).toString('base64url')}`;
}

const refused = (why: string): ConnectRefusal =>
  new ConnectRefusal(
    400,
    'Sign-in not accepted',
    `${why} Nothing was connected: start again from the console (a sign-in link works once, for ten minutes, in the browser session that started it).`,
  );

/** The payload of a state whose MAC holds under the current (or, mid-rotation, the previous) master key. */
function readState(ctx: ConnectContext, state: string): Payload | undefined {
  const [text, given] = state.split('.');
  if (!text || !given) return undefined;
  const ok = [ctx.keys.current, ctx.keys.previous].some((m) => {
    if (!m) return false;
    const expected = mac(stateKey(m), text);
    const got = Buffer.from(given, 'base64url');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
  if (!ok) return undefined;
  try {
    const p = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Payload;
    return Number.isSafeInteger(p.t) && typeof p.n === 'string' && typeof p.e === 'number' ? p : undefined;
  } catch {
    return undefined;
  }
}

/** Checks and spends a state; a ConnectRefusal (400) when it is forged, for another provider, spent or expired. */
export async function finishFlow(
  ctx: ConnectContext,
  req: IncomingMessage,
  state: string | null,
  provider: Provider,
): Promise<FinishedFlow> {
  const payload = state ? readState(ctx, state) : undefined;
  if (!payload || payload.p !== provider) {
    throw refused('This answer does not carry a sign-in this server started (its state is missing or was altered).');
  }
  if (payload.e < Date.now()) throw refused('This sign-in expired.');
  const row = await withTenant(ctx.pool, payload.t, async (c) => {
    const { rows } = await c.query<{
      session_hash: string | null;
      login_url: string | null;
      verifier_iv: Buffer | null;
      verifier_tag: Buffer | null;
      verifier: Buffer | null;
    }>(
      `UPDATE connect_flows SET used_at = now()
       WHERE id = $1 AND provider = $2 AND used_at IS NULL AND expires_at > now()
       RETURNING session_hash, login_url, verifier_iv, verifier_tag, verifier`,
      [payload.n, provider],
    );
    return rows[0];
  });
  if (!row) throw refused('This sign-in was finished already, or it expired.');
  if (row.session_hash !== null && row.session_hash !== sessionHash(ctx, req)) {
    throw refused('This sign-in was started in another browser session.');
  }
  let verifier: string | null = null;
  if (row.verifier && row.verifier_iv && row.verifier_tag) {
    const key = await dataKeyFor(ctx.pool, payload.t, ctx.keys);
    const plain = unseal(
      key,
      { iv: row.verifier_iv, tag: row.verifier_tag, data: row.verifier },
      verifierAad(payload.t, payload.n),
    );
    if (!plain) throw refused('The sign-in record does not open with the tenant’s key.');
    verifier = plain.toString('utf8');
  }
  return { tenantId: payload.t, loginUrl: row.login_url, verifier };
}
