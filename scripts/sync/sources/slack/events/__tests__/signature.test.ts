import { signSlackRequest, verifySlackSignature } from '../signature';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const body = Buffer.from('token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fweather');

describe('Slack request signatures (v0)', () => {
  it('signs v0:timestamp:body with HMAC-SHA256 as hex', () => {
    // Independent of our code: `printf 'v0:1531420618:body' | openssl dgst -sha256 -hmac secret`.
    const expected = 'v0=78e394d129df51c593e1d449277f576c39c361411fecc54edd326794263d3f84';
    expect(signSlackRequest('secret', 1531420618, 'body')).toBe(expected);
    expect(signSlackRequest('secret', '1531420618', Buffer.from('body'))).toBe(expected);
    expect(signSlackRequest(secret, 1531420618, body)).toMatch(/^v0=[0-9a-f]{64}$/);
  });

  it('accepts a fresh, correctly signed request', () => {
    const now = 1531420618;
    const signature = signSlackRequest(secret, now, body);
    expect(
      verifySlackSignature({
        signingSecret: secret,
        timestamp: String(now),
        signature,
        rawBody: body,
        nowSeconds: now + 299,
      }),
    ).toEqual({ ok: true });
  });

  it('rejects another secret, a changed body, a truncated signature and missing headers', () => {
    const now = 1531420618;
    const good = signSlackRequest(secret, now, body);
    const base = { signingSecret: secret, timestamp: String(now), rawBody: body, nowSeconds: now };
    expect(verifySlackSignature({ ...base, signature: signSlackRequest('other', now, body) })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifySlackSignature({ ...base, signature: good, rawBody: Buffer.from(`${body.toString()} `) })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifySlackSignature({ ...base, signature: good.slice(0, -1) })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifySlackSignature({ ...base, signature: undefined })).toEqual({ ok: false, reason: 'missing-headers' });
  });

  it('rejects timestamps more than five minutes away, and non-numeric ones', () => {
    const now = 1531420618;
    const base = { signingSecret: secret, rawBody: body, nowSeconds: now };
    const old = now - 301;
    expect(
      verifySlackSignature({ ...base, timestamp: String(old), signature: signSlackRequest(secret, old, body) }),
    ).toEqual({ ok: false, reason: 'stale-timestamp' });
    const future = now + 301;
    expect(
      verifySlackSignature({ ...base, timestamp: String(future), signature: signSlackRequest(secret, future, body) }),
    ).toEqual({ ok: false, reason: 'stale-timestamp' });
    expect(
      verifySlackSignature({ ...base, timestamp: '1e9', signature: signSlackRequest(secret, '1e9', body) }),
    ).toEqual({ ok: false, reason: 'bad-timestamp' });
  });
});
