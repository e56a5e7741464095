import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAsyncStore } from '../../sync/store';
import { usePostgres } from '../../test-support/postgres';
import { cliHarness } from './cli-helpers';

const SAMPLE = join(__dirname, '..', '..', '..', 'samples', 'community-export');

/** An ingest summary without its clock reading. */
function withoutTime(summary: Record<string, unknown>): Record<string, unknown> {
  const { durationMs: _took, ...rest } = summary;
  return rest;
}

describe('ingest per tenant', () => {
  let stateDir: string;
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));
  const pg = usePostgres();
  const { run, json } = cliHarness();
  const acme = (...args: string[]) => run('--database', pg.url, '--tenant', 'acme', ...args);

  beforeAll(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'tk-cli-ingest-'));
  });

  it("imports into the tenant's store with the same summary as a state directory, and names its community", async () => {
    expect((await run('--database', pg.url, 'tenants', 'add', 'acme')).code).toBe(0);
    const tenant = await acme('ingest', SAMPLE, '--json');
    expect(tenant.code).toBe(0);
    const local = await run('--state-dir', stateDir, 'ingest', SAMPLE, '--json');
    const summary = json<Record<string, unknown>>(tenant);
    expect(summary.totals).toMatchObject({ community: 1 });
    expect((summary.totals as { activity: number }).activity).toBeGreaterThan(0);
    expect(withoutTime(summary)).toEqual(withoutTime(json(local)));

    const again = await acme('ingest', SAMPLE);
    expect(again.code).toBe(0);
    expect(again.text).toMatch(/Members +0 new, 0 changed, \d+ unchanged/);

    const list = json<{ tenants: Array<{ name: string; community: string | null }> }>(
      await run('--database', pg.url, 'tenants', 'list', '--json'),
    );
    expect(list.tenants[0].community).toBe((await communityName(stateDir)) ?? 'unexpected');
  });

  it('refuses --follow in server mode, with what to do instead', async () => {
    const r = await acme('ingest', SAMPLE, '--follow');
    expect(r.code).toBe(2);
    expect(r.text).toContain('`ingest --follow` does not support server mode yet');
  });
});

/** The community name the state directory's ingest stored. */
async function communityName(stateDir: string): Promise<string | undefined> {
  const store = openAsyncStore({ stateDir });
  try {
    return (await store.changedCommunities(0, 1))[0]?.row.name;
  } finally {
    await store.close();
  }
}
