import type { Pool } from 'pg';
import { apiVersion } from '../../sync/connection/api-version';
import type { CredentialSource } from '../../sync/connection/credential-store';
import { openConnection } from '../../sync/connection/open';
import { UsageError } from '../../sync/errors';
import { hasBackfilled, withRenewalCheck } from '../../sync/ops/run';
import { retryRun, runSync, type BulkJobHook, type PushTuning, type RunSummary } from '../../sync/push';
import type { SalesforceClient } from '../../sync/salesforce/client';
import { RequestLimitError } from '../../sync/salesforce/errors';
import type { AsyncStore } from '../../sync/store';
import type { ApiBudget, OrgLimits } from '../budget/api-budget';
import { withBulkLock } from '../budget/bulk-lock';
import type { MasterKeys } from '../secrets/master-key';
import { PgStore } from '../store';
import { loadTenantConfig } from '../tenant-state/config';
import { tenantCredentials } from '../tenant-state/credentials';
import type { TenantRef } from '../tenant-state/tenant-ref';
import type { TenantPassInput, TenantPassResult } from './runner';
import { passRequests } from './pass-requests';
import { applyTenantInbox } from './slack-inbox';
import { lazySlackInstall, type SlackCredentialsLoader } from './slack-install';
import { readTenantWorkspace } from './slack-read';

/** What the production pass needs beyond the worker's input. */
export interface TenantPassDeps {
  keys: MasterKeys;
  /** The External Client App's consumer secret, sent with renewals when the app requires it. */
  clientSecret?: string;
  /** The org's shared API budget; undefined: the pass takes nothing from it. */
  budget?: ApiBudget;
  /** API requests a small pass takes from its org's budget before it starts (a large one takes more: pass-requests.ts). */
  passRequests: number;
  tuning?: Partial<PushTuning>;
  /** The Slack Web API base for reads and user look-ups (tests: the Slack emulator); default from the environment. */
  slackApiUrl?: string;
  /** Loads the tenant's Slack connection (default: from its sealed secrets); tests count the loads. */
  loadSlackCredentials?: SlackCredentialsLoader;
}

/**
 * The tenant's stored credentials, with the app's consumer secret added at load time: the secret is the
 * operator's (one app for every org), so a rotated secret needs no tenant to connect again.
 */
export function credentialsWithAppSecret(source: CredentialSource, clientSecret: string | undefined): CredentialSource {
  return {
    saveAccessToken: (token) => source.saveAccessToken(token),
    load: async () => {
      const creds = await source.load();
      if (creds.method === 'sf-org') {
        throw new UsageError(
          'CONNECTION_NOT_PORTABLE',
          'This tenant was connected through the sf CLI on another machine, which workers cannot use.',
          { actions: ['Connect its org again from the console (Connect Salesforce) or with `connect --tenant`.'] },
        );
      }
      if (!clientSecret || creds.secrets.clientSecret || creds.method !== 'web') return creds;
      return { ...creds, secrets: { ...creds.secrets, clientSecret } };
    },
  };
}

/** DailyApiRequests from the org's /limits; an org past its limit reads as spent, not as an error. */
async function readLimits(connection: SalesforceClient): Promise<OrgLimits> {
  try {
    const limits = await connection.request<{ DailyApiRequests?: { Max: number; Remaining: number } }>(
      `/services/data/v${apiVersion()}/limits`,
    );
    const api = limits.DailyApiRequests;
    if (!api) throw new Error('The org did not report DailyApiRequests in /limits.');
    return { max: api.Max, remaining: api.Remaining };
  } catch (err) {
    if (err instanceof RequestLimitError) return { max: 1, remaining: 0 };
    throw err;
  }
}

/** The org the tenant pushes into, as the registry has it (two tenants may share one org). */
async function orgOf(pool: Pool, tenant: TenantRef): Promise<string> {
  const { rows } = await pool.query<{ org: string | null }>('SELECT org FROM tenants WHERE id = $1', [tenant.id]);
  const org = rows[0]?.org;
  if (!org) {
    throw new UsageError('ORG_NOT_CONNECTED', `Tenant '${tenant.name}' has no Salesforce org connected.`, {
      actions: ['Connect it from the console (Connect Salesforce) or with `connect --tenant`, then sync again.'],
    });
  }
  return org;
}

