import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPackageProject, REPO_ROOT } from '../metadata/project';
import { buildFactsSource } from './facts';
import { formatTypeScript } from './format';
import { buildSobjectsSource } from './sobjects';

const GENERATED_DIR = join(REPO_ROOT, 'scripts', 'generated');

/** Where the generated SObject types live (committed; `npm run codegen` rewrites it). */
export const SOBJECTS_FILE = join(GENERATED_DIR, 'sobjects.ts');

/** Where the package facts the sync reads at run time live (committed; `npm run codegen` rewrites it). */
export const FACTS_FILE = join(GENERATED_DIR, 'package-facts.ts');

/** Generates the formatted content of scripts/generated/sobjects.ts from the package in `root`. */
export async function generateSobjects(root: string = REPO_ROOT): Promise<string> {
  return formatTypeScript(buildSobjectsSource(readPackageProject(root)));
}

/** Generates the formatted content of scripts/generated/package-facts.ts from the package in `root`. */
export async function generateFacts(root: string = REPO_ROOT): Promise<string> {
  return formatTypeScript(buildFactsSource(readPackageProject(root)));
}

function writeIfChanged(file: string, content: string): void {
  let previous = '';
  try {
    previous = readFileSync(file, 'utf8');
  } catch {
    // first run: nothing to compare with
  }
  if (previous === content) {
    console.log(`${file} is up to date.`);
    return;
  }
  writeFileSync(file, content);
  console.log(`Wrote ${file}.`);
}

async function main(): Promise<void> {
  writeIfChanged(SOBJECTS_FILE, await generateSobjects());
  writeIfChanged(FACTS_FILE, await generateFacts());
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
