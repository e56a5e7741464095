import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { children, parseMetadataXml, text, texts } from '../../metadata/xml';
import type { PackageFinding } from './finding';

/** The committed component count per Metadata API type; a developer changes it on purpose. */
export const EXPECTED_COUNTS_FILE = 'scripts/checks/package/expected-components.json';

/** Members per Metadata API type in the converted package's `package.xml`. */
export function componentCounts(convertedDir: string): Record<string, number> {
  const { root } = parseMetadataXml(readFileSync(join(convertedDir, 'package.xml'), 'utf8'), 'package.xml');
  const counts: Record<string, number> = {};
  for (const type of children(root, 'types')) counts[text(type, 'name') ?? ''] = texts(type, 'members').length;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** Reads the expected counts; a missing or malformed file is an error that says how to write it. */
export function readExpectedCounts(root: string): Record<string, number> {
  const file = join(root, EXPECTED_COUNTS_FILE);
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Object.values(parsed).some((n) => !Number.isInteger(n))) {
      throw new Error('expected an object of Metadata API type → whole number');
    }
    return parsed as Record<string, number>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Cannot read ${EXPECTED_COUNTS_FILE} (${reason}): it holds {"ApexClass": 46, ...}, one entry per type in package.xml.`,
    );
  }
}

/**
 * Compares the converted package's counts per type with the committed ones: a component that
 * appears or disappears from the payload without the file changing with it is a finding.
 */
export function countFindings(actual: Record<string, number>, expected: Record<string, number>): PackageFinding[] {
  const findings: PackageFinding[] = [];
  for (const type of [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort()) {
    const found = actual[type] ?? 0;
    const wanted = expected[type] ?? 0;
    if (found === wanted) continue;
    findings.push({
      check: 'counts',
      file: EXPECTED_COUNTS_FILE,
      message:
        `${type}: the deploy payload has ${found}, ${wanted} expected. If that change is intended, ` +
        (found ? `set "${type}": ${found}` : `remove "${type}"`) +
        ` in ${EXPECTED_COUNTS_FILE}; otherwise check .forceignore and the source`,
    });
  }
  return findings;
}
