import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ALLOWED, EXCLUDED_DIRS, EXCLUDED_SEGMENTS, LIMITS, ROOTS } from './config';
import { measureSource } from './measure';

/** What the size check measures against and which oversized items it tolerates. */
export interface SizeOptions {
  roots: readonly string[];
  excludedDirs: readonly string[];
  limits: { fileLines: number; functionLines: number };
  allowed: Readonly<Record<string, number>>;
}

/** The repository's own settings (scripts/checks/size/config.ts). */
const DEFAULT_OPTIONS: SizeOptions = {
  roots: ROOTS,
  excludedDirs: EXCLUDED_DIRS,
  limits: LIMITS,
  allowed: ALLOWED,
};

/** One item over a limit, or an allowance that no longer matches the tree. */
export interface SizeFinding {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  line: number;
  /** The function's name; absent for a whole file. */
  name?: string;
  lines: number;
  limit: number;
  /** `over` = over the limit and not allowed; `grown` = allowed but larger than allowed; `stale` = allowance to remove. */
  kind: 'over' | 'grown' | 'stale';
  allowed?: number;
}

/** Every measured TypeScript source file under `roots`, relative to `repoRoot`, sorted. */
function sourceFiles(repoRoot: string, options: Pick<SizeOptions, 'roots' | 'excludedDirs'>): string[] {
  const files: string[] = [];
  const walk = (relative: string): void => {
    const entries = readdirSync(path.join(repoRoot, relative), { withFileTypes: true });
    for (const entry of entries) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!isExcludedDir(child, entry.name, options.excludedDirs)) walk(child);
      } else if (entry.isFile() && isMeasured(entry.name)) {
        files.push(child);
      }
    }
  };
  for (const root of options.roots) {
    if (!existsSync(path.join(repoRoot, root))) {
      throw new Error(`Size check: ${root}/ not found under ${repoRoot}; pass the repository root.`);
    }
    walk(root);
  }
  return files.sort();
}

function isExcludedDir(relative: string, name: string, excludedDirs: readonly string[]): boolean {
  return (EXCLUDED_SEGMENTS as readonly string[]).includes(name) || excludedDirs.includes(relative);
}

function isMeasured(name: string): boolean {
  if (name.endsWith('.d.ts') || /\.(test|spec)\.tsx?$/.test(name)) return false;
  return /\.(ts|tsx|mts|cts)$/.test(name);
}

/**
 * Measures every source file and returns what breaks the limits, sorted by file and line: items over a
 * limit that are not allowed, allowed items that grew, and allowances that no longer apply.
 */
export function checkSizes(repoRoot: string, options: SizeOptions = DEFAULT_OPTIONS): SizeFinding[] {
  const findings: SizeFinding[] = [];
  const unused = new Set(Object.keys(options.allowed));
  // Items sharing a key (two `up` methods of one migration list) share its allowance: each must stay
  // within it, and it is stale only when none of them is over the limit.
  const judge = (key: string, items: Omit<SizeFinding, 'kind' | 'allowed'>[]): void => {
    const allowed = options.allowed[key];
    const over = items.filter((item) => item.lines > item.limit);
    if (allowed === undefined) {
      for (const item of over) findings.push({ ...item, kind: 'over' });
      return;
    }
    unused.delete(key);
    const largest = items.reduce((a, b) => (b.lines > a.lines ? b : a));
    if (!over.length) findings.push({ ...largest, kind: 'stale', allowed });
    for (const item of over) if (item.lines > allowed) findings.push({ ...item, kind: 'grown', allowed });
  };
  for (const file of sourceFiles(repoRoot, options)) {
    const size = measureSource(file, readFileSync(path.join(repoRoot, file), 'utf8'));
    judge(file, [{ file, line: 1, lines: size.lines, limit: options.limits.fileLines }]);
    const byKey = new Map<string, Omit<SizeFinding, 'kind' | 'allowed'>[]>();
    for (const fn of size.functions) {
      const key = `${file}#${fn.name}`;
      const item = { file, line: fn.line, name: fn.name, lines: fn.lines, limit: options.limits.functionLines };
      byKey.set(key, [...(byKey.get(key) ?? []), item]);
    }
    for (const [key, items] of byKey) judge(key, items);
  }
  for (const key of unused) {
    const [file = key, name] = key.split('#');
    const limit = name === undefined ? options.limits.fileLines : options.limits.functionLines;
    findings.push({ file, line: 0, name, lines: 0, limit, kind: 'stale', allowed: options.allowed[key] });
  }
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** One line per finding: `file:line name: N lines (limit L)` and what to do about it. */
export function formatSizeFinding(finding: SizeFinding): string {
  const what = finding.name === undefined ? 'file' : `function ${finding.name}`;
  const where = `${finding.file}:${finding.line}`;
  switch (finding.kind) {
    case 'over':
      return `${where} ${what}: ${finding.lines} lines, over the limit of ${finding.limit}; split it along its steps.`;
    case 'grown':
      return `${where} ${what}: ${finding.lines} lines, grew past its allowance of ${finding.allowed} (limit ${finding.limit}); shrink it.`;
    case 'stale':
      return finding.lines === 0
        ? `${where} ${what}: allowed ${finding.allowed} lines but not found; remove it from scripts/checks/size/config.ts.`
        : `${where} ${what}: ${finding.lines} lines, within the limit of ${finding.limit}; remove its allowance from scripts/checks/size/config.ts.`;
  }
}
