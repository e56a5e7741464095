import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../metadata/project';

const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * `npm run build`: compiles each LWC `x.ts` to the `x.js` beside it, which is what deploys and
 * packages (the `.ts` is forceignored). Throws with tsc's output on a type error.
 */
export function buildLwc(root: string = REPO_ROOT): void {
  try {
    execFileSync(process.execPath, [TSC, '-p', join(root, 'tsconfig.json')], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? String(error);
    throw new Error(`npm run build (tsc -p tsconfig.json) failed, so no component can deploy:\n${output}`);
  }
}
