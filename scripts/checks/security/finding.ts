/** The Code Analyzer engines the security check runs. */
export const SECURITY_ENGINES = ['pmd', 'sfge', 'eslint', 'retire-js', 'regex'] as const;

/** One of {@link SECURITY_ENGINES}. */
export type SecurityEngine = (typeof SECURITY_ENGINES)[number];

/** One Code Analyzer violation, reduced to what the check and the justification file need. */
export interface SecurityFinding {
  engine: string;
  rule: string;
  /** 1 = critical … 5 = info. */
  severity: number;
  /** Path relative to the project root, forward slashes. */
  file: string;
  line?: number;
  /** The trimmed source line the finding points at ('' when it has no line): what a justification names. */
  code: string;
  message: string;
}

/** `file:line: engine/rule (severity n): message`. */
export function formatSecurityFinding(finding: SecurityFinding): string {
  const where = finding.line ? `${finding.file}:${finding.line}` : finding.file;
  return `${where}: ${finding.engine}/${finding.rule} (severity ${finding.severity}): ${finding.message}`;
}
