import { PACKAGE_FACTS, SYNCED_OBJECTS, type SyncedObjectFacts } from '../../generated/package-facts';

/** A package object the sync writes: namespaced API name, label, and the custom fields it writes or reads back. */
export type SyncedObject = SyncedObjectFacts;

/** The package's data objects and their custom fields, as generated from force-app at build time. */
export function syncedObjects(): readonly SyncedObject[] {
  return SYNCED_OBJECTS;
}

/** The package release this sync needs (major.minor.patch), generated from sfdx-project.json at build time. */
export function requiredPackageVersion(): string {
  return PACKAGE_FACTS.version;
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
