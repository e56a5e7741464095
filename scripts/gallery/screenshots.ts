import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, waitForSettled } from './browser';
import { SHOTS_DIR } from './paths';
import { FRAMES, STATE_LABELS } from './catalog';
import { allPages } from './scenes';

/** The file name of a page's screenshot: `<component>--<state>[--<frame>].png`. */
function shotName(component: string, state: string, frame: string, defaultFrame: string): string {
  return `${component}--${state}${frame === defaultFrame ? '' : `--${frame}`}.png`;
}

export interface ScreenshotOptions {
  baseUrl: string;
  dir?: string;
  /** Only these components (keys); default every one. */
  only?: string[];
  onShot?: (file: string) => void;
}

/** The README's Account picture: the top of the page (the card lists every member, 40 on the demo's Account). */
const README_ACCOUNT_SHOT = 'account-page--top.png';
const README_HEIGHT = 760;

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
    for (const p of allPages().filter((page) => !opts.only || opts.only.includes(page.component.key))) {
      const phone = p.frame === 'phone';
      const page = await browser.newPage({
        viewport: { width: phone ? 376 : 1280, height: 900 },
        deviceScaleFactor: 1,
      });
      await page.goto(`${opts.baseUrl}/page?c=${p.component.key}&s=${p.state}&w=${p.frame}`);
      await waitForSettled(page, p.state === 'loading');
      const file = shotName(p.component.key, p.state, p.frame, p.component.frame);
      await page.locator('[data-id="frame"]').screenshot({ path: join(dir, file) });
      written.push(file);
      opts.onShot?.(file);
      if (p.component.key === 'account-summary' && p.state === 'data' && p.frame === p.component.frame) {
        const box = await page.locator('[data-id="frame"]').boundingBox();
        if (box) {
          const clip = { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, README_HEIGHT) };
          await page.screenshot({ path: join(dir, README_ACCOUNT_SHOT), clip });
          written.push(README_ACCOUNT_SHOT);
        }
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return written;
}

const START = '<!-- gallery:start (written by npm run docs:components) -->';
const END = '<!-- gallery:end -->';

/**
 * The pictures section of docs/components.md, between its markers: one heading per component, one
 * captioned picture per state and width.
 */
function galleryMarkdown(): string {
  const lines: string[] = [START];
  let current = '';
  for (const p of allPages()) {
    if (p.component.key !== current) {
      current = p.component.key;
      // One blank line between blocks, as prettier keeps Markdown.
      if (lines[lines.length - 1] !== '') lines.push('');
      lines.push(`### ${p.component.title}`, '');
    }
    const file = shotName(p.component.key, p.state, p.frame, p.component.frame);
    const caption = `${STATE_LABELS[p.state]} — ${FRAMES[p.frame].label} (${FRAMES[p.frame].width} px)`;
    lines.push(`**${caption}**`, '', `![${p.component.title}, ${caption}](components/${file})`, '');
  }
  lines.push(END);
  return lines.join('\n');
}

/** Replaces the pictures section of `file` (which must hold both markers). */
export function writeGalleryIndex(file: string): void {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file} lacks the markers ${START} ... ${END}.`);
  writeFileSync(file, `${text.slice(0, start)}${galleryMarkdown()}${text.slice(end + END.length)}`);
}
