import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack rejects nothing older, and neither do we: a captured request cannot be replayed later. */
const MAX_REQUEST_AGE_SECONDS = 5 * 60;

export type SignatureVerdict =
  { ok: true } | { ok: false; reason: 'missing-headers' | 'bad-timestamp' | 'stale-timestamp' | 'bad-signature' };

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed with the signing secret. */
export function signSlackRequest(signingSecret: string, timestamp: number | string, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', signingSecret);
  mac.update(`v0:${timestamp}:`);
  mac.update(rawBody);
  return `v0=${mac.digest('hex')}`;
}

/**
 * Verifies X-Slack-Signature and X-Slack-Request-Timestamp against the raw request body. The timestamp
 * must be within five minutes of `nowSeconds` either way; the signatures are compared in constant time.
 */
export function verifySlackSignature(opts: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowSeconds?: number;
}): SignatureVerdict {
  const { timestamp, signature } = opts;
  if (!timestamp || !signature) return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad-timestamp' };
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > MAX_REQUEST_AGE_SECONDS) return { ok: false, reason: 'stale-timestamp' };
  const expected = Buffer.from(signSlackRequest(opts.signingSecret, timestamp, opts.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch reveals nothing about the secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad-signature' };
  return { ok: true };
}
