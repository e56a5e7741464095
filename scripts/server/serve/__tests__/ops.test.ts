import { Pool } from 'pg';
import { usePostgres } from '../../../test-support/postgres';
import { RunQueue } from '../../queue/runs';
import { startOpsServer } from '../http';
import { startServerProcess, type ServerProcess } from '../process';
import { ledgerRunner } from './ledger-runner';
import { FAST, addTenants, attempts, captureLog, until } from './support';

async function get(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

/** A Slack bot token and a Salesforce session id, planted where a careless pass might leak them. */
const SLACK_TOKEN = 'xoxb-123456789012-1234567890123-PLANTEDplantedPLANTED';
const SF_SESSION = '00D5g000004XyZaEAK!AQ4AQPlantedSessionIdPlantedSessionId';

describe('serve: /healthz, /metrics and the logs', () => {
  let pool: Pool;
  let ids: number[];
  let proc: ServerProcess;
  let queue: RunQueue;
  const captured = captureLog();
  afterAll(async () => {
    await queue.stop();
    await proc.stop();
    await pool.end();
  });
  const pg = usePostgres();
  beforeAll(async () => {
    pool = new Pool({ connectionString: pg.url });
    ids = await addTenants(pool, 'acme', 'leaky');
    const leaky = ledgerRunner({
      holdMs: 10,
      failWith: `The org refused session ${SF_SESSION} (token ${SLACK_TOKEN})`,
    });
    const fine = ledgerRunner({ holdMs: 10 });
    proc = await startServerProcess({
      url: pg.url,
      runner: {
        run: (input) => {
          if (input.tenant.name !== 'leaky') return fine.run(input);
          input.log.info({ token: SLACK_TOKEN, detail: `Authorization: Bearer ${SF_SESSION}` }, `using ${SLACK_TOKEN}`);
          return leaky.run(input);
        },
      },
      log: captured.log,
      concurrency: 2,
      ops: { port: 0, host: '127.0.0.1' },
      tuning: FAST,
    });
    queue = await RunQueue.open(pg.url);
  });

  it('/healthz: 200 with the database reachable and the schema current, 503 when a step is missing', async () => {
    const ok = await get(`${proc.opsUrl}/healthz`);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({ status: 'ok', database: 'reachable', schema: 'current' });
    const { rows } = await pool.query<{ id: number; name: string; run_on: Date }>(
      'DELETE FROM schema_migrations WHERE id = (SELECT max(id) FROM schema_migrations) RETURNING *',
    );
    try {
      const behind = await get(`${proc.opsUrl}/healthz`);
      expect(behind.status).toBe(503);
      expect(JSON.parse(behind.text)).toEqual({
        status: 'unavailable',
        database: 'reachable',
        schema: 'behind',
        steps: [rows[0].name],
      });
    } finally {
      await pool.query('INSERT INTO schema_migrations (id, name, run_on) VALUES ($1, $2, $3)', [
        rows[0].id,
        rows[0].name,
        rows[0].run_on,
      ]);
    }
    expect((await get(`${proc.opsUrl}/nope`)).status).toBe(404);
  });

  it('/healthz and /metrics: 503 when the database does not answer', async () => {
    const dead = new Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 2000 });
    const ops = await startOpsServer(dead, 0, captured.log);
    try {
      const h = await get(`${ops.url}/healthz`);
      expect(h.status).toBe(503);
      expect(JSON.parse(h.text)).toMatchObject({ status: 'unavailable', database: 'unreachable' });
      expect((await get(`${ops.url}/metrics`)).status).toBe(503);
    } finally {
      await new Promise((r) => ops.server.close(r));
      await dead.end();
    }
  });

  it('/metrics: runs by status, queue depth, lag and records pushed per tenant, API budget per org', async () => {
    await queue.enqueue({ tenantId: ids[0], type: 'backfill' });
    await until(async () => (await attempts(pool, ids[0]))[0]?.status === 'Succeeded', 30);
    await pool.query(
      "INSERT INTO org_api_budget (org, max, remaining, reserve, read_at) VALUES ('00D5g000004XyZaEAK', 15000, 9000, 3000, now())",
    );
    // Two queued runs of one tenant: one may start, the other waits behind it (queue depth).
    await queue.enqueue({ tenantId: ids[0], type: 'incremental' });
    const m = await get(`${proc.opsUrl}/metrics`);
    expect(m.status).toBe(200);
    expect(m.text).toContain('tightknit_runs{status="Succeeded"} 1');
    expect(m.text).toMatch(/tightknit_queue_jobs\{state="(created|active)"\} 1/);
    expect(m.text).toContain('tightknit_records_pushed{tenant="acme"} 3');
    expect(m.text).toContain('tightknit_api_budget_remaining{org="00D5g000004XyZaEAK"} 6000');
    const lag = /tightknit_tenant_lag_seconds\{tenant="acme"\} ([\d.e+-]+)/.exec(m.text);
    expect(Number(lag?.[1])).toBeLessThan(60);
    // A tenant that never ran lags since it was added.
    expect(m.text).toMatch(/tightknit_tenant_lag_seconds\{tenant="leaky"\} [\d.e+-]+/);
  });

  it('never writes a token to the logs, the job tables or the attempts, even when a pass leaks one', async () => {
    const jobId = await queue.enqueue({ tenantId: ids[1], type: 'backfill' });
    await until(async () => (await attempts(pool, ids[1]))[0]?.status === 'Failed', 30);
    const failed = await until(async () => {
      const { rows } = await pool.query<{ state: string }>('SELECT state FROM pgboss.job WHERE id = $1', [jobId]);
      return rows[0]?.state === 'retry' && rows[0];
    }, 30);
    expect(failed.state).toBe('retry');
    const jobs = await pool.query<{ t: string }>("SELECT string_agg(j::text, '\n') AS t FROM pgboss.job j");
    const tables = await pool.query<{ t: string }>("SELECT string_agg(a::text, '\n') AS t FROM run_attempts a");
    const logs = captured.lines.join('\n');
    // The planted values did reach each place, scrubbed: the test looks where they would be.
    expect(logs).toContain('using xox?-[redacted]');
    expect(jobs.rows[0].t).toContain('The org refused session [redacted session]');
    expect(tables.rows[0].t).toContain('[redacted session]');
    for (const text of [logs, jobs.rows[0].t, tables.rows[0].t]) {
      expect(text).not.toContain('PLANTEDplanted');
      expect(text).not.toContain('PlantedSessionId');
    }
  });
});
