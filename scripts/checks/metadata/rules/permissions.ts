import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { XmlNode } from '../../../metadata/xml';
import { children, flag, text, texts } from '../../../metadata/xml';
import type { Finding } from '../finding';
import type { MetadataFile } from '../files';
import { filesOfType, isCustom, PackageIndex, type Rule, type RuleContext } from './context';

type ObjectFlag = 'allowCreate' | 'allowRead' | 'allowEdit' | 'allowDelete' | 'viewAllRecords' | 'modifyAllRecords';

/** What each object permission requires, as Setup enforces it. */
const IMPLIES: [ObjectFlag, ObjectFlag[]][] = [
  ['modifyAllRecords', ['viewAllRecords', 'allowEdit', 'allowDelete', 'allowRead']],
  ['viewAllRecords', ['allowRead']],
  ['allowDelete', ['allowEdit', 'allowRead']],
  ['allowEdit', ['allowRead']],
  ['allowCreate', ['allowRead']],
];

function fieldPermissionFindings(index: PackageIndex, file: MetadataFile, root: XmlNode): Finding[] {
  const findings: Finding[] = [];
  children(root, 'fieldPermissions').forEach((entry, i) => {
    const path = `PermissionSet/fieldPermissions[${i + 1}]`;
    const ref = text(entry, 'field') ?? '';
    const [objectName, fieldName] = ref.split('.');
    if (!objectName || !fieldName) {
      findings.push({ file: file.file, path, message: `field "${ref}" must be Object.Field` });
      return;
    }
    const missing = index.missingField(objectName, fieldName);
    if (missing) {
      findings.push({ file: file.file, path, message: `${missing}; remove this entry or add the field` });
      return;
    }
    const field = index.field(objectName, fieldName);
    if (field && (field.required || field.type === 'MasterDetail')) {
      findings.push({
        file: file.file,
        path,
        message:
          `${ref} is a required field: the platform grants access to it implicitly and rejects a permission set ` +
          'that lists it. Remove this fieldPermissions entry.',
      });
    }
    if (flag(entry, 'editable') && !flag(entry, 'readable')) {
      findings.push({ file: file.file, path, message: `${ref} is editable but not readable; set readable to true` });
    }
  });
  return findings;
}

function objectPermissionFindings(index: PackageIndex, file: MetadataFile, root: XmlNode): Finding[] {
  const findings: Finding[] = [];
  children(root, 'objectPermissions').forEach((entry, i) => {
    const path = `PermissionSet/objectPermissions[${i + 1}]`;
    const objectName = text(entry, 'object') ?? '';
    if (!isCustom(objectName)) {
      findings.push({
        file: file.file,
        path,
        message:
          `object permissions on the standard object ${objectName}: a managed package cannot grant them. ` +
          'Remove the entry; the admin grants access in a permission set of their own (the Setup app explains how).',
      });
      return;
    }
    if (!index.object(objectName)) {
      findings.push({ file: file.file, path, message: `object ${objectName} is not defined in force-app` });
      return;
    }
    for (const [granted, required] of IMPLIES) {
      if (!flag(entry, granted)) continue;
      const lacking = required.filter((r) => !flag(entry, r));
      if (lacking.length) {
        findings.push({
          file: file.file,
          path,
          message: `${objectName}: ${granted} requires ${lacking.join(', ')}; set ${lacking.length > 1 ? 'them' : 'it'} to true`,
        });
      }
    }
  });
  return findings;
}

function classExists(context: RuleContext, name: string): boolean {
  return context.files.some((f) => f.type === 'ApexClass' && f.memberName === name);
}

function referenceFindings(context: RuleContext, file: MetadataFile, root: XmlNode): Finding[] {
  const findings: Finding[] = [];
  if (children(root, 'userPermissions').length) {
    findings.push({
      file: file.file,
      path: 'PermissionSet/userPermissions',
      message:
        'a package permission set cannot carry user permissions (API Enabled and the like). Remove them; ' +
        'the admin grants them, and the Setup app and connection test detect when they are missing.',
    });
  }
  children(root, 'classAccesses').forEach((entry, i) => {
    const name = text(entry, 'apexClass') ?? '';
    if (!classExists(context, name)) {
      findings.push({
        file: file.file,
        path: `PermissionSet/classAccesses[${i + 1}]`,
        message: `Apex class ${name} does not exist in force-app; remove the entry or add the class`,
      });
    }
  });
  const tabsDir = join(dirname(dirname(file.absolutePath)), 'tabs');
  children(root, 'tabSettings').forEach((entry, i) => {
    const tab = text(entry, 'tab') ?? '';
    if (isCustom(tab) && !existsSync(join(tabsDir, `${tab}.tab-meta.xml`))) {
      findings.push({
        file: file.file,
        path: `PermissionSet/tabSettings[${i + 1}]`,
        message: `tab ${tab} is not defined in force-app/main/default/tabs`,
      });
    }
  });
  return findings;
}

function groupFindings(context: RuleContext): Finding[] {
  const findings: Finding[] = [];
  const sets = new Set(filesOfType(context, 'PermissionSet').map((f) => f.memberName));
  for (const file of filesOfType(context, 'PermissionSetGroup')) {
    texts(file.root, 'permissionSets').forEach((value, i) => {
      if (!sets.has(value)) {
        findings.push({
          file: file.file,
          path: `PermissionSetGroup/permissionSets[${i + 1}]`,
          message: `permission set ${value} is not defined in force-app`,
        });
      }
    });
  }
  return findings;
}

/**
 * Every custom permission the package defines must be granted by one of its permission sets (a
 * managed package's custom permission cannot be granted any other way), and every granted one must exist.
 */
function customPermissionFindings(context: RuleContext): Finding[] {
  const defined = new Set(filesOfType(context, 'CustomPermission').map((f) => f.memberName));
  const granted = new Set<string>();
  const findings: Finding[] = [];
  for (const file of filesOfType(context, 'PermissionSet')) {
    children(file.root, 'customPermissions').forEach((entry, i) => {
      const name = text(entry, 'name') ?? '';
      if (flag(entry, 'enabled')) granted.add(name);
      if (!defined.has(name)) {
        findings.push({
          file: file.file,
          path: `PermissionSet/customPermissions[${i + 1}]`,
          message: `custom permission ${name} is not defined in force-app/main/default/customPermissions`,
        });
      }
    });
  }
  for (const file of filesOfType(context, 'CustomPermission')) {
    if (!granted.has(file.memberName)) {
      findings.push({
        file: file.file,
        path: '',
        message: `no package permission set grants ${file.memberName}, so no subscriber user can ever hold it; add it to one`,
      });
    }
  }
  return findings;
}

/** Permission set and permission set group rules a deploy or a package upload would reject. */
export const permissionRules: Rule = (context) => {
  const index = new PackageIndex(context.pkg);
  const findings: Finding[] = [];
  for (const file of filesOfType(context, 'PermissionSet')) {
    findings.push(
      ...fieldPermissionFindings(index, file, file.root),
      ...objectPermissionFindings(index, file, file.root),
      ...referenceFindings(context, file, file.root),
    );
  }
  return [...findings, ...groupFindings(context), ...customPermissionFindings(context)];
};
