import { randomUUID } from 'node:crypto';
import type { Promised } from '../../sync/store/async';
import type { EventInbox, FeedPositions, Receivers, SourceState } from '../../sync/store/contract';
import type {
  FeedPosition,
  InboxCounts,
  InboxEnvelope,
  InboxEvent,
  ReceiverMode,
  ReceiverRecord,
} from '../../sync/store/records';
import type { Exec } from './exec';

/** The tenant's Slack Events inbox (`EventInbox`); `add` has committed when it returns, outside a write. */
export class PgEventInbox implements Promised<EventInbox> {
  constructor(private readonly q: Exec) {}

  async add(envelope: InboxEnvelope, rawBody: string, receivedAt: Date = new Date()): Promise<boolean> {
    const r = await this.q.query(
      `INSERT INTO slack_inbox (event_id, team_id, type, event_time, received_at, body) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, event_id) DO NOTHING`,
      [
        envelope.event_id,
        envelope.team_id,
        envelope.event.type,
        envelope.event_time,
        receivedAt.toISOString(),
        rawBody,
      ],
    );
    return r.rowCount === 1;
  }

  async pending(limit: number): Promise<InboxEvent[]> {
    const { rows } = await this.q.query<InboxEvent>(
      `SELECT event_id AS "eventId", team_id AS "teamId", type, event_time AS "eventTime", received_at AS "receivedAt", body
       FROM slack_inbox WHERE applied_at IS NULL ORDER BY seq LIMIT $1`,
      [limit],
    );
    return rows;
  }

  async markApplied(eventIds: readonly string[]): Promise<void> {
    await this.q.query(
      'UPDATE slack_inbox SET applied_at = $1 WHERE event_id = ANY($2::text[]) AND applied_at IS NULL',
      [new Date().toISOString(), eventIds],
    );
  }

  async counts(): Promise<InboxCounts> {
    const { rows } = await this.q.query<InboxCounts>(
      `SELECT COUNT(*) FILTER (WHERE applied_at IS NULL) AS pending, COUNT(*) FILTER (WHERE applied_at IS NOT NULL) AS applied,
         MAX(received_at) AS "lastReceivedAt",
         (SELECT COALESCE(SUM(count), 0) FROM slack_inbox_unknown) AS "unknownTypes"
       FROM slack_inbox`,
    );
    return rows[0];
  }

  async unknownTypes(): Promise<Record<string, number>> {
    const { rows } = await this.q.query<{ type: string; count: number }>(
      'SELECT type, count FROM slack_inbox_unknown ORDER BY type COLLATE "C"',
    );
    return Object.fromEntries(rows.map((r) => [r.type, r.count]));
  }

  async noteUnknownType(type: string): Promise<void> {
    await this.q.query(
      `INSERT INTO slack_inbox_unknown AS u (type, count, last_seen_at) VALUES ($1, 1, $2)
       ON CONFLICT (tenant_id, type) DO UPDATE SET count = u.count + 1, last_seen_at = excluded.last_seen_at`,
      [type, new Date().toISOString()],
    );
  }

  async prune(before: Date): Promise<number> {
    const r = await this.q.query('DELETE FROM slack_inbox WHERE applied_at IS NOT NULL AND received_at < $1', [
      before.toISOString(),
    ]);
    return r.rowCount;
  }
}

/** Rows of receivers that stopped or fell silent this long ago are deleted when another one starts. */
const FORGET_AFTER_MS = 7 * 24 * 3600 * 1000;

/** The receivers' liveness rows (`Receivers`). */
export class PgReceivers implements Promised<Receivers> {
  constructor(private readonly q: Exec) {}

  async started(mode: ReceiverMode, address: string, at: Date = new Date()): Promise<string> {
    const token = randomUUID();
    await this.q.atomic(async (q) => {
      await q.query('DELETE FROM slack_receivers WHERE seen_at < $1', [
        new Date(at.getTime() - FORGET_AFTER_MS).toISOString(),
      ]);
      await q.query(
        'INSERT INTO slack_receivers (token, mode, address, pid, started_at, seen_at) VALUES ($1, $2, $3, $4, $5, $5)',
        [token, mode, address, process.pid, at.toISOString()],
      );
    });
    return token;
  }

  async alive(token: string, at: Date = new Date()): Promise<void> {
    await this.q.query('UPDATE slack_receivers SET seen_at = $1 WHERE token = $2 AND stopped_at IS NULL', [
      at.toISOString(),
      token,
    ]);
  }

  async stopped(token: string, at: Date = new Date()): Promise<void> {
    await this.q.query(
      'UPDATE slack_receivers SET seen_at = $1, stopped_at = $1 WHERE token = $2 AND stopped_at IS NULL',
      [at.toISOString(), token],
    );
  }

  async covered(tokens: readonly string[]): Promise<void> {
    await this.q.query('UPDATE slack_receivers SET covered = true WHERE token = ANY($1::text[])', [tokens]);
  }

  async all(): Promise<ReceiverRecord[]> {
    const { rows } = await this.q.query<ReceiverRecord>(
      `SELECT token, mode, address, pid, started_at AS "startedAt", seen_at AS "seenAt", stopped_at AS "stoppedAt", covered
       FROM slack_receivers ORDER BY seen_at DESC`,
    );
    return rows;
  }
}

/** Saved positions of followed feed files (`FeedPositions`). */
export class PgFeedPositions implements Promised<FeedPositions> {
  constructor(private readonly q: Exec) {}

  async get(path: string): Promise<FeedPosition | undefined> {
    const { rows } = await this.q.query<FeedPosition>(
      `SELECT "offset", line, head_bytes AS "headBytes", head_hash AS "headHash", updated_at AS "updatedAt"
       FROM feed_follow WHERE path = $1`,
      [path],
    );
    return rows[0];
  }

  async save(path: string, p: FeedPosition): Promise<void> {
    await this.q.query(
      `INSERT INTO feed_follow (path, "offset", line, head_bytes, head_hash, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, path) DO UPDATE SET "offset" = excluded."offset", line = excluded.line,
         head_bytes = excluded.head_bytes, head_hash = excluded.head_hash, updated_at = excluded.updated_at`,
      [path, p.offset, p.line, p.headBytes, p.headHash, p.updatedAt],
    );
  }

  async forget(path: string): Promise<boolean> {
    return (await this.q.query('DELETE FROM feed_follow WHERE path = $1', [path])).rowCount > 0;
  }
}

/** Small key/value settings of the live source (`SourceState`). */
export class PgSourceState implements Promised<SourceState> {
  constructor(private readonly q: Exec) {}

  async get(key: string): Promise<string | null> {
    const { rows } = await this.q.query<{ value: string }>('SELECT value FROM live_source_state WHERE key = $1', [key]);
    return rows[0]?.value ?? null;
  }

  async set(values: Record<string, string | null>): Promise<void> {
    await this.q.atomic(async (q) => {
      for (const [k, v] of Object.entries(values)) {
        if (v === null) await q.query('DELETE FROM live_source_state WHERE key = $1', [k]);
        else {
          await q.query(
            'INSERT INTO live_source_state (key, value) VALUES ($1, $2) ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value',
            [k, v],
          );
        }
      }
    });
  }
}
