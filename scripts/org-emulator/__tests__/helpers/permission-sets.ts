import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPackageProject } from '../../../metadata/project';

/** A temporary copy of the package's permission sets, edited by `edit(name, xml)`; call `remove()` after. */
export function permissionSetCopy(edit: (name: string, xml: string) => string): { dir: string; remove: () => void } {
  const source = join(readPackageProject().packageDir, 'permissionsets');
  const dir = mkdtempSync(join(tmpdir(), 'tk-permsets-'));
  for (const f of readdirSync(source)) {
    copyFileSync(join(source, f), join(dir, f));
    writeFileSync(join(dir, f), edit(f.replace('.permissionset-meta.xml', ''), readFileSync(join(dir, f), 'utf8')));
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Removes the fieldPermissions entry of one field (e.g. `Member__c.Contact__c`). */
export function withoutFls(xml: string, field: string): string {
  return xml.replace(
    new RegExp(
      `\\s*<fieldPermissions>(?:(?!</fieldPermissions>)[\\s\\S])*<field>${field.replace('.', '\\.')}</field>[\\s\\S]*?</fieldPermissions>`,
    ),
    '',
  );
}

/** Turns View All and Modify All off everywhere. */
export function withoutModifyAll(xml: string): string {
  return xml
    .replace(/<modifyAllRecords>true<\/modifyAllRecords>/g, '<modifyAllRecords>false</modifyAllRecords>')
    .replace(/<viewAllRecords>true<\/viewAllRecords>/g, '<viewAllRecords>false</viewAllRecords>');
}
