import { REPO_ROOT } from '../../metadata/project';
import { formatSecurityFinding } from './finding';
import { readJustifications } from './justification';
import { scanPackage } from './scan';
import { BLOCKING_SEVERITY, countByRule, judge } from './verdict';

/**
 * CLI: `tsx scripts/checks/security/main.ts [projectRoot]`. Prints the findings per engine and rule,
 * the severity 1-3 findings, and why the check fails; exit 1 when it does.
 */
async function main(): Promise<void> {
  const root = process.argv[2] ?? REPO_ROOT;
  const justifications = readJustifications(root);
  const scan = await scanPackage(root);
  const verdict = judge(scan.findings, justifications, scan.errors);
  console.log(`Code Analyzer: ${scan.findings.length} finding(s) in ${(scan.millis / 1000).toFixed(1)}s`);
  for (const { key, count } of countByRule(scan.findings)) console.log(`  ${String(count).padStart(4)}  ${key}`);
  for (const finding of scan.findings.filter((f) => f.severity <= 3)) {
    const reviewed = verdict.justified.some((j) => j.finding === finding) ? ' (justified)' : '';
    console.log(`${formatSecurityFinding(finding)}${reviewed}`);
  }
  console.log(
    `severity 1-${BLOCKING_SEVERITY}: ${verdict.justified.length} justified, ${verdict.unjustified.length} unjustified; ` +
      `severity 3: ${verdict.severity3}`,
  );
  for (const failure of verdict.failures) console.log(`FAIL: ${failure}`);
  process.exitCode = verdict.failures.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
