import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, waitForSettled } from './browser';
import { SHOTS_DIR } from './paths';
import { allPages } from './scenes';

/** The file name of a page's screenshot: `<component>--<state>[--<frame>].png`. */
export function shotName(component: string, state: string, frame: string, defaultFrame: string): string {
  return `${component}--${state}${frame === defaultFrame ? '' : `--${frame}`}.png`;
}

export interface ScreenshotOptions {
  baseUrl: string;
  dir?: string;
  onShot?: (file: string) => void;
}

/**
 * A picture of every gallery page, clipped to the record-page frame, at device scale 1 so that the PNGs
 * stay small. Returns the file names written.
 */
export async function takeScreenshots(opts: ScreenshotOptions): Promise<string[]> {
  const dir = opts.dir ?? SHOTS_DIR;
  mkdirSync(dir, { recursive: true });
  const browser = await launchChromium();
  const written: string[] = [];
  try {
    for (const p of allPages()) {
      const phone = p.frame === 'phone';
      const page = await browser.newPage({ viewport: { width: phone ? 376 : 1280, height: 900 }, deviceScaleFactor: 1 });
      await page.goto(`${opts.baseUrl}/page?c=${p.component.key}&s=${p.state}&w=${p.frame}`);
      await waitForSettled(page, p.state === 'loading');
      const file = shotName(p.component.key, p.state, p.frame, p.component.frame);
      await page.locator('[data-id="frame"]').screenshot({ path: join(dir, file) });
      written.push(file);
      opts.onShot?.(file);
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return written;
}
