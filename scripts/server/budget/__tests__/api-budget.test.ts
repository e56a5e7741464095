import { Pool } from 'pg';
import { startEmulator } from '../../../org-emulator/index';
import type { RunningEmulator } from '../../../org-emulator/types';
import { usePostgres } from '../../../test-support/postgres';
import { RunQueue } from '../../queue/runs';
import { startServerProcess } from '../../serve/process';
import { FAST, addTenants, attempts, captureLog, until } from '../../serve/__tests__/support';
import { ApiBudget, WAITING_API_BUDGET, passRequestsFromEnv, reserveFromEnv, type OrgLimits } from '../api-budget';

const ORG = '00D5g000004XyZaEAK';
const LIMITS = '/services/data/v65.0/limits';

/** The org's /limits through the emulator's REST API; REQUEST_LIMIT_EXCEEDED reads as spent. */
async function readLimits(emu: RunningEmulator, token: string): Promise<OrgLimits> {
  const res = await fetch(emu.instanceUrl + LIMITS, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { DailyApiRequests?: { Max: number; Remaining: number } };
  if (res.status === 403) return { max: 100, remaining: 0 };
  return { max: body.DailyApiRequests!.Max, remaining: body.DailyApiRequests!.Remaining };
}

/** `n` API calls to the org, as a pass's step would make after taking them from the budget. */
async function spend(emu: RunningEmulator, token: string, n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i += 1) {
    statuses.push((await fetch(emu.instanceUrl + LIMITS, { headers: { authorization: `Bearer ${token}` } })).status);
  }
  return statuses;
}

describe('the shared API budget per org', () => {
  let emu: RunningEmulator;
  let token: string;
  let pools: Pool[];
  afterAll(async () => {
    for (const p of pools) await p.end();
    await emu.close();
  });
  const pg = usePostgres();
  beforeAll(async () => {
    emu = await startEmulator();
    token = emu.issueTokens('integration').accessToken;
    pools = [new Pool({ connectionString: pg.url }), new Pool({ connectionString: pg.url })];
    await addTenants(pools[0], 'acme');
  });

  it('reads its reserve from TIGHTKNIT_API_RESERVE (percent, default 20 %) and refuses nonsense', () => {
    expect(reserveFromEnv({})).toBe(0.2);
    expect(reserveFromEnv({ TIGHTKNIT_API_RESERVE: '30' })).toBe(0.3);
    expect(reserveFromEnv({ TIGHTKNIT_API_RESERVE: '5%' })).toBe(0.05);
    expect(() => reserveFromEnv({ TIGHTKNIT_API_RESERVE: 'lots' })).toThrow(
      "TIGHTKNIT_API_RESERVE must be a percentage from 0 to 90 (got 'lots')",
    );
  });

  it('takes TIGHTKNIT_API_PASS_REQUESTS requests per pass (default 50, 0 allowed) and refuses nonsense', () => {
    expect(passRequestsFromEnv({})).toBe(50);
    expect(passRequestsFromEnv({ TIGHTKNIT_API_PASS_REQUESTS: ' 120 ' })).toBe(120);
    expect(passRequestsFromEnv({ TIGHTKNIT_API_PASS_REQUESTS: '0' })).toBe(0);
    for (const bad of ['-5', '2.5', 'many', '100001']) {
      expect(() => passRequestsFromEnv({ TIGHTKNIT_API_PASS_REQUESTS: bad })).toThrow(
        `TIGHTKNIT_API_PASS_REQUESTS must be a whole number of API requests from 0 to 100000 (got '${bad}')`,
      );
    }
  });

  it('two workers share it: they stop at the reserve and wait, never hitting the org’s limit, and go on once it frees', async () => {
    emu.setFaults({ apiRequestLimit: 100 });
    const opts = { reserve: 0.2, refreshSeconds: 60, recheckSeconds: 1, pollMs: 100 };
    const budgets = pools.map((p) => new ApiBudget(p, opts));
    const waits: (string | null)[][] = [[], []];
    const statuses: number[] = [];
    let stop = false;
    const worker = async (i: number): Promise<number> => {
      let steps = 0;
      while (!stop) {
        await budgets[i].take(ORG, 10, {
          readLimits: () => readLimits(emu, token),
          onWait: (reason) => {
            waits[i].push(reason);
          },
        });
        if (stop) break;
        statuses.push(...(await spend(emu, token, 10)));
        steps += 1;
      }
      return steps;
    };
    const running = [worker(0), worker(1)];
    // Both end up waiting: the budget above the reserve (80 of 100, less the /limits reads) is spent.
    await until(async () => waits.every((w) => w.includes(WAITING_API_BUDGET)) || undefined, 30);
    const { rows } = await pools[0].query<{ remaining: number; reserve: number }>(
      'SELECT remaining, reserve FROM org_api_budget WHERE org = $1',
      [ORG],
    );
    expect(rows[0].reserve).toBe(20);
    expect(statuses.length).toBeLessThanOrEqual(80);
    expect(statuses.every((s) => s === 200)).toBe(true);
    // The window frees requests (the emulator's limit goes up): the waiting takes go on by themselves.
    const before = statuses.length;
    emu.setFaults({ apiRequestLimit: 1000 });
    await until(async () => statuses.length >= before + 20 || undefined, 30);
    stop = true;
    emu.setFaults({ apiRequestLimit: 10_000 });
    const steps = await Promise.all(running);
    expect(steps[0] + steps[1]).toBeGreaterThanOrEqual(before / 10 + 2);
    expect(statuses.every((s) => s === 200)).toBe(true);
    for (const w of waits) expect(w.slice(0, 2)).toEqual([WAITING_API_BUDGET, null]);
  }, 60_000);

  it('a run waiting for the budget says `Waiting: API budget`, then completes: no failure, no retry', async () => {
    await pools[0].query('DELETE FROM org_api_budget');
    emu.setFaults({ apiRequestLimit: 0 });
    const budget = new ApiBudget(pools[0], { reserve: 0.2, recheckSeconds: 1, pollMs: 100 });
    const { log } = captureLog();
    const proc = await startServerProcess({
      url: pg.url,
      log,
      concurrency: 1,
      tuning: FAST,
      runner: {
        run: async (input) => {
          await budget.take(ORG, 5, {
            readLimits: () => readLimits(emu, token),
            signal: input.signal,
            onWait: (reason) => input.setWaiting(reason),
          });
          return { runId: 1, status: 'Succeeded', counts: {} };
        },
      },
    });
    const queue = await RunQueue.open(pg.url);
    try {
      const [tenant] = (await pools[0].query<{ id: string }>("SELECT id FROM tenants WHERE name = 'acme'")).rows;
      await queue.enqueue({ tenantId: Number(tenant.id), type: 'incremental' });
      await until(async () => {
        const r = await pools[0].query<{ status: string; waiting: string | null }>(
          'SELECT status, waiting FROM run_attempts',
        );
        return r.rows[0]?.waiting === WAITING_API_BUDGET || undefined;
      }, 30);
      emu.setFaults({ apiRequestLimit: 10_000 });
      const rows = await until(async () => {
        const r = await attempts(pools[0], Number(tenant.id));
        return r[0]?.status === 'Succeeded' && r;
      }, 30);
      expect(rows).toHaveLength(1);
      const w = await pools[0].query<{ waiting: string | null }>('SELECT waiting FROM run_attempts');
      expect(w.rows[0].waiting).toBeNull();
    } finally {
      await queue.stop();
      await proc.stop();
    }
  }, 60_000);
});
