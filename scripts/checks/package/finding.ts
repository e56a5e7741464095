/** Which part of the package check produced a finding. */
type PackageCheckName = 'compile' | 'references' | 'templates' | 'payload' | 'counts';

/** One problem the package check found. */
export interface PackageFinding {
  check: PackageCheckName;
  /** Path relative to the project root, forward slashes. */
  file: string;
  line?: number;
  /** What is wrong and how to fix it. */
  message: string;
}

/** `file:line: [check] message`, one line per finding. */
export function formatPackageFinding(finding: PackageFinding): string {
  const where = finding.line ? `${finding.file}:${finding.line}` : finding.file;
  return `${where}: [${finding.check}] ${finding.message}`;
}
