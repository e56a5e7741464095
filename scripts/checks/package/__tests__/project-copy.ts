import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../../../metadata/project';
import { EXPECTED_COUNTS_FILE } from '../counts';

/** The LWC folder of the package, relative to the project root. */
export const LWC = 'force-app/main/default/lwc';

/** Copies what the package check reads (after the build: with the compiled .js) to a temp project. */
export function copyProject(): string {
  const copy = mkdtempSync(join(tmpdir(), 'tk-package-check-'));
  for (const entry of ['sfdx-project.json', '.forceignore', 'force-app', EXPECTED_COUNTS_FILE]) {
    mkdirSync(dirname(join(copy, entry)), { recursive: true });
    cpSync(join(REPO_ROOT, entry), join(copy, entry), { recursive: true });
  }
  return copy;
}

/** Replaces every `from` with `to` in a file of the copy; fails when `from` is not there (the fixture went stale). */
export function edit(root: string, file: string, from: string, to: string): void {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} no longer contains ${JSON.stringify(from)}: update the test`);
  writeFileSync(path, text.replaceAll(from, to));
}

/** A global OAuth settings file as a developer's checkout may hold it: the consumer secret must never deploy. */
export function addGlobalOauthDecoy(root: string): void {
  const dir = join(root, 'force-app/main/default/extlClntAppGlobalOauthSets');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'Tightknit_Salesforce_glbloauth.ecaGlblOauth-meta.xml'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppGlobalOauthSettings xmlns="http://soap.sforce.com/2006/04/metadata">' +
      '<consumerSecret>secret</consumerSecret></ExtlClntAppGlobalOauthSettings>\n',
  );
}
