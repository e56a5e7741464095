import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPackageProject, REPO_ROOT } from '../metadata/project';
import { formatTypeScript } from './format';
import { buildSobjectsSource } from './sobjects';

/** Where the generated SObject types live (committed; `npm run codegen` rewrites it). */
export const SOBJECTS_FILE = join(REPO_ROOT, 'scripts', 'generated', 'sobjects.ts');

/** Generates the formatted content of scripts/generated/sobjects.ts from the package in `root`. */
export async function generateSobjects(root: string = REPO_ROOT): Promise<string> {
  return formatTypeScript(buildSobjectsSource(readPackageProject(root)));
}

async function main(): Promise<void> {
  const content = await generateSobjects();
  let previous = '';
  try {
    previous = readFileSync(SOBJECTS_FILE, 'utf8');
  } catch {
    // first run: nothing to compare with
  }
  if (previous === content) {
    console.log(`${SOBJECTS_FILE} is up to date.`);
    return;
  }
  writeFileSync(SOBJECTS_FILE, content);
  console.log(`Wrote ${SOBJECTS_FILE}.`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
