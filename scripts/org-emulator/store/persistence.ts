import { createReadStream, createWriteStream, existsSync, renameSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { EmulatedOrg } from '../org';
import { SRecord } from './record-store';

/**
 * Keeps the org's records between restarts in an NDJSON file: one `{"o": object, "s": sequence}`
 * line per object, then one `{"o": object, "r": record}` line per record. NDJSON rather than one JSON
 * document so a million-record org never becomes one giant string. Setup objects are not saved
 * (they are rebuilt from the repository at start). Deleted records are kept with IsDeleted = true.
 */
export async function saveRecords(org: EmulatedOrg, file: string): Promise<void> {
  const tmp = `${file}.tmp`;
  const out = createWriteStream(tmp);
  const write = (line: string): Promise<void> =>
    out.write(line) ? Promise.resolve() : new Promise((resolve) => out.once('drain', () => resolve()));
  for (const table of org.store.allTables()) {
    if (table.def.setup) continue;
    await write(`${JSON.stringify({ o: table.def.name, s: table.seq })}\n`);
    for (const r of table.byId.values()) await write(`${JSON.stringify({ o: table.def.name, r })}\n`);
    // The recycle bin too (IsDeleted = true sends a record back there on load).
    for (const r of table.deleted.values()) await write(`${JSON.stringify({ o: table.def.name, r })}\n`);
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  renameSync(tmp, file);
}

/** Loads records saved by {@link saveRecords}; objects no longer in the schema are skipped. */
export async function loadRecords(org: EmulatedOrg, file: string): Promise<number> {
  if (!existsSync(file)) return 0;
  let count = 0;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as { o: string; s?: number; r?: SRecord };
    const obj = org.object(entry.o);
    if (!obj || obj.setup) continue;
    const table = org.store.table(obj);
    if (entry.s !== undefined) table.seq = Math.max(table.seq, entry.s);
    if (entry.r) {
      table.add(entry.r);
      count++;
    }
  }
  return count;
}
