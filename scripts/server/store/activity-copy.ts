import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ActivityRow } from '../../sync/store/types';
import { ACTIVITY_FIELDS } from './rows';
import type { Exec } from './exec';

/** Activity rows buffered before one COPY: enough to amortize the round trips, small enough for memory. */
export const COPY_BATCH = 5_000;

const COLUMNS = [...Object.keys(ACTIVITY_FIELDS), 'occurred_ms', 'deleted'];
const FIELDS = Object.values(ACTIVITY_FIELDS);

/** One value as CSV: null is an empty unquoted field, a string is always quoted (so '' stays ''). */
function csv(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return `"${v.replace(/"/g, '""')}"`;
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return String(v);
}

/** A buffered activity as one CSV line of the staging table (ord, id, columns). */
export function activityLine(ord: number, a: ActivityRow, deleted: boolean, occurredMs?: number): string {
  const values = [ord, a.tightknitId, ...FIELDS.map((f) => a[f]), occurredMs ?? Date.parse(a.occurredAt), deleted];
  return `${values.map(csv).join(',')}\n`;
}

const STAGING = `CREATE TEMP TABLE IF NOT EXISTS tk_activities_in (
  ord integer NOT NULL, id text NOT NULL, community_id text, member_id text, target_member_id text,
  activity_type text, source_type text, occurred_at text, channel_id text, channel_name text, thread_id text,
  permalink text, summary text, metadata text, occurred_ms bigint, deleted boolean
) ON COMMIT DROP`;

const differs = `(${COLUMNS.map((c) => `a.${c}`).join(', ')}) IS DISTINCT FROM (${COLUMNS.map((c) => `s.${c}`).join(', ')})`;

/**
 * Merges the staged rows in one statement: the last write of each id wins (as row by row), only new
 * or different rows are written, and they get sequences after `$1` in the order they were put.
 */
const MERGE = `WITH src AS (
    SELECT DISTINCT ON (id) * FROM tk_activities_in ORDER BY id, ord DESC
  ), todo AS (
    SELECT s.*, $1::bigint + row_number() OVER (ORDER BY s.ord) AS seq
    FROM src s LEFT JOIN activities a ON a.id = s.id
    WHERE a.id IS NULL OR ${differs}
  ), written AS (
    INSERT INTO activities AS t (id, seq, ${COLUMNS.join(', ')})
    SELECT id, seq, ${COLUMNS.join(', ')} FROM todo ORDER BY seq
    ON CONFLICT (tenant_id, id) DO UPDATE SET seq = excluded.seq, ${COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}
    RETURNING (t.xmax = 0) AS inserted
  )
  SELECT COUNT(*) AS written, COUNT(*) FILTER (WHERE inserted) AS inserted FROM written`;

/**
 * Writes buffered activity lines with COPY into a transaction-local staging table, then one merge
 * statement. `lastSeq` is the last sequence used; the result says how many rows were written (each took
 * the next sequence) and how many of them were new.
 */
export async function copyActivities(
  client: PoolClient,
  q: Exec,
  lines: string[],
  lastSeq: number,
): Promise<{ written: number; inserted: number }> {
  await q.query(STAGING);
  await q.query('TRUNCATE tk_activities_in');
  const stream = client.query(
    copyFrom(`COPY tk_activities_in (ord, id, ${COLUMNS.join(', ')}) FROM STDIN (FORMAT csv)`),
  );
  await pipeline(Readable.from(lines), stream);
  const { rows } = await q.query<{ written: number; inserted: number }>(MERGE, [lastSeq]);
  return rows[0];
}
