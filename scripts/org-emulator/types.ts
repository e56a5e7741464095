/**
 * Public contract of the local org emulator. Other parts of the repository (the sync's tests, the
 * `demo` command) code against these shapes, so change them only additively.
 */

/** Extra grants for the integration user beyond the package permission set (default: all true). */
export interface EmulatorGrants {
  contactRead: boolean;
  contactCreate: boolean;
  contactEdit: boolean;
  leadRead: boolean;
  apiEnabled: boolean;
  /**
   * Fields the integration user's field-level security hides, as `Object.Field` (e.g. `Contact.Email`,
   * `Contact.Work_Email__c`): describe leaves them out, SOQL naming them answers INVALID_FIELD "No such
   * column", writes answer INVALID_FIELD_FOR_INSERT_UPDATE. Not applied to the admin (Modify All Data).
   */
  hiddenFields?: string[];
}

/** A subscriber's own custom field on a standard object (see {@link EmulatorOptions.extraFields}). */
export interface ExtraFieldSpec {
  /** API name ending in `__c`, without namespace, e.g. `Work_Email__c`. */
  name: string;
  type: 'email' | 'string' | 'number' | 'boolean';
  label?: string;
  /** Text length (string: default 255; email is always 80). */
  length?: number;
}

/** Faults injected on demand; every field can be changed while the emulator runs. */
export interface Faults {
  /** Delay added before every API answer, in milliseconds (default 0). */
  latencyMs: number;
  /** Share (0..1) of API calls answered 503 (default 0). */
  serverErrorRate: number;
  /** Share (0..1) of API calls whose socket is destroyed without an answer (default 0). */
  dropConnectionRate: number;
  /** After N authenticated calls, every current access token becomes invalid (401 INVALID_SESSION_ID). */
  expireTokensAfterCalls?: number;
  /** Share (0..1) of ingest rows failing UNABLE_TO_LOCK_ROW; decided per job and row, so a retry job can succeed. */
  lockRowRate: number;
  /** Only these objects (API names, e.g. tightknit__Member__c) get lockRowRate; default every object. */
  lockRowObjects?: string[];
  /** The next N ingest jobs end in state Failed with an errorMessage. */
  failNextJobs: number;
  /** DailyApiRequests maximum; calls beyond it get 403 REQUEST_LIMIT_EXCEEDED. */
  apiRequestLimit?: number;
}

/** A user of the emulated org. */
export interface EmulatorUser {
  id: string;
  username: string;
  password: string;
}

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** 0 = a random free port (default). */
  port?: number;
  /** JSON file that keeps the org's records between restarts. */
  dataFile?: string;
  /** CSV of Contacts to load at start (columns in docs/emulator.md). */
  seedContactsCsv?: string;
  /** Default true; false = no tightknit objects and no InstalledSubscriberPackage row. */
  packageInstalled?: boolean;
  grants?: Partial<EmulatorGrants>;
  faults?: Partial<Faults>;
  /** Access token lifetime (default 2 hours). */
  accessTokenTtlMs?: number;
  /** Folder of permission set XML read instead of the package's (tests use a copy with FLS removed). */
  permissionSetsDir?: string;
  /** Repository root holding sfdx-project.json and force-app (default: this repository). */
  projectRoot?: string;
  /** Bulk API 2.0 upload cap in bytes (default 150 MB, as Salesforce); tests lower it. */
  maxUploadBytes?: number;
  /**
   * Custom fields the subscriber added to standard objects, by object API name, e.g.
   * `{ Contact: [{ name: 'Work_Email__c', type: 'email' }] }`. Readable and editable by every user
   * unless listed in `grants.hiddenFields`.
   */
  extraFields?: Record<string, ExtraFieldSpec[]>;
}

/** Objects {@link EmulatorOrgHandle.merge} accepts (Salesforce merges only these, plus Case). */
type MergeableObject = 'Account' | 'Contact' | 'Lead';

/** The users every emulated org has. */
interface EmulatorUsers {
  admin: EmulatorUser;
  integration: EmulatorUser;
  apiOnly: EmulatorUser;
  unapproved: EmulatorUser;
}

