import type { Server } from 'node:http';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { UsageError } from '../../sync/errors';
import { describeUrl, openPool } from '../db/connect';
import { migrate } from '../db/migrate';
import { RunQueue, type RunQueueOptions } from '../queue/runs';
import { startScheduler } from '../queue/schedule';
import { connectSettingsFromEnv, type ConnectSettings } from '../connect/settings';
import { discoverOidc, oidcSettingsFromEnv } from '../people/oidc';
import { PUBLIC_URL_ENV } from '../people/settings';
import { resolveMasterKeys, type MasterKeys } from '../secrets/master-key';
import { startOpsServer } from './http';
import type { TenantPassRunner } from './runner';
import { Worker } from './worker';
import { sliceSecondsFromEnv } from './backfill-slice';

/** How long a drain waits for running passes; the rest of the 30 s goes to handing back and closing. */
const DRAIN_WAIT_MS = 25_000;

export interface ServerProcessOptions {
  url: string;
  runner: TenantPassRunner;
  log: Logger;
  /** Worker loops in this process (`serve --workers`, `worker --concurrency`). */
  concurrency: number;
  /**
   * `serve` only: where its port listens (port 0 = any free port): /healthz, /metrics, the people layer
   * and, with connect settings (default: from the environment when TIGHTKNIT_PUBLIC_URL is set), the
   * connect routes.
   */
  ops?: { port: number; host: string; connect?: ConnectSettings; keys?: MasterKeys };
  /** Tuning tests shorten; production keeps the defaults. */
  tuning?: {
    queue?: RunQueueOptions;
    pollingIntervalSeconds?: number;
    scheduleEverySeconds?: number;
    drainWaitMs?: number;
    /** How long a large backfill a busy worker defers waits before it may be taken again. */
    deferSeconds?: number;
    /** A large backfill's time slice (default: TIGHTKNIT_BACKFILL_SLICE_SECONDS, else 120 s). */
    sliceSeconds?: number;
  };
}

export interface ServerProcess {
  /** Base URL of /healthz and /metrics, when this process serves them. */
  opsUrl?: string;
  /** The drain: no new jobs, passes aborted and awaited, unfinished jobs handed back, everything closed. */
  stop(): Promise<{ handedBack: number }>;
}

/** What `serve` mounts besides /healthz and /metrics, from the options or the environment. */
async function appOptions(ops: NonNullable<ServerProcessOptions['ops']>, log: Logger) {
  const settings = ops.connect ?? (process.env[PUBLIC_URL_ENV] ? connectSettingsFromEnv() : undefined);
  if (!settings) log.warn(`connect routes off: set ${PUBLIC_URL_ENV} (docs/server-connect.md)`);
  const oidcSettings = oidcSettingsFromEnv();
  return {
    ...(settings ? { connect: { settings, keys: ops.keys ?? resolveMasterKeys() } } : {}),
    ...(oidcSettings ? { oidc: await discoverOidc(oidcSettings) } : {}),
  };
}

async function listen(
  pool: Pool,
  ops: NonNullable<ServerProcessOptions['ops']>,
  log: Logger,
  queue: RunQueue,
): Promise<{ server: Server; url: string }> {
  const { port, host } = ops;
  const app = { ...(await appOptions(ops, log)), queue };
  try {
    return await startOpsServer(pool, port, log, host, app);
  } catch (err) {
    if ((err as { code?: string }).code === 'EADDRINUSE') {
      throw new UsageError('PORT_IN_USE', `Port ${port} is in use on ${host}: pick another with --port.`, {
        cause: err,
      });
    }
    throw err;
  }
}

/**
 * Starts a server-mode process: the schema migrated (under the migration lock), the run queue open,
 * `concurrency` worker loops, the scheduler, and for `serve` the operations endpoint.
 */
export async function startServerProcess(opts: ServerProcessOptions): Promise<ServerProcess> {
  const { log, tuning = {} } = opts;
  const pool = await openPool(opts.url, opts.concurrency + 4);
  let queue: RunQueue | undefined;
  let ops: { server: Server; url: string } | undefined;
  let worker: Worker;
  try {
    const applied = await migrate(pool);
    log.info({ database: describeUrl(opts.url).where, applied }, 'schema current');
    queue = await RunQueue.open(opts.url, tuning.queue);
    if (opts.ops) ops = await listen(pool, opts.ops, log, queue);
    worker = await Worker.start({
      pool,
      queue,
      runner: opts.runner,
      log,
      concurrency: opts.concurrency,
      pollingIntervalSeconds: tuning.pollingIntervalSeconds,
      deferSeconds: tuning.deferSeconds,
      sliceSeconds: tuning.sliceSeconds ?? sliceSecondsFromEnv(),
    });
  } catch (err) {
    // Nothing may keep the process alive after a failed start: the command must exit with its error.
    ops?.server.close();
    await queue?.stop(1000);
    await pool.end();
    throw err;
  }
  const scheduler = startScheduler(pool, queue, log, tuning.scheduleEverySeconds ?? 10);
  if (ops) log.info({ url: ops.url }, 'serving /healthz, /metrics, sign-in, the tenant console and connect');
  return {
    opsUrl: ops?.url,
    stop: async () => {
      await scheduler.stop();
      const server = ops?.server;
      const closed = server ? new Promise((r) => server.close(r)) : Promise.resolve();
      server?.closeAllConnections();
      const result = await worker.drain(tuning.drainWaitMs ?? DRAIN_WAIT_MS);
      await closed;
      await pool.end();
      log.info({ handedBack: result.handedBack }, 'stopped');
      return result;
    },
  };
}

/**
 * Runs the process until SIGTERM or SIGINT, then drains (within 30 s) and resolves. Should a pass
 * ignore its signal and keep the event loop alive after the drain, the process exits 0 shortly after.
 */
export async function runUntilSignal(proc: ServerProcess, log: Logger): Promise<{ handedBack: number }> {
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log.info({ signal }, 'stopping');
  const result = await proc.stop();
  setTimeout(() => process.exit(0), 2000).unref();
  return result;
}
