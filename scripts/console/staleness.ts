import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { APP_DIR, CONTRACT_FILE, PUBLIC_DIR } from './paths';

/** Every file under `dir` but tests. */
export function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__tests__') walk(path, out);
    } else out.push(path);
  }
  return out;
}

/**
 * True when dist/console/public/app.js is missing or older than a source file. An installed CLI has no
 * sources (only the bundle `npm pack` built), so its bundle is never stale: it cannot be rebuilt there,
 * and the bundler is not among its dependencies.
 */
export function bundleIsStale(): boolean {
  if (!existsSync(APP_DIR)) return false;
  const bundle = join(PUBLIC_DIR, 'app.js');
  if (!existsSync(bundle)) return true;
  const newest = Math.max(statSync(CONTRACT_FILE).mtimeMs, ...walk(APP_DIR).map((f) => statSync(f).mtimeMs));
  return statSync(bundle).mtimeMs < newest;
}
