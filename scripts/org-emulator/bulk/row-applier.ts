import { EmulatedOrg } from '../org';
import { SField, SObjectDef } from '../schema/model';
import { Dml, WriteResult } from '../store/dml';
import { lookupParent } from '../store/foreign-key';
import { SRecord } from '../store/record-store';
import { RowError, rowError } from '../store/row-error';
import { fromText } from '../store/values';
import { Column } from './columns';
import { IngestOperation } from './ingest-job';

/** FNV-1a of a string, finalised, mapped to [0, 1): the deterministic "random" behind row faults. */
function unitHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  // MurmurHash3's finaliser spreads the last characters' influence over the high bits.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x100000000;
}

/**
 * Applies CSV rows of one ingest job: an empty cell leaves a field unchanged and `#N/A` clears it
 * ("Valid Record Rows"); lookups by external id; upsert keys repeated within a job fail with
 * DUPLICATE_VALUE "Duplicate external id specified"; the lock fault fails a deterministic share of
 * rows with UNABLE_TO_LOCK_ROW (keyed by job id and row number, so a retry job gets a fresh draw).
 */
export class RowApplier {
  private readonly seenKeys = new Set<string>();
  readonly dml: Dml;

  constructor(
    private readonly org: EmulatedOrg,
    private readonly obj: SObjectDef,
    dml: Dml,
    private readonly operation: IngestOperation,
    private readonly columns: Column[],
    private readonly keyIndex: number,
    private readonly keyField: SField | undefined,
    private readonly jobId: string,
  ) {
    this.dml = dml;
  }

  private values(cells: string[]): { values: SRecord } | { error: RowError } {
    const values: SRecord = {};
    for (const c of this.columns) {
      if (c.kind === 'id') continue;
      const raw = cells[c.index] ?? '';
      if (raw === '') continue;
      if (c.kind === 'foreignKey') {
        if (raw === '#N/A') {
          values[c.fk.ref.name] = null;
          continue;
        }
        const found = lookupParent(this.org, c.fk, raw);
        if ('error' in found) return found;
        values[c.fk.ref.name] = found.id;
        continue;
      }
      if (raw === '#N/A') {
        values[c.field.name] = null;
        continue;
      }
      const conv = fromText(c.field, raw, c.index);
      if (!conv.ok) return { error: conv.error };
      values[c.field.name] = conv.value;
    }
    return { values };
  }

  /** Keys that occur more than once within one chunk; every row carrying one of them fails. */
  duplicateKeys(chunk: string[][]): Set<string> {
    const dup = new Set<string>();
    if (this.operation !== 'upsert' || this.keyIndex < 0 || !this.keyField) return dup;
    const seen = new Set<string>();
    for (const cells of chunk) {
      const raw = cells[this.keyIndex] ?? '';
      if (!raw) continue;
      const k = this.keyField.caseSensitive ? raw : raw.toLowerCase();
      if (seen.has(k)) dup.add(k);
      seen.add(k);
    }
    return dup;
  }

  /** Applies one row; `rowNumber` counts data rows from 1. */
  apply(cells: string[], rowNumber: number, chunkDuplicates: Set<string>, lockRate: number): WriteResult {
    const keyRaw = this.keyIndex >= 0 ? (cells[this.keyIndex] ?? '') : '';
    if (lockRate > 0 && unitHash(`${this.jobId}:${rowNumber}`) < lockRate) {
      const id = this.operation === 'upsert' || this.operation === 'insert' ? '' : keyRaw;
      return {
        ok: false,
        error: rowError('UNABLE_TO_LOCK_ROW', `unable to obtain exclusive access to this record or 1 records: ${id}`),
      };
    }
    switch (this.operation) {
      case 'delete':
      case 'hardDelete':
        if (!keyRaw) return { ok: false, error: rowError('MISSING_ARGUMENT', 'Id not specified in a delete call') };
        return this.dml.delete(this.obj, keyRaw, this.operation === 'hardDelete');
      case 'update': {
        if (!keyRaw) return { ok: false, error: rowError('MISSING_ARGUMENT', 'Id not specified in an update call') };
        const v = this.values(cells);
        return 'error' in v ? { ok: false, error: v.error, id: keyRaw } : this.dml.update(this.obj, keyRaw, v.values);
      }
      case 'insert': {
        const v = this.values(cells);
        return 'error' in v ? { ok: false, error: v.error } : this.dml.insert(this.obj, v.values);
      }
      default: {
        const keyField = this.keyField as SField;
        const k = keyField.caseSensitive ? keyRaw : keyRaw.toLowerCase();
        if (keyRaw && (chunkDuplicates.has(k) || this.seenKeys.has(k))) {
          return { ok: false, error: rowError('DUPLICATE_VALUE', `Duplicate external id specified: ${keyRaw}`) };
        }
        if (keyRaw) this.seenKeys.add(k);
        const v = this.values(cells);
        return 'error' in v ? { ok: false, error: v.error } : this.dml.upsert(this.obj, keyField, keyRaw, v.values);
      }
    }
  }
}
