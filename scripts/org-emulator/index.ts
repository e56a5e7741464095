import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackageProject, readPackageProject, REPO_ROOT } from '../metadata/project';
import { IngestJobs } from './bulk/ingest-jobs';
import { MAX_UPLOAD_BYTES } from './bulk/ingest-routes';
import { QueryJobs } from './bulk/query-jobs';
import { EmulatorContext } from './context';
import { FaultPlan } from './faults';
import { createExternalClientApp } from './oauth/app';
import { TokenService } from './oauth/tokens';
import { EmulatedOrg } from './org';
import { QueryCursors } from './rest/query-cursors';
import { buildSchema } from './schema/build-schema';
import { readPermissionSetsDir } from './security/permission-sets';
import { requestHandler } from './server';
import { DirectAccess } from './store/direct-access';
import { loadRecords, saveRecords } from './store/persistence';
import { seedContacts } from './store/seed-contacts';
import { EmulatorOptions, RunningEmulator } from './types';

export * from './types';

const TWO_HOURS = 2 * 60 * 60 * 1000;

/** force-app read once per root and process: tests start many emulators, the metadata does not change meanwhile. */
const projects = new Map<string, PackageProject>();
function project(root: string): PackageProject {
  let p = projects.get(root);
  if (!p) {
    p = readPackageProject(root);
    projects.set(root, p);
  }
  return p;
}

/**
 * Starts the local org emulator: an HTTP server on 127.0.0.1 that answers the REST, Bulk API 2.0
 * and OAuth calls of the sync as a Salesforce org would, with the schema and permission sets of this
 * repository's package. It is a test double, not Salesforce: see docs/emulator.md for what it models.
 */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const pkg = project(opts.projectRoot ?? REPO_ROOT);
  const packageInstalled = opts.packageInstalled ?? true;
  const permissionSets = opts.permissionSetsDir ? readPermissionSetsDir(opts.permissionSetsDir) : pkg.permissionSets;
  const org = new EmulatedOrg(
    buildSchema(pkg, packageInstalled, opts.extraFields),
    pkg,
    permissionSets,
    packageInstalled,
    opts.grants,
    opts.faults,
  );
  if (opts.dataFile) await loadRecords(org, opts.dataFile);
  if (opts.seedContactsCsv) await seedContacts(org, opts.seedContactsCsv);

  const workDir = mkdtempSync(join(tmpdir(), 'tightknit-emulator-'));
  const app = createExternalClientApp();
  const emu: EmulatorContext = {
    org,
    tokens: new TokenService(org, opts.accessTokenTtlMs ?? TWO_HOURS),
    app,
    instanceUrl: '',
    loginUrl: '',
    ingestJobs: new IngestJobs(workDir, opts.maxUploadBytes ?? MAX_UPLOAD_BYTES),
    queryJobs: new QueryJobs(),
    cursors: new QueryCursors(),
    codes: new Map(),
    frontdoorOtps: new Map(),
  };
  const faults = new FaultPlan();
  const handle = requestHandler(emu, faults);
  const server: Server = createServer((req, res) => void handle(req, res));
  // Longer than clients' keep-alive (undici: 4 s) so a busy or starved process never closes a socket the
  // client is about to reuse (that race surfaces as ECONNRESET); close() ends every connection anyway.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  emu.instanceUrl = `http://127.0.0.1:${port}`;
  emu.loginUrl = emu.instanceUrl;
  const direct = new DirectAccess(org);
  const pick = (u: (typeof org.users)['admin']): { id: string; username: string; password: string } => ({
    id: u.id,
    username: u.username,
    password: u.password,
  });
  let closed = false;

  const running: RunningEmulator = {
    instanceUrl: emu.instanceUrl,
    loginUrl: emu.loginUrl,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    callbackUrls: [...app.callbackUrls],
    jwtPrivateKeyPem: '',
    users: {
      admin: pick(org.users.admin),
      integration: pick(org.users.integration),
      apiOnly: pick(org.users.apiOnly),
      unapproved: pick(org.users.unapproved),
    },
    org: {
      records: (sobject) => direct.records(sobject),
      deletedRecords: (sobject) => direct.deletedRecords(sobject),
      insert: (sobject, rows) => direct.insert(sobject, rows),
      update: (sobject, id, changes) => direct.update(sobject, id, changes),
      delete: (sobject, id) => direct.delete(sobject, id),
      merge: (sobject, masterId, duplicateIds) => direct.merge(sobject, masterId, duplicateIds),
      convertLead: (leadId, opts) => direct.convertLead(leadId, opts),
      apiCallCount: () => org.apiCalls,
      resetApiCallCount: () => {
        org.apiCalls = 0;
      },
    },
    setFaults: (f) => {
      org.faults = { ...org.faults, ...f };
      faults.reset();
    },
    setGrants: (g) => org.setGrants(g),
    issueTokens: (user) => {
      const t = emu.tokens.issue(org.users[user], app.clientId, true);
      return { accessToken: t.accessToken, refreshToken: t.refreshToken as string };
    },
    expireAccessTokens: () => emu.tokens.expireAllAccessTokens(),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const job of emu.ingestJobs.all())
        if (job.state === 'InProgress' || job.state === 'UploadComplete') job.state = 'Aborted';
      await Promise.allSettled([...emu.ingestJobs.running]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (opts.dataFile) await saveRecords(org, opts.dataFile);
      rmSync(workDir, { recursive: true, force: true });
    },
  };
  // Generated on first read: RSA key generation costs ~100 ms (seconds on a loaded machine).
  Object.defineProperty(running, 'jwtPrivateKeyPem', { get: () => app.keys().privateKeyPem, enumerable: true });
  return running;
}
