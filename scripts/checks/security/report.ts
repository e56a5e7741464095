import { REPO_ROOT } from '../../metadata/project';
import { readJustifications } from './justification';
import { writeReviewPackage } from './review-package';
import { scanPackage } from './scan';
import { countByRule, judge } from './verdict';

/**
 * CLI: `tsx scripts/checks/security/report.ts [projectRoot]`. Scans the package and writes the review
 * package into reports/security/; exit 1 when the security check would fail on the same scan.
 */
async function main(): Promise<void> {
  const root = process.argv[2] ?? REPO_ROOT;
  const justifications = readJustifications(root);
  const scan = await scanPackage(root);
  const written = writeReviewPackage(root, scan);
  const verdict = judge(scan.findings, justifications, scan.errors);
  for (const { key, count } of countByRule(scan.findings)) console.log(`  ${String(count).padStart(4)}  ${key}`);
  for (const file of written) console.log(`wrote ${file}`);
  for (const failure of verdict.failures) console.log(`FAIL: ${failure}`);
  process.exitCode = verdict.failures.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
