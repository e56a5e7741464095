import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { checkPackage } from '../checks/package/check';
import { formatPackageFinding } from '../checks/package/finding';
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

/**
 * What a deploy and a package version send, proven first: builds the LWC TypeScript, converts the
 * source to Metadata API format with source-deploy-retrieve (the library `sf` deploys and packages
 * with, `.forceignore` applied) and runs the package check on it. Returns the converted folder;
 * throws with every finding when the check fails, before anything reaches an org.
 */
export async function preparePackage(root: string = REPO_ROOT): Promise<string> {
  buildLwc(root);
  const { findings, converted } = await checkPackage(root);
  if (findings.length) {
    throw new Error(
      `The package check found ${findings.length} problem(s); nothing was sent to the org:\n` +
        `${findings.map((f) => `  ${formatPackageFinding(f)}`).join('\n')}\n` +
        'Fix them (npm run check:package lists the same) and run the command again.',
    );
  }
  console.log(`Package check passed: ${converted.bundles.length} LWC bundles compiled; payload in ${converted.dir}`);
  return converted.dir;
}
