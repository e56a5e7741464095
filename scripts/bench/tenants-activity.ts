import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { openTenantStore } from '../server/cli-support';
import { loadTenantConfig } from '../server/tenant-state/config';
import type { TenantRef } from '../server/tenant-state/tenant-ref';
import { ingest } from '../sync';

/** The live part of the benchmark: new activities arriving in every tenant while the workers run. */
export interface LiveActivity {
  /** Activities written so far, over all tenants. */
  written(): number;
  /** When each tenant last received one (ms since the epoch). */
  lastWrite(tenantId: number): number;
  stop(): Promise<void>;
}

/**
 * Every `everyMs`, writes `perTick` new activities (`kudos.given` events from members the tenant already
 * has) into each tenant's store, as `ingest --tenant` of an NDJSON feed does: each tenant's next
 * incremental run has something to push. Tenants are written one after another; a tick that overruns
 * its interval starts the next at once.
 */
export async function startLiveActivity(opts: {
  pool: Pool;
  tenants: TenantRef[];
  everyMs: number;
  perTick: number;
  dir: string;
}): Promise<LiveActivity> {
  const targets = await Promise.all(
    opts.tenants.map(async (t) => {
      const store = openTenantStore(opts.pool, t);
      const members = (await store.changedMembers(0, 50)).filter((m) => !m.deleted && !m.row.isBot).map((m) => m.row);
      if (members.length === 0) throw new Error(`tenant ${t.name} has no member to write activity for`);
      return { tenant: t, store, members, config: (await loadTenantConfig(opts.pool, t)).config };
    }),
  );
  let count = 0;
  let stopped = false;
  let wake = (): void => undefined;
  const last = new Map<number, number>();
  const tick = async (n: number): Promise<void> => {
    for (const t of targets) {
      if (stopped) return;
      const lines = Array.from({ length: opts.perTick }, (_, i) => {
        const m = t.members[(n * opts.perTick + i) % t.members.length];
        return JSON.stringify({
          type: 'kudos.given',
          id: `bench:${t.tenant.name}:${n}:${i}`,
          community_id: m.communityId,
          member_id: m.tightknitId,
          occurred_at: new Date().toISOString(),
        });
      });
      const path = join(opts.dir, `live-${t.tenant.id}-${n}.ndjson`);
      writeFileSync(path, `${lines.join('\n')}\n`);
      await ingest({ path, store: t.store, config: t.config });
      count += opts.perTick;
      last.set(t.tenant.id, Date.now());
    }
  };
  const loop = (async () => {
    for (let n = 0; !stopped; n += 1) {
      const started = Date.now();
      await tick(n);
      const wait = opts.everyMs - (Date.now() - started);
      if (wait > 0 && !stopped)
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, wait);
        });
    }
  })();
  return {
    written: () => count,
    lastWrite: (id) => last.get(id) ?? 0,
    stop: async () => {
      stopped = true;
      wake();
      await loop;
    },
  };
}
