import type { Logger } from 'pino';
import type { SyncConfig } from '../../sync/config';
import { slackClient } from '../../sync/connection/slack-credentials';
import { TightknitError } from '../../sync/errors';
import { applySlackEvents } from '../../sync/sources/slack/web-api';
import type { AsyncStore } from '../../sync/store';
import type { TenantRef } from '../tenant-state/tenant-ref';
import type { SlackInstall } from './slack-install';

export interface TenantInboxOptions {
  /** The tenant's Slack connection, loaded only when events are pending. */
  install: SlackInstall;
  tenant: TenantRef;
  store: AsyncStore;
  config: SyncConfig;
  log: Logger;
  /** Another Slack Web API base (tests: the Slack emulator); default TIGHTKNIT_SLACK_API_URL, else Slack. */
  slackApiUrl?: string;
  now?: Date;
}

/**
 * Slack retries a failed call a few times only: the pass must not wait half an hour on Slack (the
 * embedded reader's policy) with its org's budget taken. Events left pending are applied by the next pass.
 */
const CLIENT_OPTIONS = { rejectRateLimitedCalls: false, retryConfig: { retries: 2 } } as const;

/**
 * A bot token Slack refuses (revoked, app removed, a scope missing), with the tenant's fix: connect the
 * workspace again. Exit code 3, so the worker fails the pass for good and turns its schedule off.
 */
export function reconnectSlack(err: TightknitError, tenant: TenantRef): TightknitError {
  return new TightknitError(err.code, err.message, 3, {
    actions: [
      `Connect the workspace again: Add to Slack on tenant '${tenant.name}' in the console, or \`tightknit-sync connect-slack --tenant ${tenant.name}\`.`,
    ],
    cause: err,
  });
}

/**
 * Applies the events `/slack/events` filed in the tenant's inbox to its store, before the push, with
 * the core's applier (the embedded live source's): oldest first, each batch's writes and "applied"
 * marks committed together. Users an event names and the store lacks are looked up with the tenant's
 * bot token (users.info); with no workspace connected (the app was removed) they become placeholders.
 * A refused bot token stops the pass (exit 3) with the fix; any other Slack failure is logged and the
 * push goes on with what the store has (the events stay pending). Returns null when nothing was pending.
 */
export async function applyTenantInbox(
  opts: TenantInboxOptions,
): Promise<{ applied: number; ignored: Record<string, number> } | null> {
  const { store, tenant, log } = opts;
  if ((await store.inbox.counts()).pending === 0) return null;
  const install = await opts.install();
  const client = install
    ? slackClient(install.secrets, { ...CLIENT_OPTIONS, slackApiUrl: opts.slackApiUrl })
    : undefined;
  try {
    const result = await applySlackEvents({
      store,
      inbox: store.inbox,
      client,
      now: opts.now,
      engagement: opts.config.engagement,
    });
    log.info({ eventsApplied: result.applied, eventsIgnored: result.ignored }, 'slack inbox applied');
    return result;
  } catch (err) {
    if (err instanceof TightknitError && err.exitCode === 3) {
      // Disconnected from the console while this pass ran (it had loaded the token before): not a
      // refusal to act on. The events stay pending; the next pass applies them without a workspace.
      if (install && !(await opts.install.fresh())) {
        log.info('slack was disconnected during the pass; its inbox waits for the next one');
        return null;
      }
      throw reconnectSlack(err, tenant);
    }
    const code = err instanceof TightknitError ? err.code : 'UNEXPECTED';
    log.warn({ err: { code, message: (err as Error).message } }, 'slack inbox not applied; the push goes on');
    return null;
  }
}
