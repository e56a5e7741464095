import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, type WebClient, type WebClientOptions } from '@slack/web-api';
import { TightknitError } from '../../../errors';
import { translateSlackError } from './errors';

/**
 * How the WebClient given to the reader should be built: rate-limited calls wait for Slack's
 * Retry-After and retry (not rejected), and failed requests retry with backoff for about 30 minutes.
 */
export const SLACK_CLIENT_OPTIONS: Pick<WebClientOptions, 'rejectRateLimitedCalls' | 'retryConfig'> = {
  rejectRateLimitedCalls: false,
  retryConfig: { retries: 10, factor: 1.96821, randomize: true },
};

/** A Slack answer as far as the reader trusts it: every field is checked before use. */
export type SlackResult = Record<string, unknown>;

/** Waits taken when a client that rejects rate-limited calls hands the 429 back to us. */
const MAX_OWN_RATE_LIMIT_WAITS = 20;

/** A stop asked through the AbortSignal; what was committed stays, the next read resumes. */
export class SlackReadAborted extends TightknitError {
  constructor() {
    super('SLACK_READ_ABORTED', 'The Slack read was stopped; every page already stored stays stored.', 1, {
      actions: ['Run the read again: it resumes from the stored watermarks.'],
    });
  }
}

/** The reader's one way to Slack: counts calls, honours the stop signal, turns failures into our errors. */
export class SlackApi {
  calls = 0;
  readonly callsByMethod: Record<string, number> = {};

  constructor(
    private readonly client: WebClient,
    private readonly signal?: AbortSignal,
  ) {}

  checkAborted(): void {
    if (this.signal?.aborted) throw new SlackReadAborted();
  }

  async call(method: string, args: Record<string, unknown>, channel?: string): Promise<SlackResult> {
    for (let waits = 0; ; waits++) {
      this.checkAborted();
      this.calls += 1;
      this.callsByMethod[method] = (this.callsByMethod[method] ?? 0) + 1;
      try {
        return (await this.client.apiCall(method, args)) as unknown as SlackResult;
      } catch (err) {
        const retryAfter = (err as { code?: unknown; retryAfter?: unknown }).retryAfter;
        const rateLimited = (err as { code?: unknown }).code === ErrorCode.RateLimitedError;
        if (rateLimited && typeof retryAfter === 'number' && waits < MAX_OWN_RATE_LIMIT_WAITS) {
          await sleep(retryAfter * 1000, undefined, { signal: this.signal }).catch(() => undefined);
          continue;
        }
        throw translateSlackError(err, method, channel);
      }
    }
  }

  /** Cursor pagination, one page at a time (a caller stores each page before asking for the next). */
  async *pages(method: string, args: Record<string, unknown>, channel?: string): AsyncGenerator<SlackResult> {
    let cursor: string | undefined;
    do {
      const page = await this.call(method, cursor ? { ...args, cursor } : args, channel);
      yield page;
      cursor = nextCursor(page);
    } while (cursor);
  }
}

function nextCursor(page: SlackResult): string | undefined {
  const meta = page.response_metadata as { next_cursor?: unknown } | undefined;
  return typeof meta?.next_cursor === 'string' && meta.next_cursor !== '' ? meta.next_cursor : undefined;
}

export function list(page: SlackResult, key: string): unknown[] {
  const v = page[key];
  return Array.isArray(v) ? v : [];
}
