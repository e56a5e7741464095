import type { EngagementConfig } from '../engagement';
import type { Ledger, MatchLedger } from '../ledger';
import type {
  ChannelCursor,
  ChannelKind,
  FeedPosition,
  InboxCounts,
  InboxEnvelope,
  InboxEvent,
  ReceiverMode,
  ReceiverRecord,
} from './records';
import type { TransferTable } from './transfer';
import type { ActivityRow, CommunityInput, CommunityRow, MemberInput, MemberRow, ObjectKind, StoredRow } from './types';

/**
 * The store contract: every read and write the sync makes, in domain terms. No database handle leaves an
 * implementation; scripts/sync/store/sqlite is the embedded one. The behaviour every implementation must
 * have is stated by `describeStoreContract` (scripts/test-support/store-contract). The core calls it in its
 * Promise-based form, `AsyncStore` (async.ts), derived from this interface; docs/architecture.md explains
 * why, and how the SQLite store takes part through `openAsyncStore`.
 */
export interface Store {
  /** Where the store lives, for messages (a file path, or a database URL without its password). */
  readonly location: string;
  close(): void;

  // ---- community data: rows with one global change sequence ---------------------------------------
  /** Keyset pages in ascending seq order of rows whose seq > afterSeq (includes deleted rows with deleted=true). */
  changedCommunities(afterSeq: number, limit: number): StoredRow<CommunityRow>[];
  changedMembers(afterSeq: number, limit: number): StoredRow<MemberRow>[];
  changedActivities(afterSeq: number, limit: number): StoredRow<ActivityRow>[];
  countChanged(kind: ObjectKind, afterSeq: number): number;
  /** One global, monotonically increasing change sequence across all kinds. */
  maxSeq(): number;
  getCommunity(id: string): StoredRow<CommunityRow> | undefined;
  getMember(id: string): StoredRow<MemberRow> | undefined;
  getActivity(id: string): StoredRow<ActivityRow> | undefined;
  /** Not-deleted rows per kind. */
  counts(): Record<ObjectKind, number>;
  /** Recompute scores/levels at `now` for all members; bumps seq only of members whose rounded score or level changed. */
  rescore(now: Date, config: EngagementConfig): { changed: number };
  /**
   * Starts one write transaction for an ingest (the sources' only way to write community data). Until it
   * commits or rolls back, the bookkeeping written through `inbox`, `slackCursors` and `feedPositions`
   * belongs to the same transaction: a watermark never moves past rows that were rolled back.
   */
  beginWrite(): StoreWriter;
  /**
   * Runs `fn` as one transaction: everything it writes through this store commits together when it
   * returns, or not at all when it throws (the error is rethrown).
   */
  transaction<T>(fn: () => T): T;

  // ---- the push's bookkeeping and the sync history ---------------------------------------------------
  readonly ledger: Ledger;
  readonly matchLedger: MatchLedger;

  // ---- sources' bookkeeping ---------------------------------------------------------------------------
  /** Slack Events API envelopes received, waiting to be applied. */
  readonly inbox: EventInbox;
  /** The Events API receivers storing into this store, as they last said. */
  readonly receivers: Receivers;
  /** What the live Slack reader knows of each channel. */
  readonly slackCursors: SlackCursors;
  /** How far each followed feed file was imported. */
  readonly feedPositions: FeedPositions;
  /** Small settings of the live source (last catch-up, first import, last error). */
  readonly sourceState: SourceState;

  // ---- moving every row into another store (migrate-state) -----------------------------------------
  readonly transfer: StoreTransfer;
}

export type WriteOutcome = 'new' | 'changed' | 'unchanged';

export interface KindCounts {
  new: number;
  changed: number;
  unchanged: number;
}

export interface WriteCounts {
  communities: KindCounts;
  members: KindCounts;
  activities: KindCounts & { deleted: number };
}

/**
 * All writes of one ingest, as one transaction: a failed ingest leaves the store exactly as it was. Every
 * write compares before it writes: an identical row is not touched and keeps its change sequence.
 */
