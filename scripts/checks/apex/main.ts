import { REPO_ROOT } from '../../metadata/project';
import { checkApex } from './check';
import { formatApexFinding } from './finding';

const TITLES = {
  format: 'Formatting and syntax (prettier-plugin-apex)',
  'apex-ls': 'Semantics (apex-ls: unknown types, methods, fields)',
  pmd: 'PMD Recommended rules (severity 1-2 fail)',
};

/** CLI: `tsx scripts/checks/apex/main.ts [projectRoot]`; exit 1 when any check has blocking findings. */
async function main(): Promise<void> {
  const root = process.argv[2] ?? REPO_ROOT;
  let failed = false;
  for (const result of await checkApex(root)) {
    const blocking = result.findings.filter((f) => f.blocking).length;
    const warnings = result.findings.length - blocking;
    const verdict = blocking ? `FAIL: ${blocking} error(s)` : 'ok';
    console.log(`${TITLES[result.check]}: ${verdict}, ${warnings} warning(s) (${(result.millis / 1000).toFixed(1)}s)`);
    for (const finding of result.findings) console.log(`  ${formatApexFinding(finding)}`);
    failed ||= blocking > 0;
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
