import type { Migration } from './migration';

/*
 * The steps of version 1. Their text (indentation included) is what version 1 always ran: SQLite keeps each
 * CREATE statement's text in sqlite_master, so the schema of a new store is the same as that of an old one.
 */
/** Version 1: runs, and what each run did per object. */
const RUN_TABLES = `
        CREATE TABLE ledger_runs (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          type TEXT NOT NULL,
          status TEXT NOT NULL,
          started_at TEXT NOT NULL,
          finished_at TEXT,
          message TEXT,
          api_calls INTEGER NOT NULL DEFAULT 0,
          retry_of INTEGER
        );

        CREATE TABLE ledger_run_objects (
          run_id INTEGER NOT NULL,
          object TEXT NOT NULL,
          processed INTEGER NOT NULL DEFAULT 0,
          succeeded INTEGER NOT NULL DEFAULT 0,
          failed INTEGER NOT NULL DEFAULT 0,
          held_back INTEGER NOT NULL DEFAULT 0,
          deleted INTEGER NOT NULL DEFAULT 0,
          truncated INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (run_id, object)
        );
      `;

/** Version 1: the Bulk jobs and Collections calls of each run. */
const JOB_TABLES = `
        -- One Bulk API job (path 'bulk', sf_job_id set) or one sObject Collections call (path 'collections').
        -- seq_hi: the change sequence up to which this job (with the jobs before it) covers the object's changes.
        CREATE TABLE ledger_jobs (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          run_id INTEGER NOT NULL,
          object TEXT NOT NULL,
          operation TEXT NOT NULL,
          purpose TEXT NOT NULL,
          path TEXT NOT NULL,
          sf_job_id TEXT,
          state TEXT NOT NULL,
          records INTEGER NOT NULL DEFAULT 0,
          bytes INTEGER NOT NULL DEFAULT 0,
          processed INTEGER,
          failed INTEGER,
          seq_hi INTEGER,
          polls INTEGER NOT NULL DEFAULT 0,
          error_message TEXT,
          created_at TEXT NOT NULL,
          uploaded_at TEXT,
          finished_at TEXT,
          results_at TEXT
        );
        CREATE INDEX ledger_jobs_run ON ledger_jobs (run_id);
        CREATE INDEX ledger_jobs_open ON ledger_jobs (results_at) WHERE results_at IS NULL;
      `;

/** Version 1: records that failed, and records held back until their parent is in the org. */
const FAILURE_TABLES = `
        CREATE TABLE ledger_failed (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          run_id INTEGER NOT NULL,
          job_id INTEGER,
          object TEXT NOT NULL,
          external_id TEXT NOT NULL,
          code TEXT NOT NULL,
          error TEXT NOT NULL,
          resolved_run_id INTEGER
        );
        CREATE INDEX ledger_failed_run ON ledger_failed (run_id, code);
        CREATE INDEX ledger_failed_open ON ledger_failed (object, external_id) WHERE resolved_run_id IS NULL;

        -- Records not sent because their parent is not in the org yet; they go with the next run that can send them.
        CREATE TABLE ledger_pending (
          object TEXT NOT NULL,
          external_id TEXT NOT NULL,
          run_id INTEGER NOT NULL,
          first_run_id INTEGER NOT NULL,
          reason TEXT NOT NULL,
          waiting_on TEXT,
          PRIMARY KEY (object, external_id)
        ) WITHOUT ROWID;
      `;

/** Version 1: what the org holds: watermarks per object, the Salesforce id of each pushed record, deletes in flight. */
const PUSHED_TABLES = `
        CREATE TABLE ledger_watermarks (
          object TEXT PRIMARY KEY,
          seq INTEGER NOT NULL,
          run_id INTEGER,
          updated_at TEXT NOT NULL
        );

        CREATE TABLE ledger_records (
          object TEXT NOT NULL,
          external_id TEXT NOT NULL,
          sf_id TEXT NOT NULL,
          run_id INTEGER NOT NULL,
          PRIMARY KEY (object, external_id)
        ) WITHOUT ROWID;

        -- Records about to be deleted by id: delete results carry only the Salesforce id.
        CREATE TABLE ledger_deletes (
          object TEXT NOT NULL,
          sf_id TEXT NOT NULL,
          external_id TEXT NOT NULL,
          run_id INTEGER NOT NULL,
          PRIMARY KEY (object, sf_id)
        ) WITHOUT ROWID;
      `;

