import type { PoolClient } from 'pg';
import { getRun, type SyncConfigInput } from '../../sync';
import { openTenantStore, passType, setTenantPaused, startTenant } from '../cli-support';
import { appendAudit, inTransaction, recordAudit } from '../people/db';
import { PeopleHttpError } from '../people/http/web';
import type { RunRequest } from '../queue/runs';
import { loadTenantConfig } from '../tenant-state/config';
import { saveTenantSettings } from '../tenant-state/settings';
import type { ConsoleCtx, ConsoleDeps, ConsoleRoute } from './context';
import { answerChange } from './answer';

/** The audit entry of a change made from the console: the person, their address, the tenant. */
const entry = (ctx: ConsoleCtx, action: string, details: Record<string, unknown>) => ({
  tenantId: ctx.tenant.id,
  actor: ctx.who.email,
  ip: ctx.ip,
  action,
  details,
});

/** A boolean body field: JSON true/false, or a form's "on"/"true"; absent is false. */
function flag(body: Record<string, unknown>, name: string): boolean {
  const v = body[name];
  return v === true || v === 'on' || v === 'true';
}

/** A positive whole number body field (JSON number or form text), else 400 naming it. */
function wholeNumber(body: Record<string, unknown>, name: string): number {
  const v = body[name];
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0) {
    throw new PeopleHttpError(
      400,
      'FIELD_REQUIRED',
      `The field '${name}' must be a whole number (got ${JSON.stringify(v)}).`,
    );
  }
  return n;
}

/**
 * Queues a run on the serve process's queue and writes its audit entry in the same transaction: the
 * job exists exactly when the trail says it was asked for.
 */
async function queueRun(
  deps: ConsoleDeps,
  ctx: ConsoleCtx,
  action: string,
  request: Omit<RunRequest, 'tenantId'>,
): Promise<void> {
  const queue = deps.queue;
  if (!queue) {
    throw new PeopleHttpError(
      503,
      'NO_RUN_QUEUE',
      'This process has no run queue: start the console with `tightknit-sync serve`.',
    );
  }
  const full: RunRequest = { tenantId: ctx.tenant.id, ...request };
  const jobId = await inTransaction(deps.pool, async (c: PoolClient) => {
    const id = await queue.enqueue(full, c);
    await appendAudit(c, [
      entry(ctx, action, { jobId: id, type: full.type, ...(full.retryOf ? { retryOf: full.retryOf } : {}) }),
    ]);
    return id;
  });
  const what = full.type === 'retry' ? `a retry of run ${full.retryOf}` : `a ${full.type} run`;
  await answerChange(deps, ctx, 202, `Queued ${what} (job ${jobId}); a worker takes it shortly.`, {
    queued: true,
    jobId,
    type: full.type,
  });
}

async function syncRoute(deps: ConsoleDeps, ctx: ConsoleCtx): Promise<void> {
  const type = await passType(deps.pool, ctx.tenant, flag(ctx.body, 'backfill'));
  await queueRun(deps, ctx, 'sync', { type });
}

async function retryRoute(deps: ConsoleDeps, ctx: ConsoleCtx): Promise<void> {
  const runId = wholeNumber(ctx.body, 'runId');
  // The run must be in the tenant's history before a worker is asked to retry it (RUN_NOT_FOUND otherwise).
  await getRun(openTenantStore(deps.pool, ctx.tenant), runId);
  await queueRun(deps, ctx, 'retry', { type: 'retry', retryOf: runId });
}

async function startRoute(deps: ConsoleDeps, ctx: ConsoleCtx): Promise<void> {
  const { config } = await loadTenantConfig(deps.pool, ctx.tenant);
  const r = await startTenant(deps.pool, ctx.tenant, config.intervalMinutes);
  await recordAudit(
    deps.pool,
    entry(ctx, 'start', { intervalMinutes: r.schedule.intervalMinutes, firstRun: r.firstRun }),
  );
  const paused = ctx.tenant.status === 'paused';
  await answerChange(
    deps,
    ctx,
    200,
    `Scheduled every ${r.schedule.intervalMinutes} minute(s); the first run (${r.firstRun}) is due now.${paused ? ' The tenant is paused: resume it for runs to start.' : ''}`,
    { ...r, paused },
  );
}

