import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { children, text } from '../../../metadata/xml';
import type { Finding } from '../finding';
import { AURA_ENABLED_PREFIX } from './apex-access';
import { filesOfType, PackageIndex, withoutNamespace, type Rule, type RuleContext } from './context';

/** Apex or TypeScript source without comments, so commented-out references do not count. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

function labelNames(context: RuleContext): Set<string> {
  const labels = new Set<string>();
  for (const file of filesOfType(context, 'CustomLabels')) {
    for (const label of children(file.root, 'labels')) labels.add(text(label, 'fullName') ?? '');
  }
  return labels;
}

/** Component sources: every non-test `.ts` of every LWC bundle, by project-relative path. */
function componentSources(context: RuleContext): { file: string; source: string }[] {
  const out: { file: string; source: string }[] = [];
  for (const meta of filesOfType(context, 'LightningComponentBundle')) {
    const dir = dirname(meta.absolutePath);
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.d.ts'))) {
      out.push({
        file: `${dirname(meta.file)}/${name}`,
        source: withoutComments(readFileSync(join(dir, name), 'utf8')),
      });
    }
  }
  return out;
}

function apexSource(context: RuleContext, className: string): string | undefined {
  const meta = filesOfType(context, 'ApexClass').find((f) => f.memberName === className);
  const file = meta?.absolutePath.replace(/-meta\.xml$/, '');
  return file && existsSync(file) ? withoutComments(readFileSync(file, 'utf8')) : undefined;
}

/** Why `@salesforce/apex/<ref>` cannot be called, or undefined. */
function apexImportProblem(context: RuleContext, ref: string): string | undefined {
  const parts = ref.split('.');
  const [className, method] = parts.length === 3 ? parts.slice(1) : parts;
  const source = apexSource(context, className);
  if (source === undefined) return `Apex class ${className} is not in force-app/main/default/classes`;
  const auraEnabled = new RegExp(`${AURA_ENABLED_PREFIX}[^;{=()]*\\b${method}\\s*\\(`, 'i');
  return auraEnabled.test(source) ? undefined : `${className}.${method} is not an @AuraEnabled method`;
}

/** Why `@salesforce/schema/<ref>` does not resolve, or undefined. */
function schemaImportProblem(index: PackageIndex, ref: string): string | undefined {
  const [objectName, ...path] = ref.split('.');
  if (path.length === 0) {
    return /__c$/.test(objectName) && !index.object(objectName)
      ? `object ${objectName} is not defined in force-app`
      : undefined;
  }
  let object = withoutNamespace(index.pkg, objectName);
  for (const step of path.slice(0, -1)) {
    const next = index.step(object, step);
    if ('missing' in next) return next.missing;
    if (!('object' in next)) return undefined;
    object = next.object;
  }
  return index.missingField(object, path[path.length - 1]);
}

/**
 * What components and Apex import by name must exist: `@salesforce/label/c.X` and Apex `Label.X`
 * custom labels, `@salesforce/apex/Class.method` @AuraEnabled methods, `@salesforce/schema/...`
 * objects and fields. Jest mocks every one of these imports, so only this check (or a deploy) sees a typo.
 */
export const codeReferenceRules: Rule = (context) => {
  const index = new PackageIndex(context.pkg);
  const labels = labelNames(context);
  const findings: Finding[] = [];
  for (const { file, source } of componentSources(context)) {
    for (const match of source.matchAll(/['"]@salesforce\/(label|apex|schema)\/([^'"]+)['"]/g)) {
      const [, kind, ref] = match;
      let problem: string | undefined;
      if (kind === 'label') {
        const name = ref.replace(/^[a-z]+\./, '');
        if (!labels.has(name)) problem = `custom label ${name} is not in force-app/main/default/labels`;
      } else if (kind === 'apex') {
        problem = apexImportProblem(context, ref);
      } else {
        problem = schemaImportProblem(index, ref);
      }
      if (problem) findings.push({ file, path: `import @salesforce/${kind}/${ref}`, message: problem });
    }
  }
  for (const meta of filesOfType(context, 'ApexClass')) {
    const source = apexSource(context, meta.memberName);
    if (!source) continue;
    const code = source.replace(/'(?:\\.|[^'\\])*'/g, "''");
    for (const match of code.matchAll(/\b(?:System\.)?Label\.([A-Za-z][A-Za-z0-9_]*)/g)) {
      if (!labels.has(match[1])) {
        findings.push({
          file: meta.file.replace(/-meta\.xml$/, ''),
          path: `Label.${match[1]}`,
          message: `custom label ${match[1]} is not in force-app/main/default/labels`,
        });
      }
    }
  }
  return findings;
};
