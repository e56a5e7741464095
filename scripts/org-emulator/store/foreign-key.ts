import { EmulatedOrg } from '../org';
import { SField, SObjectDef } from '../schema/model';
import { RowError, rowError } from './row-error';

/** A relationship reference by external id: the lookup field, its parent object and the parent's key field. */
export interface ForeignKeyRef {
  ref: SField;
  parent: SObjectDef;
  key: SField;
}

/**
 * Resolves `Relationship__r.ExtId__c` (Bulk API 2.0 "Relationship Fields in a Header Row"; REST
 * nested relationship objects): the lookup field, its parent object and the parent key field, which
 * must be an external id or an idLookup field. Undefined when the names do not resolve.
 */
export function resolveForeignKey(
  org: EmulatedOrg,
  obj: SObjectDef,
  relName: string,
  keyName: string,
): ForeignKeyRef | undefined {
  const ref = obj.byRelationship.get(relName.toLowerCase());
  const parent = ref?.referenceTo ? org.object(ref.referenceTo) : undefined;
  const key = parent?.byName.get(keyName.toLowerCase());
  if (!ref || !parent || !key || !key.idLookup) return undefined;
  return { ref, parent, key };
}

/** Finds the parent id for a key value, or the error Salesforce reports for an unknown key. */
export function lookupParent(org: EmulatedOrg, fk: ForeignKeyRef, value: string): { id: string } | { error: RowError } {
  const id = org.store.table(fk.parent).findIdBy(fk.key, value);
  if (id) return { id };
  return {
    error: rowError(
      'INVALID_FIELD',
      `Foreign key external ID: ${value} not found for field ${fk.key.name} in entity ${fk.parent.name}`,
      [fk.ref.name],
    ),
  };
}
