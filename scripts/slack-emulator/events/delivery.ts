import { setTimeout as sleep } from 'node:timers/promises';
import { DeliveryAttempt, DeliveryRecord } from '../types';
import { EventEnvelope } from './envelope';
import { signedHeaders } from './signing';
import { SocketModeServer } from './socket-mode';

/**
 * Slack's retry policy for the Events API: a request not answered 2xx within 3 seconds is retried
 * up to 3 times — immediately, after 1 minute, after 5 minutes — with `X-Slack-Retry-Num` and
 * `X-Slack-Retry-Reason`; a receiver answering `X-Slack-No-Retry: 1` stops the retries.
 */
const RETRY_DELAYS_MS = [0, 60_000, 300_000];
const ACK_TIMEOUT_MS = 3_000;
/** The scaled timeout never drops below this: a local receiver under test load needs some time. */
const MIN_TIMEOUT_MS = 500;

interface AttemptResult {
  ok: boolean;
  status?: number;
  reason?: string;
  noRetry?: boolean;
}

/**
 * Delivers envelopes over Socket Mode when a client is connected (as Slack does for an app in
 * Socket Mode), otherwise as signed HTTP POSTs to the events URL. `deliver` resolves after the
 * first attempt; retries run in the background and are visible in `records()`.
 */
export class EventDelivery {
  eventsUrl: string | null = null;
  private readonly log: DeliveryRecord[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stop = new AbortController();

  constructor(
    private readonly signingSecret: string,
    private readonly timeScale: number,
    private readonly socket: SocketModeServer,
  ) {}

  private get timeoutMs(): number {
    return Math.max(MIN_TIMEOUT_MS, ACK_TIMEOUT_MS / this.timeScale);
  }

  /** Whether an event posted now would go anywhere. */
  active(): boolean {
    return this.socket.count() > 0 || this.eventsUrl !== null;
  }

  records(): DeliveryRecord[] {
    return this.log.map((r) => ({ ...r, attempts: [...r.attempts] }));
  }

  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Delivers one envelope; false when there is nowhere to deliver it. */
  async deliver(env: EventEnvelope): Promise<boolean> {
    const transport = this.socket.count() > 0 ? 'socket' : this.eventsUrl ? 'http' : undefined;
    if (!transport) return false;
    const record: DeliveryRecord = {
      eventId: env.event_id,
      type: env.event.type,
      transport,
      attempts: [],
      outcome: 'pending',
    };
    this.log.push(record);
    const url = this.eventsUrl;
    const attempt = (retryNum: number, reason: string): Promise<AttemptResult> =>
      transport === 'socket'
        ? this.socket.send(env, retryNum, reason, this.timeoutMs)
        : this.post(url as string, env, retryNum, reason);
    const first = await this.run(record, attempt, 0, '');
    if (first.ok || first.noRetry) {
      record.outcome = first.ok ? 'delivered' : 'failed';
      return true;
    }
    const retries = this.retry(record, attempt, first.reason ?? 'unknown_error');
    this.inFlight.add(retries);
    void retries.finally(() => this.inFlight.delete(retries));
    return true;
  }

  private async retry(
    record: DeliveryRecord,
    attempt: (n: number, reason: string) => Promise<AttemptResult>,
    firstReason: string,
  ): Promise<void> {
    let reason = firstReason;
    for (let n = 1; n <= RETRY_DELAYS_MS.length; n++) {
      try {
        await sleep(RETRY_DELAYS_MS[n - 1] / this.timeScale, undefined, { signal: this.stop.signal });
      } catch {
        record.outcome = 'failed';
        return;
      }
      const r = await this.run(record, attempt, n, reason);
      if (r.ok) {
        record.outcome = 'delivered';
        return;
      }
      if (r.noRetry) break;
      reason = r.reason ?? 'unknown_error';
    }
    record.outcome = 'failed';
  }

  private async run(
    record: DeliveryRecord,
    attempt: (n: number, reason: string) => Promise<AttemptResult>,
    retryNum: number,
    reason: string,
  ): Promise<AttemptResult> {
    const r = await attempt(retryNum, reason);
    const entry: DeliveryAttempt = { retryNum, at: new Date().toISOString(), ok: r.ok };
    if (r.status !== undefined) entry.status = r.status;
    if (r.reason) entry.reason = r.reason;
    record.attempts.push(entry);
    return r;
  }

  /** One signed POST, as Slack sends it (JSON body, signature over the exact bytes). */
  private async post(url: string, env: EventEnvelope, retryNum: number, reason: string): Promise<AttemptResult> {
    const body = JSON.stringify(env);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...signedHeaders(this.signingSecret, body),
    };
    if (retryNum > 0) {
      headers['X-Slack-Retry-Num'] = String(retryNum);
      headers['X-Slack-Retry-Reason'] = reason;
    }
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.stop.signal]),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
      return {
        ok: false,
        status: res.status,
        reason: 'http_error',
        noRetry: res.headers.get('x-slack-no-retry') === '1',
      };
    } catch (e) {
      const name = (e as Error).name;
      return {
        ok: false,
        reason: name === 'TimeoutError' || name === 'AbortError' ? 'http_timeout' : 'connection_failed',
      };
    }
  }

  /** Cancels pending retries. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.settled();
  }
}