export interface StoreWriter {
  putCommunity(c: CommunityInput): WriteOutcome;
  getCommunity(id: string): StoredRow<CommunityRow> | undefined;
  communityExists(id: string): boolean;
  putMember(m: MemberInput): WriteOutcome;
  /** Inserts a member only when no row has its id (a placeholder never overwrites a real one). True when inserted. */
  ensureMember(m: MemberInput): boolean;
  memberExists(id: string): boolean;
  getMember(id: string): StoredRow<MemberRow> | undefined;
  /** Marks a member deleted; its activities are marked deleted at commit. False when unknown or already deleted. */
  removeMember(id: string): boolean;
  /** The fingerprint of a source file this community fully imported before. */
  fingerprint(communityId: string, path: string): { fingerprint: string; activities: number } | undefined;
  /** Records a fully imported file and how many activities it yielded. */
  recordFingerprint(communityId: string, path: string, fingerprint: string, activities: number): void;
  /** Activities handed to putActivity so far (for a file's count). */
  readonly activitiesSeen: number;
  /** Counts the activities of a skipped, unchanged file as seen and unchanged. */
  countUnchangedActivities(n: number): void;
  /** The initiator of a stored activity (a thread parent read in an earlier, skipped file). */
  activityMember(id: string): string | undefined;
  /** Placeholder members of a community, in the store after this transaction's writes. */
  placeholderCount(communityId: string): number;
  /** `deleted`: the initiator is deleted at the source. `occurredMs`: the same instant as occurredAt. */
  putActivity(a: ActivityRow, deleted?: boolean, occurredMs?: number): void;
  /** Inserts an activity only when no row has its id. True when inserted. */
  putActivityIfAbsent(a: ActivityRow, deleted?: boolean, occurredMs?: number): boolean;
  /** Marks deleted the activity `id` and every activity whose id extends it (`<id>:...`). Returns how many. */
  deleteActivityTree(id: string): number;
  /** Marks one activity deleted; false when unknown or already deleted. */
  deleteActivity(id: string): boolean;
  /**
   * Ends the source's writes: marks activities of deleted members deleted, recomputes member stats and
   * community member counts (each bumps seq only where a value changed), then commits.
   * `memberStats: false` leaves the statistics to a later commit (a batch of a longer read).
   */
  commit(now: Date, config: EngagementConfig, opts?: { memberStats?: boolean }): WriteCounts;
  rollback(): void;
  /** The sources' bookkeeping inside this write: it commits or rolls back with the rows it describes. */
  readonly inbox: EventInbox;
  readonly slackCursors: SlackCursors;
  readonly feedPositions: FeedPositions;

  // ---- batch writes: one call for many rows where a source used to write row by row -----------------
  /** The same as putActivity (putActivityIfAbsent with `ifAbsent`) for each item, in order. */
  putActivities(items: readonly ActivityPut[]): void;
}

/** One activity of a `putActivities` batch: putActivity's arguments, and whether a stored row is kept. */
export interface ActivityPut {
  row: ActivityRow;
  deleted?: boolean;
  occurredMs?: number;
  ifAbsent?: boolean;
}

/**
 * The durable queue between the Events API receiver (HTTP or Socket Mode) and the code that applies events
 * to the store. `add` has committed when it returns (the receiver acknowledges to Slack after it).
 */
export interface EventInbox {
  /** Stores one envelope durably. false = duplicate event_id (a Slack retry). */
  add(envelope: InboxEnvelope, rawBody: string, receivedAt?: Date): boolean;
  /** Not yet applied events, oldest first (by receive order). */
  pending(limit: number): InboxEvent[];
  /** Marks events applied, within the open write (it commits or rolls back with the writes that applied them). */
  markApplied(eventIds: readonly string[]): void;
  counts(): InboxCounts;
  /** Per unknown event type, how many were acknowledged without being stored. */
  unknownTypes(): Record<string, number>;
  noteUnknownType(type: string): void;
  /** Deletes applied events received before `before` (pending events are never pruned); returns how many. */
  prune(before: Date): number;
}

