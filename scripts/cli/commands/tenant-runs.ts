import type { Command } from 'commander';
import { getRun, runExitCode, type RunSummary, UsageError } from '../../sync';
import { GlobalOptions, printResult } from '../output';
import { cliSupport, serverModule, withStateLocation, type StateLocation } from '../server-mode';
import { formatRun, stopOnSignals } from './run-output';

type Tenanted = Extract<StateLocation, { kind: 'tenant' }>;

/** Whether the command was given a server-mode database (then it acts on a tenant through the workers). */
export function inServerMode(cmd: Command): boolean {
  return Boolean(cmd.optsWithGlobals<{ database?: string }>().database);
}

/** Runs `fn` on the tenant the options name (the caller checked inServerMode). */
function withTenantLocation(cmd: Command, fn: (where: Tenanted) => Promise<void>): Promise<void> {
  return withStateLocation(cmd, async (where) => {
    if (where.kind === 'tenant') await fn(where);
  });
}

/** `start --tenant`: the tenant's schedule on at its interval; the workers run it (a backfill first if none finished). */
export function startTenantSchedule(cmd: Command, opts: GlobalOptions): Promise<void> {
  return withTenantLocation(cmd, async ({ pool, tenant }) => {
    const { config } = await serverModule().loadTenantConfig(pool, tenant);
    const r = await cliSupport().startTenant(pool, tenant, config.intervalMinutes);
    await cliSupport().auditCli(pool, tenant.id, 'start', {
      intervalMinutes: r.schedule.intervalMinutes,
      firstRun: r.firstRun,
    });
    const paused = tenant.status === 'paused';
    printResult(opts, { tenant: tenant.name, ...r, paused }, () =>
      [
        `Tenant '${tenant.name}' scheduled: every ${r.schedule.intervalMinutes} minute(s); the first run (${r.firstRun}) is due now. The workers (\`serve\` or \`worker\`) run it.`,
        paused
          ? `The tenant is paused: no run starts until \`tightknit-sync resume --tenant ${tenant.name}\`.`
          : `Follow it with \`tightknit-sync history --tenant ${tenant.name}\`.`,
      ].join('\n'),
    );
  });
}

/** What a queued run asks for, beside the tenant. */
type Ask = { type: 'backfill' | 'incremental' | 'rematch' } | { type: 'retry'; retryOf: number };

/**
 * Queues one run of the tenant through pg-boss and, unless `wait` is false, waits for a worker's result
 * and prints it as the embedded command does (exit 1 when records failed). Ctrl-C stops waiting; the run
 * stays queued.
 */
export function queueTenantRun(
  cmd: Command,
  opts: GlobalOptions,
  ask: (where: Tenanted) => Promise<Ask>,
  wait = true,
): Promise<void> {
  return withTenantLocation(cmd, async (where) => {
    const { pool, tenant, database } = where;
    const request = { tenantId: tenant.id, ...(await ask(where)) };
    const jobId = await cliSupport().enqueueRun(database, request);
    const action = request.type === 'retry' || request.type === 'rematch' ? request.type : 'sync';
    await cliSupport().auditCli(pool, tenant.id, action, {
      type: request.type,
      jobId,
      ...('retryOf' in request ? { retryOf: request.retryOf } : {}),
    });
    const queued = { tenant: tenant.name, type: request.type, jobId, queued: true };
    const queuedText = `Queued a ${request.type} run of tenant '${tenant.name}' (job ${jobId}).`;
    if (!wait) {
      printResult(
        opts,
        queued,
        () => `${queuedText} The workers run it; follow it with \`tightknit-sync history --tenant ${tenant.name}\`.`,
      );
      return;
    }
    if (!opts.json && !opts.quiet)
      process.stderr.write(`${queuedText} Waiting for a worker (Ctrl-C stops waiting; the run stays queued)…\n`);
    const stop = stopOnSignals(() => undefined);
    let outcome;
    try {
      outcome = await cliSupport().waitForAttempt(pool, jobId, stop.signal);
    } finally {
      stop.dispose();
    }
    if (!outcome) {
      printResult(opts, queued, () => `Stopped waiting. ${queuedText} It stays queued.`);
      return;
    }
    if (outcome.runId === null) {
      throw new UsageError(
        'RUN_FAILED',
        `The run of tenant '${tenant.name}' failed on the worker: ${outcome.message ?? outcome.status}.`,
        {
          actions: [
            `The queue tries it again with backoff; follow it with \`tightknit-sync history --tenant ${tenant.name}\`.`,
          ],
        },
      );
    }
    const item = await getRun(cliSupport().openTenantStore(pool, tenant), outcome.runId);
    const summary: RunSummary = {
      runId: item.runId,
      type: item.type,
      status: item.status === 'Running' ? 'Stopped' : item.status,
      startedAt: item.startedAt,
      finishedAt: item.finishedAt ?? new Date().toISOString(),
      objects: item.objects,
      apiCalls: item.apiCalls,
      ...(item.message ? { message: item.message } : {}),
    };
    printResult(opts, summary, () => formatRun(summary), runExitCode(summary));
  });
}
