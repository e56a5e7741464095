import type { ApexCheckName, ApexFinding } from './finding';
import { apexFiles } from './files';
import { checkApexFormatting } from './format';
import { checkApexPmd } from './pmd';
import { checkApexSemantics } from './semantic';

/** The outcome of one of the three Apex checks. */
export interface ApexCheckResult {
  check: ApexCheckName;
  findings: ApexFinding[];
  /** Wall-clock time of the check in milliseconds. */
  millis: number;
}

async function timed(check: ApexCheckName, run: () => Promise<ApexFinding[]>): Promise<ApexCheckResult> {
  const started = Date.now();
  const findings = await run();
  return { check, findings, millis: Date.now() - started };
}

/**
 * Runs the three offline Apex checks on the sfdx project in `root`, one after the other (each is
 * CPU-heavy): prettier-plugin-apex formatting and syntax, apex-ls semantics, PMD Recommended rules.
 * With no Apex in the project, all three pass without starting Java.
 */
export async function checkApex(root: string): Promise<ApexCheckResult[]> {
  const files = apexFiles(root);
  if (files.length === 0)
    return (['format', 'apex-ls', 'pmd'] as const).map((check) => ({ check, findings: [], millis: 0 }));
  return [
    await timed('format', () => checkApexFormatting(root, files)),
    await timed('apex-ls', () => checkApexSemantics(root)),
    await timed('pmd', () => checkApexPmd(root)),
  ];
}
