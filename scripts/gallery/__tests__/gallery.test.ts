/**
 * The gallery in a real browser (Debian's Chromium through playwright-core): every component drawn from
 * the demo's data renders content without errors, passes axe-core's WCAG 2 A/AA rules, fits the record
 * page's sidebar without horizontal scrolling, and the Community summary's sparklines draw the weekly
 * counts the (stand-in) controller computed from the org's activities.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { sparklineGeometry } from '../../../force-app/main/default/lwc/tightknitCommunityActivitySummary/sparkline';
import { CHROMIUM, launchChromium, waitForSettled } from '../browser';
import { buildGallery, galleryIsStale } from '../build';
import { COMPONENTS, FRAMES } from '../catalog';
import { callApex } from '../data/registry';
import { prepareGalleryOrg, type GalleryOrg } from '../org';
import { startGalleryServer, type GalleryServer } from '../server';

const available = existsSync(CHROMIUM);
if (!available && process.env.CI)
  throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium package.`);
if (!available) process.stderr.write(`Skipping the gallery's browser test: no Chromium at ${CHROMIUM}.\n`);
const maybe = available ? describe : describe.skip;

jest.setTimeout(180_000);

/** Every element of the page, through (synthetic) shadow roots, that scrolls sideways or sticks out of the column. */
const OVERFLOW_PROBE = `(() => {
  const column = document.querySelector('[data-id="column"]');
  const limit = column.getBoundingClientRect().right + 1;
  const found = [];
  const visit = (el) => {
    const style = getComputedStyle(el);
    const scrolls = ['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const rect = el.getBoundingClientRect();
    if (scrolls || (rect.width > 0 && rect.right > limit && style.visibility !== 'hidden')) {
      found.push(el.tagName.toLowerCase() + '.' + String(el.className).split(' ').slice(0, 2).join('.') + (scrolls ? ' scrolls sideways' : ' ends at ' + Math.round(rect.right) + 'px'));
    }
    for (const child of [...(el.shadowRoot ? el.shadowRoot.children : []), ...el.children]) visit(child);
  };
  visit(column);
  return found.slice(0, 5);
})()`;

maybe('the components gallery in Chromium', () => {
  let org: GalleryOrg;
  let server: GalleryServer;
  let browser: Browser;
  const standInErrors: unknown[] = [];

  beforeAll(async () => {
    if (galleryIsStale()) await buildGallery();
    org = await prepareGalleryOrg();
    server = await startGalleryServer({ org, onError: (e) => standInErrors.push(e) });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await org?.close();
  });

  /** Opens a gallery page and returns it with the console errors it logged. */
  async function open(c: string, s: string, w: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: w === 'phone' ? 376 : 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      // The sample's avatars are on avatars.example.com, which never resolves: on the platform they load
      // (or lightning-avatar falls back to its icon, as here). Everything the gallery itself serves counts.
      const external = m.text().startsWith('Failed to load resource') && !m.location().url.startsWith(server.url);
      if (m.type() === 'error' && !external) errors.push(m.text());
    });
    await page.goto(`${server.url}/page?c=${c}&s=${s}&w=${w}`);
    await waitForSettled(page, false);
    return { page, errors };
  }

  async function axeViolations(page: Page): Promise<string[]> {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    return page.evaluate<string[]>(
      `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } }).then((r) => r.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')))`,
    );
  }

  it.each(COMPONENTS.map((c) => [c.title, c.key, c.frame]))(
    '%s with data (%s, %s): content, no console errors, no axe violations; in the sidebar, no horizontal overflow',
    async (_title, key, frame) => {
      const { page, errors } = await open(key, 'data', frame);
      const column = page.locator('[data-id="column"]');
      expect((await column.innerText()).trim().length).toBeGreaterThan(10);
      expect(await column.locator('c-tightknit-error-panel').count()).toBe(0);
      if (frame === 'sidebar') expect(await page.evaluate<string[]>(OVERFLOW_PROBE)).toEqual([]);
      expect(errors).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
    },
  );

  it.each(COMPONENTS.filter((c) => c.frame === 'main').map((c) => [c.title, c.key]))(
    '%s fits the sidebar without horizontal overflow',
    async (_title, key) => {
      const { page, errors } = await open(key, 'data', 'sidebar');
      const width = await page.evaluate<number>(
        `document.querySelector('[data-id="frame"]').getBoundingClientRect().width`,
      );
      expect(width).toBe(FRAMES.sidebar.width);
      expect(await page.evaluate<string[]>(OVERFLOW_PROBE)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it("draws each member's sparkline from the weekly counts of the community's activities", async () => {
    const { page } = await open('community-summary', 'data', 'main');
    const ctx = { session: org.sessions.rep, schema: org.sessions.rep, now: new Date() };
    const summary = (await callApex(ctx, 'TightknitCommunityActivitySummaryController', 'getTopMembers', {
      communityId: org.demo.community,
      windowDays: 30,
      maxMembers: 10,
    })) as { weeks: number; members: Array<{ memberId: string; activityCount: number; weekly: number[] }> };
    expect(summary.members.length).toBeGreaterThan(3);
    // The counts come from the org's records: every activity of the window lands in one week.
    const since = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 29 * 86_400_000;
    const activities = org.emulator.org.records('tightknit__Activity__c');
    // The newest bucket is the WEEK_IN_YEAR block (7 days from 1 January) that holds today.
    const jan1 = Date.UTC(new Date().getUTCFullYear(), 0, 1);
    const thisBlock = jan1 + Math.floor((Date.now() - jan1) / (7 * 86_400_000)) * 7 * 86_400_000;
    for (const m of summary.members) {
      expect(m.weekly).toHaveLength(summary.weeks);
      const times = activities
        .filter((a) => a.tightknit__Member__c === m.memberId)
        .map((a) => Date.parse(String(a.tightknit__Occurred_At__c)));
      const inWindow = times.filter((t) => t >= since).length;
      expect({
        member: m.memberId,
        count: m.activityCount,
        weeks: m.weekly.reduce((s, n) => s + n, 0),
        newest: m.weekly[m.weekly.length - 1],
      }).toEqual({
        member: m.memberId,
        count: inWindow,
        weeks: inWindow,
        newest: times.filter((t) => t >= thisBlock).length,
      });
    }
    const lines = page.locator('[data-id="column"] polyline');
    const drawn: Array<string | null> = [];
    for (let i = 0; i < (await lines.count()); i++) drawn.push(await lines.nth(i).getAttribute('points'));
    expect(drawn).toEqual(summary.members.map((m) => sparklineGeometry(m.weekly).points));
    await page.close();
  });

  it('answered every Apex call of those pages without a stand-in failure', () => {
    expect(standInErrors).toEqual([]);
  });
});
