/**
 * The sources' bookkeeping as the store keeps it: the Slack event inbox, the receivers' liveness rows,
 * the live Slack reader's cursors and followed feed files' positions. Plain data, no database terms.
 */

/** One stored Events API envelope. */
export interface InboxEvent {
  eventId: string;
  teamId: string;
  type: string;
  eventTime: number;
  receivedAt: string;
  /** The raw envelope JSON, exactly as Slack sent it. */
  body: string;
}

/** The fields of an `event_callback` envelope the inbox keys on. */
export interface InboxEnvelope {
  event_id: string;
  team_id: string;
  event_time: number;
  event: { type: string };
}

export interface InboxCounts {
  pending: number;
  applied: number;
  lastReceivedAt: string | null;
  unknownTypes: number;
}

export type ReceiverMode = 'http' | 'socket-mode';

/** One receiver that stored (or stores) events into this state directory, as it last said. */
export interface ReceiverRecord {
  token: string;
  mode: ReceiverMode;
  /** Its Request URL, or "Socket Mode". */
  address: string;
  pid: number;
  startedAt: string;
  /** Written when it starts, then every BEAT_EVERY_MS while it runs, and when it closes. */
  seenAt: string;
  /** Null while it runs (or after a crash). */
  stoppedAt: string | null;
  /** A complete Web API read ran while it was receiving: nothing from before it started is missing. */
  covered: boolean;
}

export type ChannelKind = 'public' | 'private' | 'mpim' | 'dm';

export interface ChannelCursor {
  channelId: string;
  name: string | null;
  kind: ChannelKind;
  watermarkTs: string | null;
  passNewestTs: string | null;
  passOldestTs: string | null;
  lastMessageMs: number | null;
  checkedMs: number | null;
  skippedReason: string | null;
}

/** How far a followed feed file was imported, saved in the same transaction as the lines it covers. */
export interface FeedPosition {
  /** Byte offset just past the last imported line. */
  offset: number;
  /** Lines (blank ones included) up to that offset. */
  line: number;
  /** The file's first `headBytes` bytes hash to `headHash`: a replaced file is told apart from a grown one. */
  headBytes: number;
  headHash: string;
  updatedAt: string;
}
