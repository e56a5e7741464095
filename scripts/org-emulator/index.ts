import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackageProject, readPackageProject, REPO_ROOT } from '../metadata/project';
import { createExternalClientApp } from './oauth/app';
import { OrgHost, SharedOrgParts } from './org-host';
import { buildSchema } from './schema/build-schema';
import { readPermissionSetsDir } from './security/permission-sets';
import { loadRecords, saveRecords } from './store/persistence';
import { seedContacts } from './store/seed-contacts';
import { EmulatorFleet, EmulatorFleetOptions, EmulatorOptions, RunningEmulator } from './types';

export * from './types';

/** Most orgs one process hosts: each is a listening socket, and 1,000 is far beyond any benchmark here. */
export const MAX_ORGS = 1000;

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

/** Reads the package and builds the schema once for every org the options describe. */
function sharedParts(opts: EmulatorOptions): SharedOrgParts {
  const pkg = project(opts.projectRoot ?? REPO_ROOT);
  return {
    pkg,
    schema: buildSchema(pkg, opts.packageInstalled ?? true, opts.extraFields),
    permissionSets: opts.permissionSetsDir ? readPermissionSetsDir(opts.permissionSetsDir) : pkg.permissionSets,
    app: createExternalClientApp(),
    workRoot: mkdtempSync(join(tmpdir(), 'tightknit-emulator-')),
  };
}

/**
 * Starts the local org emulator: an HTTP server on 127.0.0.1 that answers the REST, Bulk API 2.0
 * and OAuth calls of the sync as a Salesforce org would, with the schema and permission sets of this
 * repository's package. It is a test double, not Salesforce: see docs/emulator.md for what it models.
 */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const shared = sharedParts(opts);
  const host = new OrgHost(shared, opts, 1);
  try {
    await host.listen(opts.port ?? 0);
    const { org } = host.context();
    if (opts.dataFile) await loadRecords(org, opts.dataFile);
    if (opts.seedContactsCsv) await seedContacts(org, opts.seedContactsCsv);
  } catch (e) {
    await host.close();
    rmSync(shared.workRoot, { recursive: true, force: true });
    throw e;
  }
  let closing: Promise<void> | undefined;
  return host.handle(() => {
    closing ??= (async () => {
      await host.close();
      if (opts.dataFile) await saveRecords(host.context().org, opts.dataFile);
      rmSync(shared.workRoot, { recursive: true, force: true });
    })();
    return closing;
  });
}

/**
 * Starts `orgs` independent emulated orgs in this process, each on its own origin (a port of 127.0.0.1,
 * as each real org has its own My Domain): records, ids, users, tokens, limits and faults are per org,
 * and a token of one org is refused by every other. The package is read and the schema built once; an
 * org's state is created when it is first used. `port` 0: any free ports; P: P, P+1, … P+orgs−1.
 */
export async function startEmulators(opts: EmulatorFleetOptions): Promise<EmulatorFleet> {
  const { orgs: count, ...orgOpts } = opts;
  if (!Number.isInteger(count) || count < 1 || count > MAX_ORGS)
    throw new Error(`orgs must be a whole number from 1 to ${MAX_ORGS} (got ${count}).`);
  if (orgOpts.dataFile || orgOpts.seedContactsCsv)
    throw new Error(
      'dataFile and seedContactsCsv load one org: start a single emulator for them, or seed each org with org.insert().',
    );
  const base = orgOpts.port ?? 0;
  if (base > 0 && base + count - 1 > 65535) throw new Error(`ports ${base}–${base + count - 1} do not all exist.`);
  const shared = sharedParts(orgOpts);
  const hosts = Array.from({ length: count }, (_, i) => new OrgHost(shared, orgOpts, i + 1));
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await Promise.all(hosts.map((h) => h.close()));
      rmSync(shared.workRoot, { recursive: true, force: true });
    })();
    return closing;
  };
  try {
    // One at a time: with a fixed base port, a port in use names itself in the error.
    for (const [i, h] of hosts.entries()) await h.listen(base === 0 ? 0 : base + i);
  } catch (e) {
    await close();
    throw e;
  }
  return {
    orgs: hosts.map((h) => h.handle(() => h.close())),
    initializedOrgs: () => hosts.filter((h) => h.initialized).length,
    close,
  };
}
