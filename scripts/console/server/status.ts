import { randomUUID } from 'node:crypto';
import {
  hasBackfilled,
  listRuns,
  loadConfig,
  openAsyncStore,
  otherLockHolder,
  readConnectionInfo,
  readScheduleState,
  storeExists,
  type SyncConfig,
} from '../../sync';
import type { ConnectionView, RunView, SchedulerView, SourceView, StatusView, StoreView } from '../contract';
import { configView } from './config';
import type { ConsoleRunner } from './runner';
import { sourceView } from './slack';

/** Another live process (a `start` in a terminal) holding the state directory. */
function heldBy(stateDir: string): SchedulerView['heldBy'] {
  const lock = otherLockHolder(stateDir);
  return lock ? { pid: lock.pid, command: lock.command } : null;
}

type StoreSnapshot = {
  store: StoreView;
  backfilled: boolean;
  waitingLinks: number;
  lastRun: RunView | null;
  source: SourceView;
};

/**
 * Counting a million activities is a table scan, and progress events ask for the status several times a
 * second: the store's part is read again only when a run started or ended in this console, or after a
 * few seconds (an `ingest` in a terminal).
 */
const STORE_VIEW_MAX_AGE_MS = 5000;
const snapshots = new WeakMap<ConsoleRunner, { epoch: number; at: number; view: StoreSnapshot }>();

async function cachedStoreView(stateDir: string, runner: ConsoleRunner, config: SyncConfig): Promise<StoreSnapshot> {
  const now = Date.now();
  const cached = snapshots.get(runner);
  if (cached && cached.epoch === runner.storeEpoch && now - cached.at < STORE_VIEW_MAX_AGE_MS) return cached.view;
  const view = await storeView(stateDir, runner, config);
  snapshots.set(runner, { epoch: runner.storeEpoch, at: now, view });
  return view;
}

async function storeView(stateDir: string, runner: ConsoleRunner, config: SyncConfig): Promise<StoreSnapshot> {
  const source = (store: Parameters<typeof sourceView>[1]): Promise<SourceView> =>
    sourceView(stateDir, store, config, runner.sourceEvents(), runner.scheduler().lastError);
  if (!storeExists(stateDir)) {
    return {
      store: { communities: 0, members: 0, activities: 0 },
      backfilled: false,
      waitingLinks: 0,
      lastRun: null,
      source: await source(null),
    };
  }
  const store = openAsyncStore({ stateDir });
  try {
    const counts = await store.counts();
    return {
      store: { communities: counts.community, members: counts.member, activities: counts.activity },
      backfilled: await hasBackfilled(store),
      waitingLinks: await store.matchLedger.waitingCount('MATCHING_UNAVAILABLE'),
      lastRun: (await listRuns(store, 1))[0] ?? null,
      source: await source(store),
    };
  } finally {
    await store.close();
  }
}

export function connectionView(stateDir: string): ConnectionView | null {
  const info = readConnectionInfo(stateDir);
  if (!info) return null;
  return {
    method: info.method,
    loginUrl: info.loginUrl,
    instanceUrl: info.instanceUrl,
    username: info.username,
    orgId: info.orgId,
    connectedAt: info.connectedAt,
  };
}

const SERVER = randomUUID();
let seq = 0;

/** Everything the console's pages show, read fresh from the state directory and the runner. */
export async function buildStatus(stateDir: string, runner: ConsoleRunner): Promise<StatusView> {
  const config = loadConfig(stateDir);
  const stored = await cachedStoreView(stateDir, runner, config);
  const scheduler = runner.scheduler();
  return {
    revision: { server: SERVER, seq: ++seq },
    stateDir,
    connection: connectionView(stateDir),
    pendingLogin: runner.pendingLogin(),
    loginError: runner.lastLoginError(),
    config: configView(config),
    ...stored,
    scheduler: {
      ...scheduler,
      paused: readScheduleState(stateDir).paused,
      intervalMinutes: config.intervalMinutes,
      heldBy: runner.busy ? null : heldBy(stateDir),
    },
    activity: runner.activity(),
  };
}
