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
  /** `object.field`, lower-cased: fields the subscriber's FLS hides from this user (grants.hiddenFields). */
  private readonly hidden: Set<string>;

  constructor(
    readonly namespace: string,
    readonly modifyAllData: boolean,
    readonly apiEnabled: boolean,
    readonly apiOnly: boolean,
    permissionSets: PermissionSetDef[],
    hiddenFields: string[] = [],
  ) {
    for (const ps of permissionSets) this.addPermissionSet(ps);
    this.hidden = new Set(modifyAllData ? [] : hiddenFields.map((f) => f.toLowerCase()));
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
    if (this.hidden.size && this.isHidden(obj, f)) return false;
    if (this.modifyAllData || !f.flsKey) return true;
    return this.fields.get(f.flsKey)?.readable ?? false;
  }

  /** Hidden by name as the object shows it (`Contact.tightknit__X__c`) or as permission set XML names it (`Contact.X__c`). */
  private isHidden(obj: SObjectDef, f: SField): boolean {
    return (
      this.hidden.has(`${obj.name}.${f.name}`.toLowerCase()) || (!!f.flsKey && this.hidden.has(f.flsKey.toLowerCase()))
    );
  }

  fieldEditable(obj: SObjectDef, f: SField): boolean {
    if (!this.fieldReadable(obj, f)) return false;
    if (this.modifyAllData || !f.flsKey) return true;
    return this.fields.get(f.flsKey)?.editable ?? false;
  }
}
