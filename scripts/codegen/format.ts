import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as estree from 'prettier/plugins/estree';
import * as typescript from 'prettier/plugins/typescript';
import { format } from 'prettier/standalone';
import { REPO_ROOT } from '../metadata/project';

interface PrettierRc {
  printWidth?: number;
  singleQuote?: boolean;
  trailingComma?: 'all' | 'es5' | 'none';
}

/**
 * Formats TypeScript with the options of the repository's .prettierrc.json, so generated files pass
 * `prettier --check`. It uses prettier's standalone build: the Node entry loads plugins through a
 * dynamic import, which jest's CommonJS runtime refuses.
 */
export async function formatTypeScript(source: string, root: string = REPO_ROOT): Promise<string> {
  const rc = JSON.parse(readFileSync(join(root, '.prettierrc.json'), 'utf8')) as PrettierRc;
  return format(source, {
    parser: 'typescript',
    plugins: [estree, typescript],
    printWidth: rc.printWidth,
    singleQuote: rc.singleQuote,
    trailingComma: rc.trailingComma,
  });
}
