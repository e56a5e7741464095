/**
 * The people layer in Chromium (playwright-core), with the tenant console mounted: each role, the
 * operator too, signs in through the test OpenID provider and sees what it may do; the owner invites,
 * changes a role and reads the audit trail; the operator adds and removes a tenant. Screenshots go to
 * reports/people-screenshots (PEOPLE_SCREENSHOT_DIR=docs/people for the docs).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Pool } from 'pg';
import { CHROMIUM, launchChromium } from '../../../gallery/browser';
import { REPO_ROOT } from '../../../metadata/project';
import { usePostgres } from '../../../test-support/postgres';
import { createConsoleHandler } from '../../console/handler';
import { RunQueue } from '../../queue/runs';
import { resolveMasterKeys } from '../../secrets/master-key';
import { PEOPLE, seed, testPool } from './helpers';
import { serveWithProvider } from './oidc-helpers';

const SHOTS = process.env.PEOPLE_SCREENSHOT_DIR ?? join(REPO_ROOT, 'reports', 'people-screenshots');
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium.`);
const maybe = available ? describe : describe.skip;

jest.setTimeout(120_000);

maybe('people and roles in Chromium', () => {
  afterAll(async () => pool.end());
  const pg = usePostgres();
  let pool: Pool;
  let env: Awaited<ReturnType<typeof serveWithProvider>>;
  let browser: Browser;
  let queue: RunQueue;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    pool = testPool(pg.url);
    await seed(pool);
    // The tenant console beside the people layer, as serve mounts it (its pages read the run queue's tables).
    queue = await RunQueue.open(pg.url);
    const keys = resolveMasterKeys({ TIGHTKNIT_MASTER_KEY: randomBytes(32).toString('base64') });
    let tenantConsole: ReturnType<typeof createConsoleHandler> | undefined;
    env = await serveWithProvider(pool, (people, req, res) => {
      tenantConsole ??= createConsoleHandler({ pool, guard: people.guard, trustProxy: true, queue, keys: () => keys });
      return tenantConsole(req, res);
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
    await queue?.stop(0);
  });
  /** The tenant list as `page`'s person sees it: whether it offers to add and to remove tenants. */
  async function tenantList(page: Page): Promise<{ tenants: string[]; add: boolean; remove: number }> {
    await page.click('nav a:has-text("Tenants")');
    const ids: string[] = [];
    for (const row of await page.locator('[data-id="tenants"] tbody tr').all()) {
      ids.push((await row.getAttribute('data-id')) ?? '');
    }
    return {
      tenants: ids.map((id) => id.replace(/^tenant-/, '')),
      add: (await page.locator('[data-id="add-tenant-form"]').count()) === 1,
      remove: await page.locator('summary', { hasText: 'Remove…' }).count(),
    };
  }

  /** A fresh browser profile signed in through the test provider as `email`; lands on /account. */
  async function signIn(email: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => errors.push(e.message));
    // Resource errors are reported by URL below (the browser asks each origin for a favicon, which neither has).
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() === 404 && !r.url().endsWith('/favicon.ico')) errors.push(`404 ${r.url()}`);
    });
    await page.goto(`${env.origin}/signin`);
    await page.click('[data-id="sso"]');
    await page.waitForURL(`${env.issuer}/interaction/**`);
    await page.fill('input[name="email"]', email);
    await page.click('button');
    await page.waitForURL(`${env.origin}/account`);
    return page;
  }
  const allowed = async (page: Page): Promise<string[]> =>
    ((await page.textContent('[data-id="allowed"]')) ?? '').split(', ');

  it('a viewer may read status, history and investigate, and is refused the people page by name', async () => {
    const page = await signIn(PEOPLE.viewer);
    expect(await page.textContent('[data-id="who"]')).toBe(`${PEOPLE.viewer} · viewer in acme`);
    const ops = await allowed(page);
    expect(ops).toEqual(expect.arrayContaining(['status', 'history', 'investigate']));
    expect(ops).not.toContain('configure');
    expect(await page.locator('nav a', { hasText: 'People' }).count()).toBe(0);
    expect(await tenantList(page)).toEqual({ tenants: ['acme'], add: false, remove: 0 });
    await page.click('[data-id="tenant-acme"] a');
    expect(await page.locator('[data-id="actions"] form').count()).toBe(0);
    const res = await page.goto(`${env.origin}/people`);
    expect(res?.status()).toBe(403);
    expect(await page.textContent('[data-id="error"]')).toBe(
      "people.list needs the admin role (or above) in tenant 'acme'; you are viewer.",
    );
    await page.screenshot({ path: join(SHOTS, 'viewer-refused.png'), fullPage: true });
  });

  it('an integrations manager may change the integration, not the people', async () => {
    const page = await signIn(PEOPLE['integrations-manager']);
    const ops = await allowed(page);
    expect(ops).toEqual(
      expect.arrayContaining(['connect', 'configure', 'start', 'pause', 'retry', 'rematch', 'slack.install']),
    );
    expect(ops).not.toContain('people.list');
    expect(await tenantList(page)).toEqual({ tenants: ['acme'], add: false, remove: 0 });
    await page.click('[data-id="tenant-acme"] a');
    expect(await page.locator('[data-id="action-sync"]').count()).toBe(1);
    expect(await page.locator('[data-id="delete-form"]').count()).toBe(0);
    expect((await page.goto(`${env.origin}/audit`))?.status()).toBe(403);
  });

  it('an admin manages people but cannot make an owner', async () => {
    const page = await signIn(PEOPLE.admin);
    expect(await allowed(page)).not.toContain('ownership.transfer');
    await page.click('nav a:has-text("People")');
    const row = page.locator('tr', { hasText: PEOPLE.viewer });
    await row.locator('select[name="role"]').selectOption('owner');
    await row.locator('button', { hasText: 'Change role' }).click();
    expect(await page.textContent('[data-id="error"]')).toContain('needs the owner role; you are admin');
  });

  it('the owner invites someone, changes a role, and reads the audit trail', async () => {
    const page = await signIn(PEOPLE.owner);
    expect(await allowed(page)).toContain('ownership.transfer');
    expect(await tenantList(page)).toEqual({ tenants: ['acme'], add: false, remove: 0 });
    await page.click('[data-id="tenant-acme"] a');
    expect(await page.locator('[data-id="delete-form"]').count()).toBe(1);
    await page.click('nav a:has-text("People")');
    await page.fill('[data-id="invite-form"] input[name="email"]', 'new.admin@example.com');
    await page.selectOption('[data-id="invite-form"] select[name="role"]', 'admin');
    await page.click('[data-id="invite-form"] button');
    expect(await page.textContent('[data-id="notice"]')).toMatch(
      /Invitation link \(valid 7 days, one use; send it to new\.admin@example\.com\): http:\/\/127\.0\.0\.1:\d+\/invitations\//,
    );
    const row = page.locator('tr', { hasText: PEOPLE['integrations-manager'] });
    await row.locator('select[name="role"]').selectOption('viewer');
    await row.locator('button', { hasText: 'Change role' }).click();
    expect(await page.textContent('[data-id="notice"]')).toBe(
      `${PEOPLE['integrations-manager']}: integrations-manager → viewer.`,
    );
    await page.goto(`${env.origin}/people`);
    await page.screenshot({ path: join(SHOTS, 'people.png'), fullPage: true });

    await page.click('nav a:has-text("Audit trail")');
    const audit = page.locator('[data-id="audit"]');
    for (const action of ['people.set-role', 'invitation.create', 'access.denied']) {
      expect(await audit.locator('td', { hasText: action }).count()).toBeGreaterThan(0);
    }
    await page.fill('input[name="action"]', 'people.set-role');
    await page.click('.filters button');
    expect(await audit.locator('tbody tr').count()).toBe(1);
    await page.goto(`${env.origin}/audit`);
    await page.screenshot({ path: join(SHOTS, 'audit.png'), fullPage: true });
  });

  it('the operator sees every tenant, adds one and removes it with its data; no tenant page of their own', async () => {
    const page = await signIn(PEOPLE.operator);
    expect(await page.textContent('[data-id="who"]')).toContain(PEOPLE.operator);
    expect(await allowed(page)).toEqual(expect.arrayContaining(['tenants.list', 'tenants.add', 'tenants.remove']));
    expect(await allowed(page)).not.toContain('status');
    expect(await tenantList(page)).toEqual({ tenants: ['acme', 'beta'], add: true, remove: 2 });
    await page.fill('[data-id="add-tenant-form"] input[name="name"]', 'gamma');
    await page.fill('[data-id="add-tenant-form"] input[name="community"]', 'Gamma Guild');
    await page.click('[data-id="add-tenant-form"] button');
    expect(await page.textContent('[data-id="notice"]')).toContain("Tenant 'gamma' added, with its own data key.");
    expect(await page.textContent('[data-id="tenant-gamma"]')).toContain('Gamma Guild');
    // An operator holds no tenant role: the names are not links to tenant pages.
    expect(await page.locator('[data-id="tenants"] a').count()).toBe(0);
    await page.click('[data-id="remove-gamma"] summary');
    expect(await page.textContent('[data-id="remove-gamma"]')).toContain('This cannot be undone.');
    await page.screenshot({ path: join(SHOTS, 'operator-tenants.png'), fullPage: true });
    await page.check('[data-id="remove-gamma"] input[name="deleteData"]');
    await page.fill('[data-id="remove-gamma"] input[name="confirm"]', 'gamma');
    await page.click('[data-id="remove-gamma"] button');
    expect(await page.textContent('[data-id="notice"]')).toBe("Tenant 'gamma' and all its data deleted.");
    expect((await tenantList(page)).tenants).toEqual(['acme', 'beta']);
    const { rows } = await pool.query<{ action: string; actor: string }>(
      "SELECT action, actor FROM audit_events WHERE action LIKE 'tenants.%' ORDER BY id",
    );
    expect(rows).toEqual([
      { action: 'tenants.add', actor: PEOPLE.operator },
      { action: 'tenants.remove', actor: PEOPLE.operator },
    ]);
  });

  it('no page ran into a script or CSP error', () => {
    expect(errors).toEqual([]);
  });
});
