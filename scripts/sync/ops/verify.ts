import { clientFor, type SalesforceTarget } from '../salesforce/client';
import { compareVersions, requiredPackageVersion, syncedObjects } from './package-fields';

interface InstalledPackage {
  name: string;
  namespace: string;
  version: string;
}

interface VerifyProblem {
  code: 'PACKAGE_NOT_INSTALLED' | 'PACKAGE_TOO_OLD' | 'OBJECT_MISSING' | 'FIELD_MISSING';
  message: string;
  fix: string;
}

export interface VerifyResult {
  ok: boolean;
  requiredVersion: string;
  installed?: InstalledPackage;
  objects: { name: string; fields: number; missingFields: string[]; found: boolean }[];
  problems: VerifyProblem[];
}

export interface VerifyOptions {
  /** The one Salesforce client (what openConnection gives), or a session to make one for. */
  connection: SalesforceTarget;
  namespace?: string;
  onProgress?: (message: string) => void;
}

interface InstalledRow {
  SubscriberPackage?: { Name?: string; NamespacePrefix?: string } | null;
  SubscriberPackageVersion?: {
    MajorVersion?: number;
    MinorVersion?: number;
    PatchVersion?: number;
    BuildNumber?: number;
  } | null;
}

const INSTALL_FIX =
  'Install the Tightknit Analytics managed package (namespace tightknit) in this org: choose "Install for Admins Only", then assign the permission sets (README.md "Admin guide").';

/**
 * Confirms the managed package is installed (Tooling API InstalledSubscriberPackage: name, namespace,
 * version) and that every object and field the sync writes exists (describe). Core function.
 */
export async function verifyPackage(opts: VerifyOptions): Promise<VerifyResult> {
  const namespace = opts.namespace ?? 'tightknit';
  const requiredVersion = requiredPackageVersion();
  const problems: VerifyProblem[] = [];
  opts.onProgress?.('Reading installed packages (Tooling API).');
  const conn = clientFor(opts.connection);
  const res = await conn.tooling.query<InstalledRow>(
    'SELECT SubscriberPackage.Name, SubscriberPackage.NamespacePrefix, SubscriberPackageVersion.MajorVersion, ' +
      'SubscriberPackageVersion.MinorVersion, SubscriberPackageVersion.PatchVersion, SubscriberPackageVersion.BuildNumber ' +
      'FROM InstalledSubscriberPackage',
  );
  const row = res.records.find((r) => r.SubscriberPackage?.NamespacePrefix === namespace);
  let installed: InstalledPackage | undefined;
  if (!row) {
    problems.push({
      code: 'PACKAGE_NOT_INSTALLED',
      message: `The Tightknit Analytics package (namespace ${namespace}) is not installed in this org; version ${requiredVersion} or later is needed.`,
      fix: INSTALL_FIX,
    });
  } else {
    const v = row.SubscriberPackageVersion ?? {};
    installed = {
      name: row.SubscriberPackage?.Name ?? 'Tightknit Analytics',
      namespace,
      version: [v.MajorVersion ?? 0, v.MinorVersion ?? 0, v.PatchVersion ?? 0, v.BuildNumber ?? 0].join('.'),
    };
    if (compareVersions(installed.version, requiredVersion) < 0) {
      problems.push({
        code: 'PACKAGE_TOO_OLD',
        message: `Tightknit Analytics ${installed.version} is installed; this sync needs ${requiredVersion} or later.`,
        fix: 'Upgrade the package with the installation link of the newer version (Setup → Installed Packages shows the current one).',
      });
    }
  }

  const objects: VerifyResult['objects'] = [];
  for (const obj of syncedObjects()) {
    opts.onProgress?.(`Describing ${obj.name}.`);
    let fieldNames: Set<string>;
    try {
      const d = await conn.describe(obj.name);
      fieldNames = new Set(d.fields.map((f) => f.name.toLowerCase()));
    } catch {
      objects.push({ name: obj.name, fields: obj.fields.length, missingFields: [], found: false });
      if (row) {
        problems.push({
          code: 'OBJECT_MISSING',
          message: `${obj.name} (${obj.label}) does not exist or is not visible to this user.`,
          fix: 'Upgrade the package, and assign the Tightknit Integration User permission set to the connected user.',
        });
      }
      continue;
    }
    const missing = obj.fields.filter((f) => !fieldNames.has(f.name.toLowerCase())).map((f) => f.name);
    objects.push({ name: obj.name, fields: obj.fields.length, missingFields: missing, found: true });
    if (missing.length > 0) {
      problems.push({
        code: 'FIELD_MISSING',
        message: `${obj.name} lacks ${missing.length} field(s) the sync writes: ${missing.join(', ')}.`,
        fix: `Upgrade Tightknit Analytics to ${requiredVersion} or later; if it is current, grant Read and Edit on these fields (field-level security) to the connected user.`,
      });
    }
  }
  return { ok: problems.length === 0, requiredVersion, installed, objects, problems };
}
