import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PermissionSetDef } from '../../metadata/project';
import { children, flag, readMetadataXml, text } from '../../metadata/xml';
import { EmulatorGrants } from '../types';

/**
 * Reads permission set XML from a folder other than the package's (tests point the emulator at a
 * copy with FLS removed). Same shape as the shared reader's permission sets; the shared reader in
 * scripts/metadata/project.ts does not export its per-file reader, so this reads only the parts the
 * emulator enforces (object and field permissions, user permissions).
 */
export function readPermissionSetsDir(dir: string): Map<string, PermissionSetDef> {
  const out = new Map<string, PermissionSetDef>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.permissionset-meta.xml'))
    .sort()) {
    const { root } = readMetadataXml(join(dir, file));
    const fields = new Map<string, { readable: boolean; editable: boolean }>();
    for (const fp of children(root, 'fieldPermissions')) {
      fields.set(text(fp, 'field') ?? '', { readable: flag(fp, 'readable'), editable: flag(fp, 'editable') });
    }
    const name = file.replace('.permissionset-meta.xml', '');
    out.set(name, {
      name,
      label: text(root, 'label') ?? name,
      objects: children(root, 'objectPermissions').map((op) => ({
        object: text(op, 'object') ?? '',
        allowCreate: flag(op, 'allowCreate'),
        allowRead: flag(op, 'allowRead'),
        allowEdit: flag(op, 'allowEdit'),
        allowDelete: flag(op, 'allowDelete'),
        viewAllRecords: flag(op, 'viewAllRecords'),
        modifyAllRecords: flag(op, 'modifyAllRecords'),
      })),
      fields,
      classes: [],
      applications: [],
      userPermissions: children(root, 'userPermissions')
        .filter((u) => flag(u, 'enabled'))
        .map((u) => text(u, 'name') ?? ''),
    });
  }
  return out;
}

/** Name of the subscriber-owned permission set that carries the per-scenario grants. */
export const EXTRAS_PERMISSION_SET = 'Sync_User_Extras';

/**
 * The permission set a subscriber admin creates for what the package cannot grant: Contact and Lead
 * access and API Enabled (design.md, "Security model").
 */
export function extrasPermissionSet(g: EmulatorGrants): PermissionSetDef {
  return {
    name: EXTRAS_PERMISSION_SET,
    label: 'Sync User Extras',
    objects: [
      {
        object: 'Contact',
        allowRead: g.contactRead || g.contactCreate || g.contactEdit,
        allowCreate: g.contactCreate,
        allowEdit: g.contactEdit,
        allowDelete: false,
        viewAllRecords: false,
        modifyAllRecords: false,
      },
      {
        object: 'Lead',
        allowRead: g.leadRead,
        allowCreate: false,
        allowEdit: false,
        allowDelete: false,
        viewAllRecords: false,
        modifyAllRecords: false,
      },
    ],
    fields: new Map([
      ['Contact.Community_Engagement_Level__c', { readable: g.contactRead, editable: false }],
      ['Contact.Last_Community_Activity__c', { readable: g.contactRead, editable: false }],
      ['Lead.Community_Engagement_Level__c', { readable: g.leadRead, editable: false }],
      ['Lead.Last_Community_Activity__c', { readable: g.leadRead, editable: false }],
    ]),
    classes: [],
    applications: [],
    userPermissions: g.apiEnabled ? ['ApiEnabled'] : [],
  };
}
