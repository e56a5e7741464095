import { Pool } from 'pg';
import { usePostgres } from '../../../test-support/postgres';
import { withBulkLock } from '../bulk-lock';

const ORG = '00D5g000004XyZaEAK';
const ACTIVITY = 'tightknit__Activity__c';

/** [start, end] of each holder's time inside the lock. */
type Span = [number, number];
const overlaps = (a: Span, b: Span): boolean => a[0] < b[1] && b[0] < a[1];
/** Advisory locks held in this test's database (pg_locks lists the whole cluster's). */
const HELD = `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

describe('the Bulk lock per (org, object)', () => {
  let pools: Pool[];
  afterAll(async () => {
    for (const p of pools) await p.end();
  });
  const pg = usePostgres();
  beforeAll(() => {
    // Two pools stand for two worker processes.
    pools = [new Pool({ connectionString: pg.url }), new Pool({ connectionString: pg.url })];
    for (const p of pools) p.on('error', () => undefined);
  });

  const waited: string[] = [];

  async function hold(pool: Pool, object: string, ms: number, org = ORG, name = object): Promise<Span> {
    return withBulkLock(pool, { org, object, pollMs: 50, onWait: () => waited.push(name) }, async () => {
      const start = Date.now();
      await new Promise((r) => setTimeout(r, ms));
      return [start, Date.now()] as Span;
    });
  }

  it('lets one Bulk job per object and org run at a time across workers; other objects and orgs go on', async () => {
    const [a, b, c, d] = await Promise.all([
      hold(pools[0], ACTIVITY, 300, ORG, 'a'),
      hold(pools[1], ACTIVITY, 300, ORG, 'b'),
      hold(pools[1], 'tightknit__Member__c', 300),
      hold(pools[1], ACTIVITY, 300, '00D000000000002AAA'),
    ]);
    expect(overlaps(a, b)).toBe(false);
    // Whichever came second waited; nobody else did.
    expect(waited.length === 1 && ['a', 'b'].includes(waited[0])).toBe(true);
    expect(overlaps(a, c) || overlaps(b, c)).toBe(true);
    expect(overlaps(a, d) || overlaps(b, d)).toBe(true);
    // Released: nothing is left held.
    const { rows } = await pools[0].query(HELD);
    expect(rows).toEqual([]);
  });

  it('a holder whose connection dies (a killed worker) loses the lock: its job is told, the next one gets it', async () => {
    let told: unknown;
    const holder = withBulkLock(pools[0], { org: ORG, object: ACTIVITY }, async (signal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      told = signal.reason;
      throw new Error('aborted');
    });
    const holderFailed = expect(holder).rejects.toThrow('aborted');
    await new Promise((r) => setTimeout(r, 200));
    const { rows } = await pools[1].query<{ pid: number }>(HELD);
    expect(rows).toHaveLength(1);
    const next = hold(pools[1], ACTIVITY, 10);
    await pools[1].query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    await holderFailed;
    expect(told).toBeInstanceOf(Error);
    const span = await next;
    expect(span[1]).toBeGreaterThanOrEqual(span[0]);
  });

  it('a wait can be aborted', async () => {
    const release = new AbortController();
    const holder = withBulkLock(pools[0], { org: ORG, object: ACTIVITY }, async () => {
      await new Promise<void>((resolve) => release.signal.addEventListener('abort', () => resolve()));
    });
    await new Promise((r) => setTimeout(r, 100));
    const giveUp = new AbortController();
    const waiter = withBulkLock(pools[1], { org: ORG, object: ACTIVITY, pollMs: 50, signal: giveUp.signal }, () =>
      Promise.resolve('ran'),
    );
    setTimeout(() => giveUp.abort(new Error('drain')), 200);
    await expect(waiter).rejects.toThrow('drain');
    release.abort();
    await holder;
  });
});
