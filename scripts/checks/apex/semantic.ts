import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../metadata/project';
import type { ApexFinding } from './finding';
import { projectPath } from './files';
import { runProcess } from './run';

/** apex-ls and its API 65 type libraries ship inside the PMD engine of Salesforce Code Analyzer. */
const APEX_LS_CLASSPATH = join(
  REPO_ROOT,
  'node_modules',
  '@salesforce',
  'code-analyzer-pmd-engine',
  'dist',
  'java-lib',
  '*',
);

/** apex-ls categories that fail the check; `Warning` and `Unused` are reported only. */
const BLOCKING_CATEGORIES = new Set(['Syntax', 'Error', 'Missing']);

/** The parser's "expecting {every keyword of Apex}" lists run to hundreds of tokens; keep a few. */
function shorten(message: string): string {
  return message.replace(/expecting \{([^}]*)\}/, (_all, list: string) => {
    const tokens = list.split(', ');
    return tokens.length > 6
      ? `expecting one of ${tokens.slice(0, 6).join(', ')}, … (${tokens.length} tokens)`
      : `expecting {${list}}`;
  });
}

interface ApexLsReport {
  files: { path: string; messages: { start: { line: number }; category: string; message: string }[] }[];
}

/**
 * Runs apex-ls over the sfdx project in `root`, one Java process: unknown types, methods, variables
 * and SObject fields (it reads sfdx-project.json for the package directories and the namespace, and
 * the objects and fields in force-app). Syntax, Error and Missing issues block; warnings are reported.
 */
export async function checkApexSemantics(root: string): Promise<ApexFinding[]> {
  if (!existsSync(join(root, 'sfdx-project.json'))) {
    throw new Error(
      `${root} has no sfdx-project.json: apex-ls needs it to find the package directories and namespace.`,
    );
  }
  const result = await runProcess(
    'java',
    [
      '-cp',
      APEX_LS_CLASSPATH,
      'io.github.apexdevtools.apexls.CheckForIssues',
      '-n',
      '-w',
      root,
      '-d',
      'warnings',
      '-f',
      'json',
    ],
    {
      cwd: root,
      missing: 'apex-ls needs Java 17 on PATH: install a JDK (apt-get install openjdk-17-jdk-headless) and retry',
    },
  );
  const start = result.stdout.indexOf('{');
  if (start < 0) {
    throw new Error(`apex-ls exited with ${result.code} and no JSON report:\n${result.stderr || result.stdout}`);
  }
  const report = JSON.parse(result.stdout.slice(start)) as ApexLsReport;
  return report.files.flatMap((file) =>
    file.messages.map((m) => ({
      check: 'apex-ls' as const,
      file: projectPath(root, file.path),
      line: m.start.line,
      message: `${m.category}: ${shorten(m.message)}`,
      blocking: BLOCKING_CATEGORIES.has(m.category),
    })),
  );
}
