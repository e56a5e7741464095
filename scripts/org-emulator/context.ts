import { ExternalClientApp } from './oauth/app';
import { TokenService } from './oauth/tokens';
import { EmulatedOrg, OrgUser } from './org';
import { UserAccess } from './security/access';
import type { IngestJobs } from './bulk/ingest-jobs';
import type { QueryJobs } from './bulk/query-jobs';
import type { QueryCursors } from './rest/query-cursors';

/** Everything a request handler can reach. */
export interface EmulatorContext {
  org: EmulatedOrg;
  tokens: TokenService;
  app: ExternalClientApp;
  instanceUrl: string;
  loginUrl: string;
  ingestJobs: IngestJobs;
  queryJobs: QueryJobs;
  cursors: QueryCursors;
  /** Pending authorization codes of the web server flow. */
  codes: Map<string, { userId: string; redirectUri: string; challenge: string; expiresAt: number }>;
  /** One-time passwords of frontdoor URLs (Single Access UI Bridge). */
  frontdoorOtps: Map<string, { userId: string; startUrl: string; expiresAt: number }>;
}

/** The context of an authenticated API call. */
export interface ApiContext {
  emu: EmulatorContext;
  user: OrgUser;
  access: UserAccess;
}