/** Direct access to the org's data for test set-up and assertions. */
export interface EmulatorOrgHandle {
  /** Current (live) records of an object (namespaced API names); copies. */
  records(sobject: string): Array<Record<string, unknown>>;
  /** Records of an object in the recycle bin (IsDeleted = true), e.g. merge losers with MasterRecordId; copies. */
  deletedRecords(sobject: string): Array<Record<string, unknown>>;
  /** Seeds records directly, bypassing access checks and validation; returns the new ids. */
  insert(sobject: string, rows: Array<Record<string, unknown>>): string[];
  /**
   * Changes a live record as the admin, bypassing access checks (values are type-checked): bumps
   * LastModifiedDate and SystemModstamp (unless `changes` sets them) and keeps unique indexes right.
   * Throws for an unknown or deleted id, and for a converted Lead (CANNOT_UPDATE_CONVERTED_LEAD).
   */
  update(sobject: string, id: string, changes: Record<string, unknown>): void;
  /**
   * Deletes a record as the platform does: SetNull lookups on children are cleared (children's stamps
   * bumped), a Restrict lookup blocks the delete (throws DELETE_FAILED), the record goes to the recycle bin.
   */
  delete(sobject: string, id: string): void;
  /**
   * Merges one or two duplicates into the master (SOAP merge()/Apex merge): every live record whose
   * lookup points at a duplicate is re-parented to the master (stamps bumped), the duplicates go to the
   * recycle bin with MasterRecordId = master, the master's stamps are bumped.
   */
  merge(sobject: MergeableObject, masterId: string, duplicateIds: string[]): void;
  /**
   * Converts a Lead (convertLead()): creates the Account (Name = Company) and Contact (names, email,
   * title) unless given (`contactId` needs `accountId`, and that Contact must belong to it), sets
   * IsConverted, ConvertedAccountId/ContactId, ConvertedDate, Status 'Closed - Converted'; no Opportunity.
   */
  convertLead(
    leadId: string,
    opts?: { contactId?: string; accountId?: string },
  ): { contactId: string; accountId: string };
  /** Authenticated API calls served so far. */
  apiCallCount(): number;
  resetApiCallCount(): void;
}

/** A running emulator. */
export interface RunningEmulator {
  /** e.g. http://127.0.0.1:PORT (acts as the My Domain URL too). */
  instanceUrl: string;
  loginUrl: string;
  /** Consumer key and secret of the "Tightknit Salesforce" External Client App. */
  clientId: string;
  clientSecret: string;
  /** Registered redirect_uri values; any http://127.0.0.1:<port>/callback or http://localhost:<port>/callback is accepted too. */
  callbackUrls: string[];
  /** Private key whose certificate is registered on the app, for JWT bearer tests. */
  jwtPrivateKeyPem: string;
  users: EmulatorUsers;
  org: EmulatorOrgHandle;
  setFaults(f: Partial<Faults>): void;
  setGrants(g: Partial<EmulatorGrants>): void;
  issueTokens(user: 'admin' | 'integration'): { accessToken: string; refreshToken: string };
  /** Ends every current session now, as a session timeout does: access tokens answer 401 INVALID_SESSION_ID, refresh tokens stay valid. */
  expireAccessTokens(): void;
  close(): Promise<void>;
}

export const DEFAULT_GRANTS: EmulatorGrants = {
  contactRead: true,
  contactCreate: true,
  contactEdit: true,
  leadRead: true,
  apiEnabled: true,
};

export const DEFAULT_FAULTS: Faults = {
  latencyMs: 0,
  serverErrorRate: 0,
  dropConnectionRate: 0,
  lockRowRate: 0,
  failNextJobs: 0,
};

/** Options of {@link startEmulators}: those of one emulator (each org gets them), and how many orgs. */
export interface EmulatorFleetOptions extends Omit<EmulatorOptions, 'dataFile' | 'seedContactsCsv'> {
  /** How many orgs (1 to 1,000). */
  orgs: number;
  /** Not supported with several orgs (each org is seeded with `org.insert()`): given, the start fails. */
  dataFile?: never;
  seedContactsCsv?: never;
}

/** Several independent orgs served by one process ({@link startEmulators}). */
export interface EmulatorFleet {
  /** Org 1 first; each with its own instance URL, users, tokens and data. `close()` of one stops only it. */
  orgs: RunningEmulator[];
  /** How many orgs have state so far (an org is built on its first request or direct access). */
  initializedOrgs(): number;
  /** Stops every org. */
  close(): Promise<void>;
}
