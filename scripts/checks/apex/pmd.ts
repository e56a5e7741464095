import { CodeAnalyzer, CodeAnalyzerConfig } from '@salesforce/code-analyzer-core';
import * as pmdEngine from '@salesforce/code-analyzer-pmd-engine';
import type { ApexFinding } from './finding';
import { projectPath } from './files';
import { packageDirectories } from '../metadata/files';

/** PMD severities (1 = critical … 5 = info) at or below this number fail the check. */
const PMD_BLOCKING_SEVERITY = 2;

/**
 * The house rules raise ApexSharingViolations from 3 to 2: every class is `with sharing`
 * (or says `inherited sharing` / `without sharing` on purpose), so a class with none fails.
 */
const SEVERITY_OVERRIDES = { ApexSharingViolations: { severity: 2 } };

/**
 * Runs Salesforce Code Analyzer's PMD engine with the Recommended rules over the package
 * directories of `root` (one PMD run). Severity 1–2 block; the rest are reported as warnings.
 */
export async function checkApexPmd(root: string): Promise<ApexFinding[]> {
  const analyzer = new CodeAnalyzer(CodeAnalyzerConfig.fromObject({ rules: { pmd: SEVERITY_OVERRIDES } }));
  await analyzer.addEnginePlugin(pmdEngine.createEnginePlugin());
  const workspace = await analyzer.createWorkspace(packageDirectories(root));
  const rules = await analyzer.selectRules(['pmd:Recommended'], { workspace });
  const results = await analyzer.run(rules, { workspace });
  return results.getViolations().map((violation) => {
    const rule = violation.getRule();
    const location = violation.getPrimaryLocation();
    const severity = rule.getSeverityLevel() as number;
    return {
      check: 'pmd' as const,
      file: projectPath(root, location.getFile() ?? ''),
      line: location.getStartLine(),
      message: `${rule.getName()} (severity ${severity}): ${violation.getMessage()}`,
      blocking: severity <= PMD_BLOCKING_SEVERITY,
    };
  });
}
