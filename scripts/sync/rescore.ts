import type { SyncConfig } from './config';
import type { AsyncStore } from './store';

export interface RescoreOptions {
  store: AsyncStore;
  config: Pick<SyncConfig, 'engagement'>;
  /** Scores are computed as of this day (default: now). */
  now?: Date;
}

export interface RescoreResult {
  /** Members whose rounded score, level, count or last activity changed (their seq moved). */
  changed: number;
  at: string;
}

/**
 * Recomputes every member's decayed engagement score and level (scores decay daily, so a daily
 * rescore keeps the org current without new activity). Only changed members are queued for the push.
 */
export async function rescore(options: RescoreOptions): Promise<RescoreResult> {
  const now = options.now ?? new Date();
  const { changed } = await options.store.rescore(now, options.config.engagement);
  return { changed, at: now.toISOString() };
}
