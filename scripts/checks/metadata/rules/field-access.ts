import type { FieldDef } from '../../../metadata/project';
import type { Finding } from '../finding';
import type { Rule } from './context';

/** Field types the platform computes: no one can be granted edit on them. */
const READ_ONLY_TYPES = new Set(['AutoNumber', 'Formula', 'Summary']);

/** Who must see (and, for the sync's user, edit) each custom field; from the design's security model. */
const EXPECTED: { permissionSet: string; packageObjectsOnly: boolean; edit: boolean }[] = [
  { permissionSet: 'Tightknit_Read_Only', packageObjectsOnly: false, edit: false },
  { permissionSet: 'Tightknit_Admin', packageObjectsOnly: false, edit: false },
  { permissionSet: 'Tightknit_Integration_User', packageObjectsOnly: true, edit: true },
];

function grantable(field: FieldDef): boolean {
  return !field.required && field.type !== 'MasterDetail';
}

/**
 * A new field without fieldPermissions is invisible to every user of the package (the sync's
 * Bulk upsert then fails with "No such column"). Every optional custom field must be readable in
 * Tightknit Read Only and Tightknit Admin, and readable and editable by Tightknit Integration User on
 * the package's own data objects (the sync writes them; roll-up fields on standard objects are Apex's).
 */
export const fieldAccessRules: Rule = (context) => {
  const findings: Finding[] = [];
  for (const { permissionSet, packageObjectsOnly, edit } of EXPECTED) {
    const set = context.pkg.permissionSets.get(permissionSet);
    if (!set) continue;
    const file = `force-app/main/default/permissionsets/${permissionSet}.permissionset-meta.xml`;
    for (const object of context.pkg.objects.values()) {
      if (object.customSettingsType || object.name.endsWith('__mdt')) continue;
      if (packageObjectsOnly && !object.definedByPackage) continue;
      for (const field of object.fields.filter(grantable)) {
        const key = `${object.name}.${field.name}`;
        const access = set.fields.get(key);
        const needsEdit = edit && !READ_ONLY_TYPES.has(field.type);
        if (!access?.readable || (needsEdit && !access.editable)) {
          findings.push({
            file,
            path: 'PermissionSet/fieldPermissions',
            message: `${key} needs readable${needsEdit ? ' and editable' : ''} fieldPermissions in ${permissionSet}`,
          });
        }
      }
    }
  }
  return findings;
};
