import { TEST_DATABASE_ENV } from '../../test-support/postgres';
import { cliHarness } from '../../server/__tests__/cli-helpers';
import type { ServerDemoResult } from '../demo';

/**
 * `demo --server` end to end: a database of its own (on TIGHTKNIT_TEST_DATABASE_URL's server when set,
 * as CI has it; else the embedded PostgreSQL the demo starts), three tenants connected to three orgs of
 * one emulator process, serve's workers running their backfills from the queue. The counts come from
 * the orgs themselves (SOQL COUNT() over REST), so a backfill that pushed into the wrong org or left
 * records out fails here.
 */
describe('demo --server', () => {
  const cli = cliHarness();

  it('runs three tenants through serve: each org holds its tenant’s whole community, and says how to sign in', async () => {
    const server = process.env[TEST_DATABASE_ENV];
    const run = await cli.run('--json', 'demo', '--server', '--port', '0', ...(server ? ['--database', server] : []));
    expect(run.code).toBe(0);
    const result = cli.json<ServerDemoResult>(run);
    expect(result.database).toBe(server ? 'given' : 'embedded');
    expect(result.tenants.map((t) => t.tenant)).toEqual(['acme', 'globex', 'initech']);
    expect(new Set(result.tenants.map((t) => t.org.instanceUrl)).size).toBe(3);
    for (const t of result.tenants) {
      expect(t.run).toMatchObject({ type: 'backfill', status: 'Succeeded' });
      expect(t.store.members).toBeGreaterThan(100);
      expect(t.store.activities).toBeGreaterThan(1000);
      expect(t.org).toMatchObject({ communities: 1, members: t.store.members, activities: t.store.activities });
    }
    expect(result.console.owner).toBe('owner@demo.example');
    expect(result.console.setPasswordLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/password\/[\w-]{20,}$/);
    expect(result.console.setPasswordLink.startsWith(result.console.url)).toBe(true);
    expect(result.console.signIn).toBe(`${result.console.url}signin`);
  }, 120_000);

  it('refuses --database without --server, naming the fix', async () => {
    const run = await cli.run('demo', '--database', 'postgres://nobody@127.0.0.1:1/x');
    expect(run.code).toBe(2);
    expect(run.text).toContain('--database and --keep-running go with `demo --server`');
  });
});
