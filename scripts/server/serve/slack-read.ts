import type { Logger } from 'pino';
import type { SyncConfig } from '../../sync/config';
import { slackClient } from '../../sync/connection/slack-credentials';
import { TightknitError } from '../../sync/errors';
import { webApiReadPlan } from '../../sync/ops/live-source';
import { readSlackWorkspace, SlackReadAborted, type SlackReadSummary } from '../../sync/sources/slack/web-api';
import type { AsyncStore } from '../../sync/store';
import type { TenantRef } from '../tenant-state/tenant-ref';
import { reconnectSlack } from './slack-inbox';
import type { SlackInstall } from './slack-install';

/**
 * Longest a pass reads the Web API. A first import that does not fit stops there (every page read is
 * stored, each channel's progress with it) and goes on in the next pass, so one large workspace does
 * not hold a worker for hours; the push in between sends what was read so far.
 */
const READ_BUDGET_MS = 5 * 60_000;

/**
 * Messages written per transaction (the reader's default is 5,000): a read cut at its budget keeps every
 * batch it committed, and the next pass resumes the channel from there.
 */
const BATCH_MESSAGES = 1_000;

/**
 * A failed request is retried twice, not for half an hour (the embedded reader's policy). Rate-limited
 * calls come back to the reader, which waits Slack's Retry-After itself: that wait ends with the budget.
 */
const CLIENT_OPTIONS = { rejectRateLimitedCalls: true, retryConfig: { retries: 2 } } as const;

export interface TenantReadOptions {
  /** The tenant's Slack connection, loaded only when a read is due. */
  install: SlackInstall;
  tenant: TenantRef;
  store: AsyncStore;
  config: SyncConfig;
  log: Logger;
  /** The pass's signal (a drain): a read it stops rethrows, so the job is handed back. */
  signal: AbortSignal;
  /** Another Slack Web API base (tests: the Slack emulator); default TIGHTKNIT_SLACK_API_URL, else Slack. */
  slackApiUrl?: string;
  /** Default READ_BUDGET_MS. */
  readBudgetMs?: number;
  now?: Date;
}

/** What a pass's Web API read did: nothing due, read (maybe cut short by the budget), or failed. */
export type TenantReadOutcome =
  | { status: 'not-connected' | 'not-due' | 'failed' }
  | { status: 'read'; summary: SlackReadSummary; firstImport: boolean }
  | { status: 'incomplete'; firstImport: boolean };

/**
 * Reads the tenant's Slack workspace through the Web API with the embedded live source's reader and rule
 * (`webApiReadPlan`): every channel until a first import completed, then the active channels once an
 * hour; in between, `/slack/events` keeps the store current. The state (`firstImportDoneAt`,
 * `lastPollAt`) and the channels' watermarks are the tenant's store rows, so any worker continues where
 * another stopped. A refused bot token stops the pass (exit 3) with the fix; any other Slack failure is
 * logged and noted in the store (`lastError`), and the push goes on with what the store has.
 */
export async function readTenantWorkspace(opts: TenantReadOptions): Promise<TenantReadOutcome> {
  const { store, log, tenant } = opts;
  const now = opts.now ?? new Date();
  const state = store.sourceState;
  const { firstImportDone, reconcile } = await webApiReadPlan(state, now);
  if (firstImportDone && !reconcile) return { status: 'not-due' };
  const install = await opts.install();
  if (!install) return { status: 'not-connected' };
  const client = slackClient(install.secrets, { ...CLIENT_OPTIONS, slackApiUrl: opts.slackApiUrl });
  const signal = AbortSignal.any([opts.signal, AbortSignal.timeout(opts.readBudgetMs ?? READ_BUDGET_MS)]);
  const firstImport = !firstImportDone;
  try {
    const summary = await readSlackWorkspace({
      store,
      client,
      includePrivate: opts.config.slack.includePrivate,
      now,
      signal,
      channels: firstImport ? 'all' : 'active',
      engagement: opts.config.engagement,
      teamId: install.info.teamId,
      batchMessages: BATCH_MESSAGES,
    });
    const at = new Date().toISOString();
    await state.set({
      lastCatchUpAt: at,
      lastError: null,
      lastPollAt: now.toISOString(),
      ...(firstImport ? { firstImportDoneAt: at } : {}),
    });
    const { channels, members, activities, calls, durationMs } = summary;
    log.info({ firstImport, channels, members, activities, calls, durationMs }, 'slack workspace read');
    return { status: 'read', summary, firstImport };
  } catch (err) {
    if (err instanceof SlackReadAborted) {
      if (opts.signal.aborted) throw err;
      log.info({ firstImport }, 'slack workspace read cut at its budget; the next pass continues it');
      return { status: 'incomplete', firstImport };
    }
    if (err instanceof TightknitError && err.exitCode === 3) throw reconnectSlack(err, tenant);
    const code = err instanceof TightknitError ? err.code : 'UNEXPECTED';
    const message = err instanceof Error ? err.message : String(err);
    await state.set({ lastError: JSON.stringify({ at: new Date().toISOString(), code, message }) });
    log.warn({ err: { code, message } }, 'slack workspace not read; the push goes on');
    return { status: 'failed' };
  }
}
