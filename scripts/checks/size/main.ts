import { REPO_ROOT } from '../../metadata/project';
import { checkSizes, formatSizeFinding } from './check';

/**
 * CLI: `tsx scripts/checks/size/main.ts [repoRoot]`. Lists every source file over 400 lines and every
 * function over 100 lines (scripts/checks/size/config.ts); exit 1 when there are findings.
 */
function main(): void {
  const root = process.argv[2] ?? REPO_ROOT;
  const findings = checkSizes(root);
  for (const finding of findings) console.log(formatSizeFinding(finding));
  if (findings.length) {
    console.error(`Size check: ${findings.length} finding(s).`);
    process.exitCode = 1;
  } else {
    console.log('Size check: no findings.');
  }
}

try {
  main();
} catch (error: unknown) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
}
