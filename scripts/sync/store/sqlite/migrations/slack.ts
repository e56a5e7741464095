import type { Migration } from './migration';

/** Module 'slack-inbox' in store.db: the received events, and a counter of event types nobody applies. */
export const SLACK_INBOX_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'slack event inbox keyed by event_id; unknown event type counters',
    up: (db) => {
      db.exec(`
        -- seq is the receive order; event_id is unique so a Slack retry of the same event is stored once.
        CREATE TABLE slack_inbox (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          event_id TEXT NOT NULL UNIQUE,
          team_id TEXT NOT NULL,
          type TEXT NOT NULL,
          event_time INTEGER NOT NULL,
          received_at TEXT NOT NULL,
          body TEXT NOT NULL,
          applied_at TEXT
        );
        CREATE INDEX slack_inbox_pending ON slack_inbox (seq) WHERE applied_at IS NULL;
        CREATE TABLE slack_inbox_unknown (
          type TEXT PRIMARY KEY,
          count INTEGER NOT NULL,
          last_seen_at TEXT NOT NULL
        ) WITHOUT ROWID;
      `);
    },
  },
];

/** Module 'slack-receivers' in store.db: one row per receiver, so two running at once never hide each other. */
export const SLACK_RECEIVERS_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'receivers say they are alive, so the live source can tell a quiet workspace from a dead receiver',
    up: (db) =>
      db.exec(`
        CREATE TABLE slack_receivers (
          token TEXT PRIMARY KEY,
          mode TEXT NOT NULL,
          address TEXT NOT NULL,
          pid INTEGER NOT NULL,
          started_at TEXT NOT NULL,
          seen_at TEXT NOT NULL,
          stopped_at TEXT,
          covered INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
      `),
  },
];

/** Module 'slack-cursors': what the live Slack reader knows of each channel and when it last read what. */
export const SLACK_CURSORS_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'per-channel watermarks, bot ids, directory read times',
    up: (db) => {
      db.exec(`
        CREATE TABLE slack_channels (
          community_id TEXT NOT NULL,
          channel_id TEXT NOT NULL,
          name TEXT,
          kind TEXT NOT NULL,
          -- Every message with ts <= watermark_ts is in the store (NULL: none read yet).
          watermark_ts TEXT,
          -- A pass under way (newest first): the newest ts it saw (the next watermark) and the
          -- oldest ts it has stored (a resumed pass asks for latest = this).
          pass_newest_ts TEXT,
          pass_oldest_ts TEXT,
          -- ms of the newest message known (history or an event): what makes a channel active.
          last_message_ms INTEGER,
          -- ms when a pass last reached the watermark.
          checked_ms INTEGER,
          -- Why the last read skipped it (not_in_channel, ...); NULL when it was read.
          skipped_reason TEXT,
          PRIMARY KEY (community_id, channel_id)
        ) WITHOUT ROWID;
        CREATE TABLE slack_bots (
          community_id TEXT NOT NULL,
          bot_id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          PRIMARY KEY (community_id, bot_id)
        ) WITHOUT ROWID;
        CREATE TABLE slack_meta (
          community_id TEXT NOT NULL,
          key TEXT NOT NULL,
          value TEXT,
          PRIMARY KEY (community_id, key)
        ) WITHOUT ROWID;
      `);
    },
  },
];
