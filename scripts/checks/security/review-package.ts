import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OutputFormat, RunResultsFormatter } from '@salesforce/code-analyzer-core';
import { JUSTIFICATION_FILE } from './justification';
import type { SecurityScan } from './scan';

/** Where `npm run security:report` writes, relative to the project root (gitignored). */
const REPORT_DIR = 'reports/security';

/**
 * Writes the review package of `scan` into `<root>/reports/security/`: the Code Analyzer results as
 * HTML and CSV (Code Analyzer's own formats, which the AppExchange review asks partners to submit) and
 * a copy of the justification file. Returns the paths written.
 */
export function writeReviewPackage(root: string, scan: SecurityScan): string[] {
  const dir = join(root, REPORT_DIR);
  mkdirSync(dir, { recursive: true });
  const files = {
    'code-analyzer-results.html': RunResultsFormatter.forFormat(OutputFormat.HTML).format(scan.results),
    'code-analyzer-results.csv': RunResultsFormatter.forFormat(OutputFormat.CSV).format(scan.results),
  };
  const written = Object.entries(files).map(([name, content]) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  });
  copyFileSync(join(root, JUSTIFICATION_FILE), join(dir, 'security-review.md'));
  return [...written, join(dir, 'security-review.md')];
}
