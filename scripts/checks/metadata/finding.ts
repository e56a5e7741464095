/** One problem the metadata check found. */
export interface Finding {
  /** Path relative to the project root, with forward slashes. */
  file: string;
  /** Element path inside the file, e.g. `PermissionSet/fieldPermissions[3]/field`; empty for whole-file problems. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
}

/** `file: path: message`, one line per finding. */
export function formatFinding(finding: Finding): string {
  return finding.path ? `${finding.file}: ${finding.path}: ${finding.message}` : `${finding.file}: ${finding.message}`;
}
