import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../../metadata/project';
import type { ApexFinding } from './finding';
import { projectPath } from './files';
import { runProcess } from './run';

const PRETTIER = join(REPO_ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');

/**
 * Checks that every Apex file is formatted as prettier-plugin-apex formats it, with the
 * repository's .prettierrc.json (also for projects outside the repository). Syntax errors fail too,
 * since the plugin parses with Salesforce's own Apex parser. One prettier process for all files.
 */
export async function checkApexFormatting(root: string, files: string[]): Promise<ApexFinding[]> {
  if (files.length === 0) return [];
  const result = await runProcess(
    process.execPath,
    [PRETTIER, '--config', join(REPO_ROOT, '.prettierrc.json'), '--list-different', ...files],
    { cwd: REPO_ROOT, missing: 'Could not start node to run prettier' },
  );
  const findings: ApexFinding[] = [];
  for (const line of result.stdout.split('\n').filter(Boolean)) {
    findings.push({
      check: 'format',
      file: projectPath(root, resolve(REPO_ROOT, line.trim())),
      message: 'not formatted; run `npx prettier --write <file>` (prettier-plugin-apex)',
      blocking: true,
    });
  }
  for (const match of result.stderr.matchAll(/^\[error\] (\S.*?\.(?:cls|trigger)): (.+)$/gm)) {
    const reason = match[2]
      .replace(/\[error\]\s*$/, '')
      .replace(/^\w*Error: /, '')
      .trim();
    const position = /line (\d+)/i.exec(reason);
    findings.push({
      check: 'format',
      file: projectPath(root, resolve(REPO_ROOT, match[1])),
      line: position ? Number(position[1]) : undefined,
      message: `Apex syntax error (prettier-plugin-apex cannot parse it): ${reason}`,
      blocking: true,
    });
  }
  if (result.code !== 0 && findings.length === 0) {
    throw new Error(`prettier exited with ${result.code} without naming a file:\n${result.stderr || result.stdout}`);
  }
  return findings;
}
