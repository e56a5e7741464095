/** Which of the three Apex checks produced a finding. */
export type ApexCheckName = 'format' | 'apex-ls' | 'pmd';

/** One problem an Apex check found. */
export interface ApexFinding {
  check: ApexCheckName;
  /** Path relative to the project root, forward slashes. */
  file: string;
  line?: number;
  message: string;
  /** True when the finding fails the check (formatting, apex-ls errors, PMD severity 1–2). */
  blocking: boolean;
}

/** `file:line: [check] message`, with `(warning)` for findings that do not fail the check. */
export function formatApexFinding(finding: ApexFinding): string {
  const where = finding.line ? `${finding.file}:${finding.line}` : finding.file;
  return `${where}: [${finding.check}] ${finding.message}${finding.blocking ? '' : ' (warning)'}`;
}
