import type Database from 'better-sqlite3';
import type { SlackCursors } from '../contract';
import type { ChannelCursor, ChannelKind } from '../records';

interface ChannelDb {
  channel_id: string;
  name: string | null;
  kind: string;
  watermark_ts: string | null;
  pass_newest_ts: string | null;
  pass_oldest_ts: string | null;
  last_message_ms: number | null;
  checked_ms: number | null;
  skipped_reason: string | null;
}

function toCursor(r: ChannelDb): ChannelCursor {
  return {
    channelId: r.channel_id,
    name: r.name,
    kind: r.kind as ChannelKind,
    watermarkTs: r.watermark_ts,
    passNewestTs: r.pass_newest_ts,
    passOldestTs: r.pass_oldest_ts,
    lastMessageMs: r.last_message_ms,
    checkedMs: r.checked_ms,
    skippedReason: r.skipped_reason,
  };
}

/**
 * The reader's bookkeeping, in the store's own file so that a watermark is written in the same
 * transaction as the messages it covers: it can never move past rows that were rolled back.
 */
export class SqliteSlackCursors implements SlackCursors {
  private readonly getStmt: Database.Statement;
  private readonly upsertChannelStmt: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.getStmt = db.prepare('SELECT * FROM slack_channels WHERE community_id = ? AND channel_id = ?');
    this.upsertChannelStmt = db.prepare(
      `INSERT INTO slack_channels (community_id, channel_id, name, kind) VALUES (?, ?, ?, ?)
       ON CONFLICT (community_id, channel_id) DO UPDATE SET name = COALESCE(excluded.name, name), kind = excluded.kind`,
    );
  }

  channel(communityId: string, channelId: string): ChannelCursor | undefined {
    const r = this.getStmt.get(communityId, channelId) as ChannelDb | undefined;
    return r ? toCursor(r) : undefined;
  }

  channels(communityId: string): ChannelCursor[] {
    return (
      this.db
        .prepare('SELECT * FROM slack_channels WHERE community_id = ? ORDER BY channel_id')
        .all(communityId) as ChannelDb[]
    ).map(toCursor);
  }

  /** Adds a channel (or renames it); its watermark stays. */
  putChannel(communityId: string, channelId: string, name: string | null, kind: ChannelKind): void {
    this.upsertChannelStmt.run(communityId, channelId, name, kind);
  }

  /** Records a pass's progress: the newest ts it saw and the oldest it has stored. */
  savePass(communityId: string, channelId: string, newestTs: string, oldestTs: string): void {
    this.db
      .prepare(
        'UPDATE slack_channels SET pass_newest_ts = ?, pass_oldest_ts = ? WHERE community_id = ? AND channel_id = ?',
      )
      .run(newestTs, oldestTs, communityId, channelId);
  }

  /** A pass reached the watermark: everything up to `watermarkTs` is stored. */
  finishPass(communityId: string, channelId: string, watermarkTs: string | null, nowMs: number): void {
    this.db
      .prepare(
        `UPDATE slack_channels SET watermark_ts = ?, pass_newest_ts = NULL, pass_oldest_ts = NULL, checked_ms = ?,
           skipped_reason = NULL WHERE community_id = ? AND channel_id = ?`,
      )
      .run(watermarkTs, nowMs, communityId, channelId);
  }

  noteMessage(communityId: string, channelId: string, ms: number): void {
    this.db
      .prepare(
        `UPDATE slack_channels SET last_message_ms = MAX(COALESCE(last_message_ms, 0), ?)
         WHERE community_id = ? AND channel_id = ?`,
      )
      .run(ms, communityId, channelId);
  }

  noteSkipped(communityId: string, channelId: string, reason: string, nowMs: number): void {
    this.db
      .prepare('UPDATE slack_channels SET skipped_reason = ?, checked_ms = ? WHERE community_id = ? AND channel_id = ?')
      .run(reason, nowMs, communityId, channelId);
  }

  /** The bot was added to the channel: the next poll reads it again. */
  clearSkipped(communityId: string, channelId: string): void {
    this.db
      .prepare('UPDATE slack_channels SET skipped_reason = NULL WHERE community_id = ? AND channel_id = ?')
      .run(communityId, channelId);
  }

  putBot(communityId: string, botId: string, userId: string): void {
    this.db
      .prepare(
        `INSERT INTO slack_bots (community_id, bot_id, user_id) VALUES (?, ?, ?)
         ON CONFLICT (community_id, bot_id) DO UPDATE SET user_id = excluded.user_id`,
      )
      .run(communityId, botId, userId);
  }

  botUser(communityId: string, botId: string): string | undefined {
    return this.db
      .prepare('SELECT user_id FROM slack_bots WHERE community_id = ? AND bot_id = ?')
      .pluck()
      .get(communityId, botId) as string | undefined;
  }

  meta(communityId: string, key: string): string | null {
    const v = this.db
      .prepare('SELECT value FROM slack_meta WHERE community_id = ? AND key = ?')
      .pluck()
      .get(communityId, key) as string | null | undefined;
    return v ?? null;
  }

  setMeta(communityId: string, key: string, value: string | null): void {
    this.db
      .prepare(
        `INSERT INTO slack_meta (community_id, key, value) VALUES (?, ?, ?)
         ON CONFLICT (community_id, key) DO UPDATE SET value = excluded.value`,
      )
      .run(communityId, key, value);
  }

  /**
   * Newest stored message time per channel of a community (an export imported before any live read):
   * one scan, used once to start those channels' watermarks where the export ended.
   */
  storedNewestMs(communityId: string): Map<string, number> {
    const rows = this.db
      .prepare(
        `SELECT channel_id AS c, MAX(occurred_ms) AS ms FROM activities
         WHERE community_id = ? AND channel_id IS NOT NULL AND source_type <> 'reaction' GROUP BY channel_id`,
      )
      .all(communityId) as Array<{ c: string; ms: number }>;
    return new Map(rows.map((r) => [r.c, r.ms]));
  }

  storedChannelName(communityId: string, channelId: string): string | null | undefined {
    return this.db
      .prepare('SELECT channel_name FROM activities WHERE community_id = ? AND channel_id = ? LIMIT 1')
      .pluck()
      .get(communityId, channelId) as string | null | undefined;
  }
}
