import { RateLimitMode } from '../types';

/** Slack's Web API tiers, requests per minute per method per workspace per app (docs.slack.dev/apis/web-api/rate-limits). */
export type Tier = 1 | 2 | 3 | 4;
const PER_MINUTE: Record<Tier, number> = { 1: 1, 2: 20, 3: 50, 4: 100 };

/** Methods whose limits the May 2025 change for non-Marketplace apps lowered to 1 per minute, 15 per page. */
const MARKETPLACE_LIMITED = new Set(['conversations.history', 'conversations.replies']);
export const MARKETPLACE_PAGE_SIZE = 15;

/**
 * A sliding one-minute window per method (divided by `timeScale`). `admit` records the call and
 * answers 0, or answers the seconds to put in Retry-After: rounded up, at least 1, since the header
 * counts whole seconds.
 */
export class RateLimiter {
  private readonly calls = new Map<string, number[]>();

  constructor(
    private readonly mode: RateLimitMode,
    private readonly timeScale: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Requests per window for a method under this mode; undefined when unlimited. */
  limitFor(method: string, tier: Tier): number | undefined {
    if (this.mode === 'off') return undefined;
    if (this.mode === 'marketplace' && MARKETPLACE_LIMITED.has(method)) return 1;
    return PER_MINUTE[tier];
  }

  admit(method: string, tier: Tier): number {
    const limit = this.limitFor(method, tier);
    if (limit === undefined) return 0;
    const windowMs = 60_000 / this.timeScale;
    const now = this.now();
    const log = (this.calls.get(method) ?? []).filter((t) => t > now - windowMs);
    this.calls.set(method, log);
    if (log.length < limit) {
      log.push(now);
      return 0;
    }
    const waitMs = log[0] + windowMs - now;
    return Math.max(1, Math.ceil(waitMs / 1000));
  }
}
