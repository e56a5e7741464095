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
}

/** The users every emulated org has. */
export interface EmulatorUsers {
  admin: EmulatorUser;
  integration: EmulatorUser;
  apiOnly: EmulatorUser;
  unapproved: EmulatorUser;
}

/** Direct access to the org's data for test set-up and assertions. */
export interface EmulatorOrgHandle {
  /** Current records of an object (namespaced API names). */
  records(sobject: string): Array<Record<string, unknown>>;
  /** Seeds records directly, bypassing access checks and validation; returns the new ids. */
  insert(sobject: string, rows: Array<Record<string, unknown>>): string[];
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