/** The push a job asks for: a backfill first if none finished, a retry of `retryOf`, a rematch, or changes. */
async function push(
  input: TenantPassInput,
  store: AsyncStore,
  common: Omit<Parameters<typeof runSync>[0], 'type' | 'store'>,
): Promise<RunSummary> {
  const { request, tenant } = input;
  if (request.type === 'retry') {
    if (request.retryOf === undefined) {
      throw new UsageError('RETRY_RUN_MISSING', `A retry of tenant '${tenant.name}' was queued without its run.`, {
        actions: ['Queue it again with the run to retry (`retry <run> --tenant`).'],
      });
    }
    return retryRun({ ...common, store, runId: request.retryOf });
  }
  const backfilled = await hasBackfilled(store);
  if (request.type === 'rematch') {
    if (!backfilled) {
      throw new UsageError(
        'NOTHING_TO_REMATCH',
        'No member has been pushed to the org yet, so there is nothing to re-match.',
        {
          actions: [`Sync tenant '${tenant.name}' first: the backfill matches every member with the current rules.`],
        },
      );
    }
    return runSync({ ...common, store, type: 'rematch' });
  }
  return runSync({ ...common, store, type: request.type === 'backfill' || !backfilled ? 'backfill' : 'incremental' });
}

/**
 * Records a pass must push before its backfill counts as large (the worker's fair share): the sample
 * community is about 5,000; a community of this size takes minutes to backfill.
 */
const LARGE_BACKFILL_RECORDS = 100_000;

/**
 * Whether the job is a backfill (asked for, or an incremental run of a tenant that never finished one)
 * of at least `threshold` records in the tenant's store.
 */
export async function isLargeBackfill(
  input: Pick<TenantPassInput, 'tenant' | 'request' | 'pool'>,
  threshold = LARGE_BACKFILL_RECORDS,
): Promise<boolean> {
  const { request, tenant } = input;
  if (request.type !== 'backfill' && request.type !== 'incremental') return false;
  const store = PgStore.open(input.pool, tenant.id, tenant.name);
  if (request.type === 'incremental' && (await hasBackfilled(store))) return false;
  const counts = await store.counts();
  return counts.community + counts.member + counts.activity >= threshold;
}

/**
 * One pass of one tenant, as a worker runs it: the tenant's PgStore, configuration and org connection
 * (a renewed access token is stored back, sealed), API budget taken for the org, then the core's push
 * with the job's signal. A revoked connection surfaces as REFRESH_TOKEN_REVOKED (exit 3) with the fix.
 */
export async function runTenantPass(input: TenantPassInput, deps: TenantPassDeps): Promise<TenantPassResult> {
  const { pool, tenant, signal, log } = input;
  const store = PgStore.open(pool, tenant.id, tenant.name);
  const { config } = await loadTenantConfig(pool, tenant);
  // Live Slack activity first, as the embedded catch-up does before every push but a re-match's or a retry's:
  // the Web API when a read is due (first import, hourly reconciliation), then the events' inbox. Both
  // share one Slack connection, loaded and unsealed once, and only if one of them needs a token.
  if (input.request.type === 'incremental' || input.request.type === 'backfill') {
    const install = lazySlackInstall(pool, deps.keys, tenant, deps.loadSlackCredentials);
    const slack = { install, tenant, store, config, log, slackApiUrl: deps.slackApiUrl };
    await readTenantWorkspace({ ...slack, signal });
    await applyTenantInbox(slack);
  }
  const opened = await openConnection({
    credentials: credentialsWithAppSecret(tenantCredentials(pool, deps.keys, tenant), deps.clientSecret),
    onRenewed: () => log.info('access token renewed and stored'),
  });
  const org = await orgOf(pool, tenant);
  const summary = await withRenewalCheck(opened, async () => {
    await deps.budget?.take(org, await passRequests(store, input.request.type, deps.passRequests), {
      readLimits: () => readLimits(opened.connection),
      signal,
      onWait: (reason) => input.setWaiting(reason),
    });
    // One Bulk ingest job per object and org at a time, whichever worker and tenant sends it.
    const bulkJob: BulkJobHook = (object, run) =>
      withBulkLock(
        pool,
        { org, object, signal, onWait: () => log.info({ object }, 'waiting for the org’s Bulk lock') },
        () => run(),
      );
    const { sliceUntil } = input;
    return push(input, store, {
      connection: opened.connection,
      config,
      signal,
      tuning: deps.tuning,
      bulkJob,
      sliceUntil,
    });
  });
  log.info({ run: summary.runId, type: summary.type, apiCalls: summary.apiCalls }, 'pass recorded');
  return {
    runId: summary.runId,
    status: summary.status,
    counts: summary.objects,
    ...(summary.workLeft ? { workLeft: true } : {}),
  };
}
