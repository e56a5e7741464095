import { makeId } from '../ids';
import { OrgSchema, SField, SObjectDef } from '../schema/model';

/** A stored record: canonical field API name → value (string, number, boolean or null). */
export type SRecord = Record<string, unknown>;

/**
 * The records of one object, kept compact for million-row jobs: one Map by id, and one Map per unique
 * or external-id field from key to id (keys lower-cased unless the field is case-sensitive). Deleted
 * records move (the same object, not a copy) to the recycle bin `deleted` with IsDeleted = true: only
 * queryAll sees them, and they hold no unique or external-id keys.
 */
export class ObjectTable {
  /** Live records. */
  readonly byId = new Map<string, SRecord>();
  /** The recycle bin: soft-deleted records, by id. */
  readonly deleted = new Map<string, SRecord>();
  private readonly indexes = new Map<string, Map<string, string>>();
  private readonly indexedFields: SField[];
  seq: number;

  /** `firstSeq`: where this org's ids start (see `idBase` in org.ts). */
  constructor(
    readonly def: SObjectDef,
    firstSeq = 0,
  ) {
    this.seq = firstSeq;
    this.indexedFields = def.fields.filter((f) => f.unique || f.externalId);
    for (const f of this.indexedFields) this.indexes.set(f.name, new Map());
  }

  /** The index key of a value: case-insensitive fields compare lower-cased. */
  static key(f: SField, value: unknown): string {
    const s = String(value);
    return f.caseSensitive ? s : s.toLowerCase();
  }

  /** Id of the record whose unique/external-id field equals the value, if any. */
  findIdBy(f: SField, value: unknown): string | undefined {
    if (f.type === 'id') return this.byId.has(String(value)) ? String(value) : undefined;
    const index = this.indexes.get(f.name);
    if (index) return index.get(ObjectTable.key(f, value));
    for (const rec of this.byId.values()) if (rec[f.name] === value) return rec.Id as string;
    return undefined;
  }

  nextId(): string {
    return makeId(this.def.keyPrefix, ++this.seq);
  }

  /** Stores a record; one with IsDeleted = true goes to the recycle bin. */
  add(rec: SRecord): void {
    if (rec.IsDeleted === true) {
      this.deleted.set(rec.Id as string, rec);
      return;
    }
    this.byId.set(rec.Id as string, rec);
    for (const f of this.indexedFields) {
      const v = rec[f.name];
      if (v !== null && v !== undefined) this.indexes.get(f.name)?.set(ObjectTable.key(f, v), rec.Id as string);
    }
  }

  /** Applies changes to a stored record, keeping the indexes right. */
  update(rec: SRecord, changes: SRecord): void {
    for (const f of this.indexedFields) {
      if (!(f.name in changes)) continue;
      const index = this.indexes.get(f.name);
      const old = rec[f.name];
      if (old !== null && old !== undefined) index?.delete(ObjectTable.key(f, old));
      const v = changes[f.name];
      if (v !== null && v !== undefined) index?.set(ObjectTable.key(f, v), rec.Id as string);
    }
    Object.assign(rec, changes);
  }

  /** Removes a record for good (live or in the recycle bin): hard delete, rollback, rebuilt setup rows. */
  remove(id: string): SRecord | undefined {
    const binned = this.deleted.get(id);
    if (binned) {
      this.deleted.delete(id);
      return binned;
    }
    const rec = this.byId.get(id);
    if (!rec) return undefined;
    this.byId.delete(id);
    for (const f of this.indexedFields) {
      const v = rec[f.name];
      if (v !== null && v !== undefined) this.indexes.get(f.name)?.delete(ObjectTable.key(f, v));
    }
    return rec;
  }

  /** Moves a live record to the recycle bin: IsDeleted = true plus `changes` (stamps, MasterRecordId). */
  softDelete(rec: SRecord, changes: SRecord): void {
    this.remove(rec.Id as string);
    Object.assign(rec, changes, { IsDeleted: true });
    this.deleted.set(rec.Id as string, rec);
  }
}

/** All records of the org, one table per object. */
export class RecordStore {
  private readonly tables = new Map<string, ObjectTable>();
  private readonly byDef = new Map<SObjectDef, ObjectTable>();

  constructor(
    private readonly schema: OrgSchema,
    private readonly firstSeq = 0,
  ) {}

  /** The table of an object (created on first use). */
  table(def: SObjectDef): ObjectTable {
    const known = this.byDef.get(def);
    if (known) return known;
    const key = def.name.toLowerCase();
    let t = this.tables.get(key);
    if (!t) {
      t = new ObjectTable(def, this.firstSeq);
      this.tables.set(key, t);
    }
    this.byDef.set(def, t);
    return t;
  }

  /** Finds the table that holds an id, by its key prefix. */
  tableForId(id: string): ObjectTable | undefined {
    const prefix = id.slice(0, 3);
    for (const def of this.schema.objects.values()) if (def.keyPrefix === prefix) return this.table(def);
    return undefined;
  }

  /** Every table that has been used, for persistence. */
  allTables(): ObjectTable[] {
    return [...this.tables.values()];
  }
}
