import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (playwright cannot download browsers here); CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium with the console test's launch options. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** Waits until the page's component has settled: no spinner left and some text shown (unless loading is the point). */
export async function waitForSettled(page: Page, loading: boolean, timeoutMs = 15_000): Promise<void> {
  await page.waitForSelector('[data-id="frame"]');
  // Playwright's locators see through synthetic shadow; document.querySelector does not.
  const column = page.locator('[data-id="column"]');
  const end = Date.now() + timeoutMs;
  for (;;) {
    const spinners = await column.locator('lightning-spinner').count();
    const text = (await column.innerText()).trim();
    if (text && (loading ? spinners > 0 : spinners === 0)) break;
    if (Date.now() > end)
      throw new Error(`${page.url()} did not settle: ${spinners} spinners, text "${text.slice(0, 80)}"`);
    await page.waitForTimeout(50);
  }
  // Icons arrive by lazy import() after the text (a loading page's Apex call never ends: no idle there).
  if (!loading) await page.waitForLoadState('networkidle');
  else await page.waitForTimeout(300);
}
