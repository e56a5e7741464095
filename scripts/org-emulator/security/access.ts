import { PermissionSetDef, withNamespace } from '../../metadata/project';
import { SField, SObjectDef } from '../schema/model';

/** Object permissions as a permission set grants them (Metadata API ObjectPermissions). */
export interface ObjectAccess {
  read: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
  viewAll: boolean;
  modifyAll: boolean;
}

const NONE: ObjectAccess = { read: false, create: false, edit: false, delete: false, viewAll: false, modifyAll: false };
const ALL: ObjectAccess = { read: true, create: true, edit: true, delete: true, viewAll: true, modifyAll: true };

/**
 * What one user may do, combined from the permission sets assigned to them. Salesforce grants the
 * union of the profile and all permission sets ("Permission Sets", Salesforce Help); Modify All
 * implies Read, Edit, Delete and View All. Field-level security applies to custom fields that are
 * not required; required fields are always readable and editable (Metadata API PermissionSet:
 * required fields cannot be listed in fieldPermissions).
 */
export class UserAccess {
  private readonly objects = new Map<string, ObjectAccess>();
  private readonly fields = new Map<string, { readable: boolean; editable: boolean }>();

  constructor(
    readonly namespace: string,
    readonly modifyAllData: boolean,
    readonly apiEnabled: boolean,
    readonly apiOnly: boolean,
    permissionSets: PermissionSetDef[],
  ) {
    for (const ps of permissionSets) this.addPermissionSet(ps);
  }

  private addPermissionSet(ps: PermissionSetDef): void {
    for (const op of ps.objects) {
      const key = withNamespace(this.namespace, op.object).toLowerCase();
      const cur = this.objects.get(key) ?? { ...NONE };
      const modifyAll = cur.modifyAll || op.modifyAllRecords;
      const viewAll = cur.viewAll || op.viewAllRecords || modifyAll;
      this.objects.set(key, {
        read: cur.read || op.allowRead || viewAll,
        create: cur.create || op.allowCreate,
        edit: cur.edit || op.allowEdit || modifyAll,
        delete: cur.delete || op.allowDelete || modifyAll,
        viewAll,
        modifyAll,
      });
    }
    for (const [key, fa] of ps.fields) {
      const cur = this.fields.get(key) ?? { readable: false, editable: false };
      this.fields.set(key, {
        readable: cur.readable || fa.readable || fa.editable,
        editable: cur.editable || fa.editable,
      });
    }
  }

  /** Object permissions; setup and Tooling objects are readable by every API user. */
  object(obj: SObjectDef): ObjectAccess {
    if (this.modifyAllData) return ALL;
    if (obj.setup) return { ...NONE, read: true, viewAll: true };
    return this.objects.get(obj.name.toLowerCase()) ?? NONE;
  }

  fieldReadable(obj: SObjectDef, f: SField): boolean {
    if (!this.object(obj).read) return false;
    if (this.modifyAllData || !f.flsKey) return true;
    return this.fields.get(f.flsKey)?.readable ?? false;
  }

  fieldEditable(obj: SObjectDef, f: SField): boolean {
    if (!this.fieldReadable(obj, f)) return false;
    if (this.modifyAllData || !f.flsKey) return true;
    return this.fields.get(f.flsKey)?.editable ?? false;
  }
}
