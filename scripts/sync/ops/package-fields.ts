import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SObjects } from '../../generated/sobjects';
import { readPackageProject, REPO_ROOT, withNamespace } from '../../metadata/project';

/** Field types the sync never writes (computed by the platform). */
const COMPUTED_TYPES = new Set(['AutoNumber', 'Summary', 'Formula']);

export interface SyncedObject {
  /** Namespaced API name, e.g. tightknit__Member__c. */
  name: string;
  label: string;
  /** Namespaced custom fields the sync writes or reads back; required ones are always accessible. */
  fields: { name: string; label: string; required: boolean }[];
}

let cached: SyncedObject[] | undefined;

/** The three package objects and their custom fields, read from force-app through the shared reader. */
export function syncedObjects(): SyncedObject[] {
  if (cached) return cached;
  const project = readPackageProject();
  const wanted = new Set<string>(Object.values(SObjects));
  cached = [...project.objects.values()]
    .filter((o) => o.definedByPackage && wanted.has(withNamespace(project.namespace, o.name)))
    .map((o) => ({
      name: withNamespace(project.namespace, o.name),
      label: o.label ?? o.name,
      fields: o.fields
        .filter((f) => !COMPUTED_TYPES.has(f.type) && f.name.endsWith('__c'))
        .map((f) => ({ name: withNamespace(project.namespace, f.name), label: f.label, required: f.required })),
    }));
  return cached;
}

/** The package version this sync needs: major.minor.patch of sfdx-project.json's versionNumber. */
export function requiredPackageVersion(): string {
  const sfdx = JSON.parse(readFileSync(join(REPO_ROOT, 'sfdx-project.json'), 'utf8')) as {
    packageDirectories: { versionNumber?: string; default?: boolean }[];
  };
  const dir = sfdx.packageDirectories.find((d) => d.default) ?? sfdx.packageDirectories[0];
  const parts = (dir.versionNumber ?? '0.1.0.NEXT').split('.').slice(0, 3);
  return parts.map((p) => (/^\d+$/.test(p) ? p : '0')).join('.');
}

/** Compares dotted versions numerically (1.10.0 > 1.9.3). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
