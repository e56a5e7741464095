import { createHmac } from 'node:crypto';

/**
 * Slack's request signature (docs.slack.dev "Verifying requests from Slack"):
 * `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed with the app's signing secret.
 */
function sign(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export function signedHeaders(secret: string, rawBody: string, nowMs = Date.now()): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': sign(secret, timestamp, rawBody),
  };
}