/** Version 1: Contact links the sync decided. */
const LINK_TABLES = `
        -- Contact links the sync decided. created_contact_id is the marker "the sync created this Contact for
        -- this member"; intent_run_id is written before creating, so a crash never leads to a second Contact.
        CREATE TABLE ledger_contact_links (
          member_id TEXT PRIMARY KEY,
          match_value TEXT,
          status TEXT,
          contact_id TEXT,
          lead_id TEXT,
          created_contact_id TEXT,
          intent_run_id INTEGER,
          run_id INTEGER,
          updated_at TEXT NOT NULL
        ) WITHOUT ROWID;
      `;

/** Version 1: events worth telling the operator. */
const EVENT_TABLES = `
        CREATE TABLE ledger_events (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          at TEXT NOT NULL,
          type TEXT NOT NULL,
          code TEXT,
          message TEXT NOT NULL,
          run_id INTEGER
        );
      `;

/**
 * The sync history ("ledger"), kept in the store's SQLite file under its own schema version (module
 * 'ledger'). It records what the push did and what it still owes: runs, Bulk jobs, failed and
 * held-back records, watermarks, the Salesforce id of every pushed record and Contact links.
 */
export const LEDGER_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'runs, jobs, failed and held-back records, watermarks, pushed records, contact links, events',
    up: (db) => {
      for (const step of [RUN_TABLES, JOB_TABLES, FAILURE_TABLES, PUSHED_TABLES, LINK_TABLES, EVENT_TABLES]) {
        db.exec(step);
      }
    },
  },
  {
    version: 2,
    name: 'links that follow the CRM: match rule, waiting members, Contact/Lead change watermarks',
    up: (db) => {
      db.exec(`
        ALTER TABLE ledger_contact_links ADD COLUMN rule TEXT;
        CREATE INDEX ledger_links_value ON ledger_contact_links (match_value);
        CREATE INDEX ledger_links_contact ON ledger_contact_links (contact_id) WHERE contact_id IS NOT NULL;
        CREATE INDEX ledger_links_lead ON ledger_contact_links (lead_id) WHERE lead_id IS NOT NULL;

        -- Members in the org whose link must be decided by a full look-up at the next run that can match:
        -- matching was unavailable when they were pushed (no access), or the rules changed (rematch).
        CREATE TABLE ledger_match_waiting (
          member_id TEXT PRIMARY KEY,
          run_id INTEGER NOT NULL,
          reason TEXT NOT NULL
        ) WITHOUT ROWID;

        -- Per matched object (Contact, Lead): the newest SystemModstamp whose changes are reflected in the links.
        CREATE TABLE ledger_match_watermarks (
          object TEXT PRIMARY KEY,
          stamp TEXT NOT NULL,
          run_id INTEGER,
          updated_at TEXT NOT NULL
        );

        -- Before this version a link was decided once: members in the org without a Contact get one full look-up.
        INSERT OR IGNORE INTO ledger_match_waiting (member_id, run_id, reason)
          SELECT r.external_id, r.run_id, 'upgrade'
          FROM ledger_records r LEFT JOIN ledger_contact_links l ON l.member_id = r.external_id
          WHERE r.object = 'member' AND l.contact_id IS NULL;
      `);
    },
  },
  {
    version: 3,
    name: 'Contact/Lead changes read in the overlap window, so a re-read is not applied twice',
    up: (db) => {
      db.exec(`
        CREATE TABLE ledger_match_seen (
          object TEXT NOT NULL,
          id TEXT NOT NULL,
          stamp TEXT NOT NULL,
          PRIMARY KEY (object, id)
        ) WITHOUT ROWID;
      `);
    },
  },
];
