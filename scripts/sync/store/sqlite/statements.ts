import type Database from 'better-sqlite3';

/** Prepared statements, prepared once per SQL text: the ledger runs several once per pushed record. */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  get(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Runs the one-row query `sql` for each key; the map holds the row of each key that has one. */
  lookUp<R>(sql: string, keys: readonly string[], params: (key: string) => unknown[]): Map<string, R> {
    const stmt = this.get(sql);
    const found = new Map<string, R>();
    for (const key of keys) {
      const row = stmt.get(...params(key)) as R | undefined;
      if (row !== undefined) found.set(key, row);
    }
    return found;
  }
}
