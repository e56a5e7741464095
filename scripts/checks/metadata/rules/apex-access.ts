import { existsSync, readFileSync } from 'node:fs';
import { children, flag, text } from '../../../metadata/xml';
import type { Finding } from '../finding';
import { filesOfType, type Rule } from './context';

/** The permission sets through which users reach the components' Apex controllers. */
const CONTROLLER_PERMISSION_SETS = ['Tightknit_Read_Only', 'Tightknit_Admin'];

/** `@AuraEnabled`, its optional parameters, and any further annotations (`@SuppressWarnings('...')`). */
export const AURA_ENABLED_PREFIX = String.raw`@AuraEnabled\b(\s*\([^)]*\))?(\s*@\w+(\s*\([^)]*\))?)*`;

/**
 * An @AuraEnabled signature that reaches `(` before any `;`, `{` or `=`: a method. DTO properties
 * (`@AuraEnabled public String name;`) need no class access.
 */
const AURA_ENABLED_METHOD = new RegExp(`${AURA_ENABLED_PREFIX}[^;{=()]*\\(`, 'i');

/** Apex source without comments and string literals, so a commented-out annotation does not count. */
function code(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/.*$/gm, ' ')
    .replace(/'(?:\\.|[^'\\])*'/g, "''");
}

/**
 * Every Apex class with an @AuraEnabled method must be granted in Tightknit_Read_Only or
 * Tightknit_Admin: otherwise the component that calls it fails for every user at run time.
 */
export const apexAccessRules: Rule = (context) => {
  const granted = new Set<string>();
  for (const file of filesOfType(context, 'PermissionSet')) {
    if (!CONTROLLER_PERMISSION_SETS.includes(file.memberName)) continue;
    for (const entry of children(file.root, 'classAccesses')) {
      if (flag(entry, 'enabled')) granted.add(text(entry, 'apexClass') ?? '');
    }
  }
  const findings: Finding[] = [];
  for (const file of context.files.filter((f) => f.type === 'ApexClass')) {
    const classFile = file.absolutePath.replace(/-meta\.xml$/, '');
    if (!existsSync(classFile)) {
      findings.push({ file: file.file, path: '', message: `${file.memberName}.cls is missing next to its -meta.xml` });
      continue;
    }
    const source = readFileSync(classFile, 'utf8');
    if (!AURA_ENABLED_METHOD.test(code(source)) || granted.has(file.memberName)) continue;
    findings.push({
      file: file.file.replace(/-meta\.xml$/, ''),
      path: '',
      message:
        `${file.memberName} has @AuraEnabled methods but no enabled classAccesses entry in ` +
        `${CONTROLLER_PERMISSION_SETS.join(' or ')}; add one so users of the components can call it`,
    });
  }
  return findings;
};
