import { EmulatedOrg } from '../org';
import { SField, SObjectDef } from '../schema/model';
import { UserAccess } from '../security/access';
import { ForeignKeyRef, resolveForeignKey } from '../store/foreign-key';

/** How one CSV column is applied. */
export type Column =
  | { kind: 'id'; index: number }
  | { kind: 'field'; index: number; field: SField }
  | { kind: 'foreignKey'; index: number; fk: ForeignKeyRef };

/** The compiled header, or the job-level error Salesforce reports for it. */
export type ColumnPlan = { ok: true; columns: Column[]; keyIndex: number } | { ok: false; errorMessage: string };

/**
 * Compiles a header row. Names are matched case-insensitively; `Rel__r.ExtId__c` (or `Rel.Field`
 * for standard lookups) reference a parent by an external-id field ("Relationship Fields in a
 * Header Row"). An unknown column, or one the user cannot edit (no FLS), fails the whole job with
 * `InvalidBatch : Field name not found : <column>` — only the first bad column is named.
 */
export function compileHeader(
  org: EmulatedOrg,
  obj: SObjectDef,
  access: UserAccess,
  header: string[],
  keyFieldName?: string,
): ColumnPlan {
  const columns: Column[] = [];
  const notFound = (name: string): ColumnPlan => ({
    ok: false,
    errorMessage: `InvalidBatch : Field name not found : ${name}`,
  });
  for (let index = 0; index < header.length; index++) {
    const name = header[index];
    const dot = name.indexOf('.');
    if (dot > 0) {
      const relPart = name.slice(0, dot);
      const typed = relPart.split(':');
      if (typed.length > 1)
        return {
          ok: false,
          errorMessage: `InvalidBatch : type is not needed for non polymorphic foreign key references: ${name}`,
        };
      const fk = resolveForeignKey(org, obj, relPart, name.slice(dot + 1));
      if (!fk || !access.fieldEditable(obj, fk.ref) || !access.fieldReadable(fk.parent, fk.key)) return notFound(name);
      columns.push({ kind: 'foreignKey', index, fk });
      continue;
    }
    const f = obj.byName.get(name.toLowerCase());
    if (!f) return notFound(name);
    if (f.type === 'id') {
      columns.push({ kind: 'id', index });
      continue;
    }
    if (!access.fieldReadable(obj, f) || (f.flsKey && !access.fieldEditable(obj, f))) return notFound(name);
    columns.push({ kind: 'field', index, field: f });
  }
  const keyIndex = keyFieldName
    ? header.findIndex((h) => h.toLowerCase() === keyFieldName.toLowerCase())
    : header.findIndex((h) => h.toLowerCase() === 'id');
  return { ok: true, columns, keyIndex };
}
