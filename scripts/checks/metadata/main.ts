import { REPO_ROOT } from '../../metadata/project';
import { checkMetadata } from './check';
import { formatFinding } from './finding';

/** CLI: `tsx scripts/checks/metadata/main.ts [projectRoot]`; exit 1 when there are findings. */
async function main(): Promise<void> {
  const root = process.argv[2] ?? REPO_ROOT;
  const started = Date.now();
  const findings = await checkMetadata(root);
  for (const finding of findings) console.log(formatFinding(finding));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (findings.length) {
    console.error(`Metadata check: ${findings.length} finding(s) in ${seconds}s.`);
    process.exitCode = 1;
  } else {
    console.log(`Metadata check: no findings (${seconds}s).`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 2;
});
