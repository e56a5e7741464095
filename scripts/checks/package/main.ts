import { rmSync } from 'node:fs';
import { REPO_ROOT } from '../../metadata/project';
import { buildLwc } from '../../scratch/build';
import { checkPackage } from './check';
import { formatPackageFinding } from './finding';

/**
 * CLI: `tsx scripts/checks/package/main.ts [projectRoot]`. Builds the LWC TypeScript, then checks the
 * package as the platform receives it; exit 1 when there are findings.
 */
async function main(): Promise<void> {
  const root = process.argv[2] ?? REPO_ROOT;
  const started = Date.now();
  buildLwc(root);
  const { findings, converted, counts } = await checkPackage(root);
  rmSync(converted.dir, { recursive: true, force: true });
  for (const finding of findings) console.log(formatPackageFinding(finding));
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const summary = `${converted.bundles.length} LWC bundles compiled, ${total} components converted`;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (findings.length) {
    console.error(`Package check: ${findings.length} finding(s); ${summary} (${seconds}s).`);
    process.exitCode = 1;
  } else {
    console.log(`Package check: no findings; ${summary} (${seconds}s).`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