/** The receivers' liveness rows: one per receiver, so two running at once never hide each other. */
export interface Receivers {
  /** A receiver starts; returns the token its later writes name. Long-gone receivers are forgotten. */
  started(mode: ReceiverMode, address: string, at?: Date): string;
  alive(token: string, at?: Date): void;
  stopped(token: string, at?: Date): void;
  /** A complete Web API read ran while these receivers were running. */
  covered(tokens: readonly string[]): void;
  /** Every row, most recently heard from first. */
  all(): ReceiverRecord[];
}

/** The live Slack reader's bookkeeping, per community and channel. */
export interface SlackCursors {
  channel(communityId: string, channelId: string): ChannelCursor | undefined;
  channels(communityId: string): ChannelCursor[];
  /** Adds a channel (or renames it); its watermark stays. */
  putChannel(communityId: string, channelId: string, name: string | null, kind: ChannelKind): void;
  /** Records a pass's progress: the newest ts it saw and the oldest it has stored. */
  savePass(communityId: string, channelId: string, newestTs: string, oldestTs: string): void;
  /** A pass reached the watermark: everything up to `watermarkTs` is stored. */
  finishPass(communityId: string, channelId: string, watermarkTs: string | null, nowMs: number): void;
  noteMessage(communityId: string, channelId: string, ms: number): void;
  noteSkipped(communityId: string, channelId: string, reason: string, nowMs: number): void;
  /** The bot was added to the channel: the next poll reads it again. */
  clearSkipped(communityId: string, channelId: string): void;
  putBot(communityId: string, botId: string, userId: string): void;
  botUser(communityId: string, botId: string): string | undefined;
  meta(communityId: string, key: string): string | null;
  setMeta(communityId: string, key: string, value: string | null): void;
  /** Newest stored message time per channel of a community (an export imported before any live read). */
  storedNewestMs(communityId: string): Map<string, number>;
  /**
   * The channel name the stored activities give a channel: undefined when no activity is in it, null
   * when they carry no name.
   */
  storedChannelName(communityId: string, channelId: string): string | null | undefined;
}

/** Saved positions of followed feed files, keyed by the file's real path. */
export interface FeedPositions {
  get(path: string): FeedPosition | undefined;
  /** Call inside the write that stored the lines up to `p.offset`. */
  save(path: string, p: FeedPosition): void;
  forget(path: string): boolean;
}

/** Small key/value settings of the live source. */
export interface SourceState {
  get(key: string): string | null;
  /** Sets the given keys atomically; null deletes a key. */
  set(values: Record<string, string | null>): void;
}

// ---- moving every row into another store (migrate-state) ---------------------------------------------

/** A value of the neutral export form (store/transfer.ts): text, a number, a boolean, ISO time text, null. */
export type TransferValue = string | number | boolean | null;

/**
 * One batch of an export: rows of one table, each giving `TRANSFER_TABLES[table].columns` in order; or
 * the store's last change sequence (`maxSeq`), which an export sends first.
 */
export type RowBatch = { table: TransferTable; rows: TransferValue[][] } | { table: 'sequence'; lastSeq: number };

/** Rows imported per table. */
export type TransferCounts = Record<TransferTable, number>;

/**
 * Every row a store holds, out and in, so a whole store can move into another implementation (a state
 * directory into a server-mode tenant). The export only reads; the import writes one transaction.
 */
export interface StoreTransfer {
  /**
   * The last change sequence, then every row, table by table in `TRANSFER_ORDER`, at most `batchSize` rows
   * per batch (pages by primary key: nothing holds a whole table). Consume it before other calls.
   */
  exportRows(batchSize: number): Iterable<RowBatch>;
  /**
   * Writes an export into this store, which must hold no rows (STORE_NOT_EMPTY otherwise), as one
   * transaction: all of it or, on any error, nothing. Change sequences are kept as they are, so the
   * ledger's watermarks keep meaning what they meant; run and job ids may be renumbered (ids unique
   * across tenants), in their order, with every reference to them rewritten. A row that refers to a run
   * or job the export does not hold, or a sequence past the export's last, is refused (IMPORT_BAD_ROW).
   */
  importRows(batches: Iterable<RowBatch>): TransferCounts;
}
