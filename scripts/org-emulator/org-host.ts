import { mkdirSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PackageProject, PermissionSetDef } from '../metadata/project';
import { IngestJobs } from './bulk/ingest-jobs';
import { MAX_UPLOAD_BYTES } from './bulk/ingest-routes';
import { QueryJobs } from './bulk/query-jobs';
import { EmulatorContext } from './context';
import { FaultPlan } from './faults';
import { ExternalClientApp } from './oauth/app';
import { TokenService } from './oauth/tokens';
import { EmulatedOrg, idBase, orgUsers, OrgUser } from './org';
import { QueryCursors } from './rest/query-cursors';
import { OrgSchema } from './schema/model';
import { requestHandler } from './server';
import { DirectAccess } from './store/direct-access';
import { EmulatorOptions, EmulatorUser, RunningEmulator } from './types';

const TWO_HOURS = 2 * 60 * 60 * 1000;

/** What the orgs of one process share: the parsed package, its schema, its permission sets and the app. */
export interface SharedOrgParts {
  pkg: PackageProject;
  schema: OrgSchema;
  permissionSets: Map<string, PermissionSetDef>;
  /** The package's External Client App: a packaged app has the same consumer key and secret in every org. */
  app: ExternalClientApp;
  /** Folder under which each org keeps its Bulk job files (one subfolder per org). */
  workRoot: string;
}

/**
 * One emulated org behind its own HTTP origin. Its state (records, users, tokens, jobs) is built on the
 * first request or the first direct access, so a process can host hundreds of orgs that stay idle.
 */
export class OrgHost {
  private ctx?: EmulatorContext;
  private direct?: DirectAccess;
  readonly faults = new FaultPlan();
  readonly server: Server;
  instanceUrl = '';
  private closed = false;

  constructor(
    private readonly shared: SharedOrgParts,
    private readonly opts: EmulatorOptions,
    readonly orgNumber: number,
  ) {
    let handle: ReturnType<typeof requestHandler> | undefined;
    this.server = createServer((req, res) => {
      handle ??= requestHandler(this.context(), this.faults);
      void handle(req, res);
    });
    // Longer than clients' keep-alive (undici: 4 s) so a busy or starved process never closes a socket the
    // client is about to reuse (that race surfaces as ECONNRESET); close() ends every connection anyway.
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
  }

  /** Listens on 127.0.0.1 (`port` 0: any free port); the instance URL is then this org's origin. */
  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.instanceUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** True once the org's state exists (a request reached it, or a test touched it). */
  get initialized(): boolean {
    return this.ctx !== undefined;
  }

  /** The org's state, built on first use. */
  context(): EmulatorContext {
    if (this.ctx) return this.ctx;
    const { schema, pkg, permissionSets, app, workRoot } = this.shared;
    const o = this.opts;
    const org = new EmulatedOrg(
      schema,
      pkg,
      permissionSets,
      o.packageInstalled ?? true,
      o.grants,
      o.faults,
      this.orgNumber,
    );
    const workDir = join(workRoot, `org${this.orgNumber}`);
    mkdirSync(workDir, { recursive: true });
    this.ctx = {
      org,
      tokens: new TokenService(org, o.accessTokenTtlMs ?? TWO_HOURS),
      app,
      instanceUrl: this.instanceUrl,
      loginUrl: this.instanceUrl,
      ingestJobs: new IngestJobs(workDir, o.maxUploadBytes ?? MAX_UPLOAD_BYTES, idBase(this.orgNumber)),
      queryJobs: new QueryJobs(idBase(this.orgNumber)),
      cursors: new QueryCursors(),
      codes: new Map(),
      frontdoorOtps: new Map(),
    };
    return this.ctx;
  }

  private access(): DirectAccess {
    this.direct ??= new DirectAccess(this.context().org);
    return this.direct;
  }

  /** Stops serving: open Bulk jobs end Aborted, in-flight processing is awaited, connections close. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ctx) {
      for (const job of this.ctx.ingestJobs.all())
        if (job.state === 'InProgress' || job.state === 'UploadComplete') job.state = 'Aborted';
      await Promise.allSettled([...this.ctx.ingestJobs.running]);
    }
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(join(this.shared.workRoot, `org${this.orgNumber}`), { recursive: true, force: true });
  }

  /** The public handle of this org (the {@link RunningEmulator} contract); `close` is the caller's. */
  handle(close: () => Promise<void>): RunningEmulator {
    const { app } = this.shared;
    const users = orgUsers(this.orgNumber, this.opts.packageInstalled ?? true);
    const pick = (u: OrgUser): EmulatorUser => ({ id: u.id, username: u.username, password: u.password });
    const org = (): EmulatedOrg => this.context().org;
    const running: RunningEmulator = {
      instanceUrl: this.instanceUrl,
      loginUrl: this.instanceUrl,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      callbackUrls: [...app.callbackUrls],
      jwtPrivateKeyPem: '',
      users: {
        admin: pick(users.admin),
        integration: pick(users.integration),
        apiOnly: pick(users.apiOnly),
        unapproved: pick(users.unapproved),
      },
      org: {
        records: (sobject) => this.access().records(sobject),
        deletedRecords: (sobject) => this.access().deletedRecords(sobject),
        insert: (sobject, rows) => this.access().insert(sobject, rows),
        update: (sobject, id, changes) => this.access().update(sobject, id, changes),
        delete: (sobject, id) => this.access().delete(sobject, id),
        merge: (sobject, masterId, duplicateIds) => this.access().merge(sobject, masterId, duplicateIds),
        convertLead: (leadId, o) => this.access().convertLead(leadId, o),
        apiCallCount: () => (this.ctx ? this.ctx.org.apiCalls : 0),
        resetApiCallCount: () => {
          if (this.ctx) this.ctx.org.apiCalls = 0;
        },
      },
      setFaults: (f) => {
        org().faults = { ...org().faults, ...f };
        this.faults.reset();
      },
      setGrants: (g) => org().setGrants(g),
      issueTokens: (user) => {
        const t = this.context().tokens.issue(org().users[user], app.clientId, true);
        return { accessToken: t.accessToken, refreshToken: t.refreshToken as string };
      },
      expireAccessTokens: () => this.ctx?.tokens.expireAllAccessTokens(),
      close,
    };
    // Generated on first read: RSA key generation costs ~100 ms (seconds on a loaded machine).
    Object.defineProperty(running, 'jwtPrivateKeyPem', { get: () => app.keys().privateKeyPem, enumerable: true });
    return running;
  }
}
