/**
 * The tenant console in Chromium (playwright-core), on a real `serve` with a worker: a viewer sees the
 * tenant's status and runs without a single action; an integrations manager syncs from the page and sees
 * the run arrive, and sees a run that failed for good with its fix. Screenshots go to
 * reports/server-console-screenshots (CONSOLE_SCREENSHOT_DIR=docs/server-console for the docs).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Pool } from 'pg';
import { CHROMIUM, launchChromium } from '../../../gallery/browser';
import { REPO_ROOT } from '../../../metadata/project';
import { OrgRefusedError } from '../../../sync/errors';
import { PgStore } from '../../store';
import { usePostgres } from '../../../test-support/postgres';
import { PASSWORD, PEOPLE, seed, testPool } from '../../people/__tests__/helpers';
import { ledgerRunner } from '../../serve/__tests__/ledger-runner';
import { FAST, captureLog, until } from '../../serve/__tests__/support';
import { startServerProcess, type ServerProcess } from '../../serve/process';
import type { TenantPassRunner } from '../../serve/runner';

const SHOTS = process.env.CONSOLE_SCREENSHOT_DIR ?? join(REPO_ROOT, 'reports', 'server-console-screenshots');
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium.`);
const maybe = available ? describe : describe.skip;

jest.setTimeout(120_000);

maybe('the tenant console in Chromium', () => {
  afterAll(async () => {
    await browser?.close();
    await proc?.stop();
    await pool?.end();
  });
  const pg = usePostgres();
  let pool: Pool;
  let proc: ServerProcess;
  let origin: string;
  let browser: Browser;
  const errors: string[] = [];

  /** Real ledger work; beta's org refuses the stored connection (a fix only a person can make). */
  const base = ledgerRunner({ holdMs: 300 });
  const runner: TenantPassRunner = {
    run: async (input) => {
      if (input.tenant.name === 'beta') {
        throw new OrgRefusedError(
          'REFRESH_TOKEN_REVOKED',
          'The org no longer accepts the stored connection (its refresh token was revoked or expired).',
          { actions: ["Reconnect the org from the tenant's Connect page, then sync now."] },
        );
      }
      if (input.request.type !== 'backfill') return base.run(input);
      // The backfill leaves one member the org refused: the page offers to retry the run.
      const store = PgStore.open(input.pool, input.tenant.id, input.tenant.name);
      const runId = await store.ledger.startRun('backfill', null);
      await store.ledger.addCounts(runId, 'member', { processed: 3, succeeded: 2, failed: 1 });
      await store.ledger.finishRun(runId, 'PartiallyFailed', null, 2);
      return { runId, status: 'PartiallyFailed', counts: { member: (await store.ledger.runCounts(runId)).member } };
    },
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    pool = testPool(pg.url);
    const ids = await seed(pool);
    await pool.query("UPDATE tenants SET community = 'Acme Community' WHERE id = $1", [ids.acme]);
    await pool.query("UPDATE tenants SET community = 'Beta Builders' WHERE id = $1", [ids.beta]);
    await pool.query(
      "INSERT INTO memberships (person_id, tenant_id, role) SELECT id, $1, 'integrations-manager' FROM people WHERE email = $2",
      [ids.beta, PEOPLE['integrations-manager']],
    );
    proc = await startServerProcess({
      url: pg.url,
      runner,
      log: captureLog().log,
      concurrency: 2,
      ops: { port: 0, host: '127.0.0.1' },
      tuning: FAST,
    });
    origin = proc.opsUrl as string;
    browser = await launchChromium();
  }, 60_000);

  /** A fresh browser profile signed in with the password form. */
  async function signIn(email: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() === 404 && !r.url().endsWith('/favicon.ico')) errors.push(`404 ${r.url()}`);
    });
    await page.goto(`${origin}/signin`);
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('[data-id="password-form"] button');
    await page.waitForURL(`${origin}/account`);
    return page;
  }

  it('an integrations manager syncs from the tenant page and the run shows in the last runs', async () => {
    const page = await signIn(PEOPLE['integrations-manager']);
    await page.click('nav a:has-text("Tenants")');
    expect(await page.locator('[data-id="tenants"] tbody tr').count()).toBe(2);
    await page.click('[data-id="tenants"] a:has-text("acme")');
    expect(await page.textContent('[data-id="state"]')).toBe('Not scheduled');
    await page.click('[data-id="action-sync"] button');
    expect(await page.textContent('[data-id="notice"]')).toMatch(/^Queued a backfill run \(job [0-9a-f-]+\)/);
    // The page is read on each visit: reload until the worker's run has ended (its row shows while it runs).
    await until(async () => {
      await page.goto(`${origin}/tenants/acme`);
      return (await page.textContent('[data-id="state"]'))?.startsWith('Last run') === true;
    }, 30);
    expect(await page.textContent('[data-id="state"]')).toBe('Last run PartiallyFailed (run 1)');
    expect(await page.textContent('[data-id="next-step"]')).toContain('Investigate run 1');
    await page.click('[data-id="action-retry-1"] button');
    expect(await page.textContent('[data-id="notice"]')).toMatch(/^Queued a retry of run 1/);
    await until(async () => {
      await page.goto(`${origin}/tenants/acme`);
      return (await page.locator('[data-id="runs"] td.ok').count()) > 0;
    }, 30);
    expect(await page.textContent('[data-id="run-2"]')).toContain('retry of 1');
    // Then the schedule: the backfill is done, so its first run is incremental.
    await page.click('[data-id="action-start"] button');
    expect(await page.textContent('[data-id="notice"]')).toContain('the first run (incremental) is due now');
    await page.goto(`${origin}/tenants/acme`);
    await page.screenshot({ path: join(SHOTS, 'tenant-manager.png'), fullPage: true });
  });

  it('a run that failed for good is shown with its fix', async () => {
    const page = await signIn(PEOPLE['integrations-manager']);
    await page.goto(`${origin}/tenants/beta`);
    await page.click('[data-id="action-sync"] button');
    await until(async () => {
      await page.goto(`${origin}/tenants/beta`);
      return (await page.locator('[data-id="dead-letters"]').count()) === 1;
    }, 30);
    expect(await page.textContent('[data-id="state"]')).toBe('Needs attention: a run failed for good');
    expect(await page.textContent('[data-id="next-step"]')).toContain('Reconnect the org');
    await page.screenshot({ path: join(SHOTS, 'tenant-dead-letter.png'), fullPage: true });
    await page.click('nav a:has-text("Tenants")');
    expect(await page.textContent('[data-id="tenant-beta"] [data-id="state"]')).toBe(
      'Needs attention: 1 run(s) failed for good',
    );
    await page.screenshot({ path: join(SHOTS, 'tenants.png'), fullPage: true });
  });

  it('a viewer sees the status and the runs, and no action', async () => {
    const page = await signIn(PEOPLE.viewer);
    await page.goto(`${origin}/tenants/acme`);
    expect(await page.locator('[data-id="runs"] tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-id="actions"]').count()).toBe(0);
    expect(await page.locator('[data-id="configure-form"]').count()).toBe(0);
    // Run 1 has a failed record, and still no retry button for a viewer.
    expect(await page.textContent('[data-id="run-1"]')).toContain('2/1/0');
    await page.click('[data-id="run-1"] a');
    expect(await page.textContent('[data-id="run-status"]')).toBe('backfill: PartiallyFailed, 2 API calls');
    expect(await page.textContent('[data-id="counts"]')).toContain('member3210');
    await page.goBack();
    expect(await page.locator('form[action*="/retry"]').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'tenant-viewer.png'), fullPage: true });
    // The server is the guard: beta is not the viewer's.
    expect((await page.goto(`${origin}/tenants/beta`))?.status()).toBe(403);
  });

  it('no page ran into a script or CSP error', () => {
    expect(errors).toEqual([]);
  });
});