function pauseRoute(paused: boolean) {
  return async (deps: ConsoleDeps, ctx: ConsoleCtx): Promise<void> => {
    const reason = typeof ctx.body.reason === 'string' && ctx.body.reason.trim() ? ctx.body.reason.trim() : undefined;
    const r = await setTenantPaused(deps.pool, ctx.tenant, paused, reason);
    await recordAudit(
      deps.pool,
      entry(ctx, paused ? 'pause' : 'resume', { changed: r.changed, ...(reason ? { reason } : {}) }),
    );
    const notice = paused
      ? r.changed
        ? 'Scheduled syncs paused (a running pass finishes).'
        : 'Already paused.'
      : r.changed
        ? 'Scheduled syncs resumed.'
        : 'Not paused.';
    await answerChange(deps, ctx, 200, notice, r);
  };
}

/** The form's fields as configuration changes: only what the page offers, only what was sent. */
function formChanges(body: Record<string, unknown>): SyncConfigInput {
  const changes: SyncConfigInput = {};
  if (typeof body.intervalMinutes === 'string' && body.intervalMinutes.trim() !== '') {
    changes.intervalMinutes = wholeNumber(body, 'intervalMinutes');
  }
  // A checkbox sends nothing when unticked: the form says which boxes it shows.
  for (const box of ['createContacts', 'matchLeads', 'activityMetadata'] as const) {
    if (body[`has_${box}`] === '1') changes[box] = flag(body, box);
  }
  return changes;
}

async function configureRoute(deps: ConsoleDeps, ctx: ConsoleCtx): Promise<void> {
  const version = wholeNumber(ctx.body, 'version');
  let changes: SyncConfigInput;
  if (ctx.html) changes = formChanges(ctx.body);
  else {
    const c = ctx.body.changes;
    if (!c || typeof c !== 'object' || Array.isArray(c)) {
      throw new PeopleHttpError(
        400,
        'FIELD_REQUIRED',
        'The field \'changes\' must be an object of options (e.g. {"intervalMinutes": 10}).',
      );
    }
    changes = c;
  }
  const saved = await saveTenantSettings(deps.pool, ctx.tenant, changes, version);
  await recordAudit(deps.pool, entry(ctx, 'configure', { version: saved.version, changes: saved.changed }));
  const fields = Object.keys(saved.changed);
  await answerChange(
    deps,
    ctx,
    200,
    fields.length ? `Configuration saved as version ${saved.version}: ${fields.join(', ')}.` : 'Nothing changed.',
    { version: saved.version, config: saved.config, changed: saved.changed },
  );
}

/** The console's state-changing routes: each guarded by its operation, each written to the audit trail. */
export const CHANGE_ROUTES: ConsoleRoute[] = [
  { method: 'POST', path: '/api/tenants/:name/sync', op: 'sync', run: syncRoute },
  { method: 'POST', path: '/api/tenants/:name/retry', op: 'retry', run: retryRoute },
  {
    method: 'POST',
    path: '/api/tenants/:name/rematch',
    op: 'rematch',
    run: (deps, ctx) => queueRun(deps, ctx, 'rematch', { type: 'rematch' }),
  },
  { method: 'POST', path: '/api/tenants/:name/start', op: 'start', run: startRoute },
  { method: 'POST', path: '/api/tenants/:name/pause', op: 'pause', run: pauseRoute(true) },
  { method: 'POST', path: '/api/tenants/:name/resume', op: 'resume', run: pauseRoute(false) },
  { method: 'PUT', path: '/api/tenants/:name/configuration', op: 'configure', run: configureRoute },
  // The page's form (a form cannot PUT): the same save.
  { method: 'POST', path: '/tenants/:name/configuration', op: 'configure', run: configureRoute },
];
