/**
 * PostgreSQL store write benchmark: one tenant's ingest of many activities through the store's writer
 * (`putActivity` for every row, then `commit`), first into an empty tenant, then the same rows again
 * (nothing changes). Runs against TIGHTKNIT_DATABASE_URL (or --database), in a throw-away tenant that
 * is deleted at the end.
 *
 *   TIGHTKNIT_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx scripts/bench/pg-store-ingest.ts --activities 50000
 */
import { cpuUsage } from 'node:process';
import { type ActivityRow, engagementDefaults } from '../sync';
import { openPool } from '../server/db/connect';
import { migrate } from '../server/db/migrate';
import { DATABASE_ENV } from '../server/names';
import { PgStore } from '../server/store';
import { community, member } from '../test-support/store-contract/fixtures';
import { arg } from './args';

const NOW = new Date('2026-03-01T15:30:00.000Z');

function activity(i: number, members: number): ActivityRow {
  const at = new Date(NOW.getTime() - (i % 90) * 86_400_000 - i * 1000);
  return {
    tightknitId: `a${i}`,
    communityId: 'c',
    memberId: `m${i % members}`,
    targetMemberId: null,
    activityType: 'message_sent',
    sourceType: 'message',
    occurredAt: at.toISOString(),
    channelId: `C${i % 20}`,
    channelName: `channel-${i % 20}`,
    threadId: null,
    permalink: `https://example.slack.com/archives/C${i % 20}/p${i}`,
    summary: `Posted in #channel-${i % 20}, "quoted", with a comma`,
    metadata: i % 7 === 0 ? null : JSON.stringify({ excerpt: `line ${i}\nnext` }),
  };
}

async function ingestOnce(store: PgStore, n: number, members: number): Promise<{ seconds: number; cpu: number }> {
  const started = performance.now();
  const cpu = cpuUsage();
  const w = await store.beginWrite();
  await w.putCommunity(community('c', { name: 'Bench' }));
  for (let m = 0; m < members; m += 1) await w.putMember(member(`m${m}`, { name: `Member ${m}` }));
  for (let i = 0; i < n; i += 1) await w.putActivity(activity(i, members));
  const counts = await w.commit(NOW, engagementDefaults());
  const used = cpuUsage(cpu);
  console.log(`  activities: ${JSON.stringify(counts.activities)}`);
  return { seconds: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6 };
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--database');
  const url = i > 0 ? process.argv[i + 1] : process.env[DATABASE_ENV];
  if (!url) throw new Error(`Give --database <url> or set ${DATABASE_ENV}.`);
  const n = arg('activities', 50_000);
  const members = arg('members', 1_000);
  const pool = await openPool(url);
  try {
    await migrate(pool);
    const name = `bench-${process.pid}`;
    const { rows } = await pool.query<{ id: string }>('INSERT INTO tenants (name) VALUES ($1) RETURNING id', [name]);
    const tenantId = Number(rows[0].id);
    try {
      const store = PgStore.open(pool, tenantId, `tenant ${name}`);
      for (const label of ['first ingest', 'same rows again']) {
        console.log(`${label}: ${n} activities, ${members} members`);
        const r = await ingestOnce(store, n, members);
        console.log(
          `  ${r.seconds.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU of this process, ${Math.round(n / r.seconds)} activities/s`,
        );
      }
    } finally {
      await pool.query('DELETE FROM tenants WHERE id = $1', [tenantId]);
    }
  } finally {
    await pool.end();
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exitCode = 1;
});
