import type { SecurityFinding } from './finding';
import { justifies, type Justification } from './justification';

/** Severities (1 = critical … 5 = info) at or below this number fail unless justified. */
export const BLOCKING_SEVERITY = 2;

/** The check fails when this many severity 3 findings or more remain. */
export const SEVERITY_3_LIMIT = 20;

/** What the check concluded from one scan and the justification file. */
export interface SecurityVerdict {
  /** Severity 1-2 findings that no justification names: each fails the check. */
  unjustified: SecurityFinding[];
  /** Justifications that name no current finding: each fails the check (the file must stay true). */
  stale: Justification[];
  /** Severity 1-2 findings with their reviewed justification. */
  justified: { finding: SecurityFinding; justification: Justification }[];
  severity3: number;
  /** Human-readable reasons the check fails; empty when it passes. */
  failures: string[];
}

/** Compares the findings of a scan with the reviewed justifications; an engine error fails too. */
export function judge(
  findings: SecurityFinding[],
  justifications: Justification[],
  engineErrors: string[] = [],
): SecurityVerdict {
  const blocking = findings.filter((f) => f.severity <= BLOCKING_SEVERITY);
  const justified: SecurityVerdict['justified'] = [];
  const unjustified: SecurityFinding[] = [];
  for (const finding of blocking) {
    const justification = justifications.find((j) => justifies(j, finding));
    if (justification) justified.push({ finding, justification });
    else unjustified.push(finding);
  }
  const stale = justifications.filter((j) => !findings.some((f) => justifies(j, f)));
  const severity3 = findings.filter((f) => f.severity === 3).length;
  const failures = [
    ...engineErrors.map((e) => `the scan is incomplete: ${e}`),
    ...unjustified.map(
      (f) =>
        `unjustified severity ${f.severity} finding ${f.engine}/${f.rule} at ${f.file}:${f.line ?? '?'}: fix it, ` +
        'or add a reviewed justification to docs/security-review.md',
    ),
    ...stale.map(
      (j) =>
        `docs/security-review.md justifies ${j.engine}/${j.rule} at ${j.file} ("${j.code}"), which no longer ` +
        'occurs: remove the entry (or fix its file and code line)',
    ),
  ];
  if (severity3 >= SEVERITY_3_LIMIT) {
    failures.push(`${severity3} severity 3 findings: keep them below ${SEVERITY_3_LIMIT}`);
  }
  return { unjustified, stale, justified, severity3, failures };
}

/** Findings counted per engine, rule and severity, sorted: the figures the check prints. */
export function countByRule(findings: SecurityFinding[]): { key: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const f of findings) {
    const key = `${f.engine}/${f.rule} (severity ${f.severity})`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => a.key.localeCompare(b.key));
}
