import type { Promised } from '../../sync/store/async';
import type { SlackCursors } from '../../sync/store/contract';
import type { ChannelCursor, ChannelKind } from '../../sync/store/records';
import type { Exec } from './exec';

const CURSOR = `channel_id AS "channelId", name, kind, watermark_ts AS "watermarkTs", pass_newest_ts AS "passNewestTs",
  pass_oldest_ts AS "passOldestTs", last_message_ms AS "lastMessageMs", checked_ms AS "checkedMs",
  skipped_reason AS "skippedReason"`;

/** The live Slack reader's bookkeeping per community and channel (`SlackCursors`). */
export class PgSlackCursors implements Promised<SlackCursors> {
  constructor(private readonly q: Exec) {}

  async channel(communityId: string, channelId: string): Promise<ChannelCursor | undefined> {
    const { rows } = await this.q.query<ChannelCursor>(
      `SELECT ${CURSOR} FROM slack_channels WHERE community_id = $1 AND channel_id = $2`,
      [communityId, channelId],
    );
    return rows[0];
  }

  async channels(communityId: string): Promise<ChannelCursor[]> {
    const { rows } = await this.q.query<ChannelCursor>(
      `SELECT ${CURSOR} FROM slack_channels WHERE community_id = $1 ORDER BY channel_id COLLATE "C"`,
      [communityId],
    );
    return rows;
  }

  async putChannel(communityId: string, channelId: string, name: string | null, kind: ChannelKind): Promise<void> {
    await this.q.query(
      `INSERT INTO slack_channels AS s (community_id, channel_id, name, kind) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, community_id, channel_id) DO UPDATE SET name = COALESCE(excluded.name, s.name), kind = excluded.kind`,
      [communityId, channelId, name, kind],
    );
  }

  private async update(set: string, communityId: string, channelId: string, values: unknown[]): Promise<void> {
    const n = values.length;
    await this.q.query(`UPDATE slack_channels SET ${set} WHERE community_id = $${n + 1} AND channel_id = $${n + 2}`, [
      ...values,
      communityId,
      channelId,
    ]);
  }

  async savePass(communityId: string, channelId: string, newestTs: string, oldestTs: string): Promise<void> {
    await this.update('pass_newest_ts = $1, pass_oldest_ts = $2', communityId, channelId, [newestTs, oldestTs]);
  }

  async finishPass(communityId: string, channelId: string, watermarkTs: string | null, nowMs: number): Promise<void> {
    await this.update(
      'watermark_ts = $1, pass_newest_ts = NULL, pass_oldest_ts = NULL, checked_ms = $2, skipped_reason = NULL',
      communityId,
      channelId,
      [watermarkTs, nowMs],
    );
  }

  async noteMessage(communityId: string, channelId: string, ms: number): Promise<void> {
    await this.update('last_message_ms = greatest(COALESCE(last_message_ms, 0), $1::bigint)', communityId, channelId, [
      ms,
    ]);
  }

  async noteSkipped(communityId: string, channelId: string, reason: string, nowMs: number): Promise<void> {
    await this.update('skipped_reason = $1, checked_ms = $2', communityId, channelId, [reason, nowMs]);
  }

  async clearSkipped(communityId: string, channelId: string): Promise<void> {
    await this.update('skipped_reason = NULL', communityId, channelId, []);
  }

  async putBot(communityId: string, botId: string, userId: string): Promise<void> {
    await this.q.query(
      `INSERT INTO slack_bots (community_id, bot_id, user_id) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, community_id, bot_id) DO UPDATE SET user_id = excluded.user_id`,
      [communityId, botId, userId],
    );
  }

  async botUser(communityId: string, botId: string): Promise<string | undefined> {
    const { rows } = await this.q.query<{ u: string }>(
      'SELECT user_id AS u FROM slack_bots WHERE community_id = $1 AND bot_id = $2',
      [communityId, botId],
    );
    return rows[0]?.u;
  }

  async meta(communityId: string, key: string): Promise<string | null> {
    const { rows } = await this.q.query<{ value: string | null }>(
      'SELECT value FROM slack_meta WHERE community_id = $1 AND key = $2',
      [communityId, key],
    );
    return rows[0]?.value ?? null;
  }

  async setMeta(communityId: string, key: string, value: string | null): Promise<void> {
    await this.q.query(
      `INSERT INTO slack_meta (community_id, key, value) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, community_id, key) DO UPDATE SET value = excluded.value`,
      [communityId, key, value],
    );
  }

  async storedNewestMs(communityId: string): Promise<Map<string, number>> {
    const { rows } = await this.q.query<{ c: string; ms: number }>(
      `SELECT channel_id AS c, MAX(occurred_ms) AS ms FROM activities
       WHERE community_id = $1 AND channel_id IS NOT NULL AND source_type <> 'reaction' GROUP BY channel_id`,
      [communityId],
    );
    return new Map(rows.map((r) => [r.c, r.ms]));
  }

  async storedChannelName(communityId: string, channelId: string): Promise<string | null | undefined> {
    const { rows } = await this.q.query<{ n: string | null }>(
      'SELECT channel_name AS n FROM activities WHERE community_id = $1 AND channel_id = $2 LIMIT 1',
      [communityId, channelId],
    );
    return rows.length === 0 ? undefined : rows[0].n;
  }
}
