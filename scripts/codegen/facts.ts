import type { ObjectDef, PackageProject } from '../metadata/project';
import { withNamespace } from '../metadata/project';
import { GENERATED_HEADER } from './sobjects';

/** Field types the sync never writes: the platform computes them. */
const COMPUTED_TYPES = new Set(['AutoNumber', 'Summary', 'Formula']);

/** A package object as the sync sees it: namespaced names, and only the custom fields it writes or reads back. */
interface SyncedObjectFacts {
  name: string;
  label: string;
  fields: { name: string; label: string; required: boolean }[];
}

/** `0.1.0.NEXT` → `0.1.0`: the build number is not part of what an installed package must match. */
export function releaseVersion(versionNumber: string): string {
  return versionNumber
    .split('.')
    .slice(0, 3)
    .map((p) => (/^\d+$/.test(p) ? p : '0'))
    .join('.');
}

function synced(ns: string, object: ObjectDef): SyncedObjectFacts {
  return {
    name: withNamespace(ns, object.name),
    label: object.label ?? object.name,
    fields: object.fields
      .filter((f) => !COMPUTED_TYPES.has(f.type) && f.name.endsWith('__c'))
      .map((f) => ({ name: withNamespace(ns, f.name), label: f.label, required: f.required })),
  };
}

/**
 * Builds the TypeScript source of scripts/generated/package-facts.ts (not yet formatted): what the sync
 * must know about the managed package at run time, so that it never reads force-app or sfdx-project.json
 * (an installed CLI has neither).
 */
export function buildFactsSource(pkg: PackageProject): string {
  const objects = [...pkg.objects.values()]
    .filter((o) => o.definedByPackage && !o.customSettingsType && o.name.endsWith('__c'))
    .map((o) => synced(pkg.namespace, o));
  const facts = {
    name: pkg.packageName,
    namespace: pkg.namespace,
    version: releaseVersion(pkg.versionNumber),
    apiVersion: pkg.apiVersion,
  };
  return [
    GENERATED_HEADER,
    '/** A package object as the sync sees it: namespaced names, the custom fields it writes or reads back. */',
    'export interface SyncedObjectFacts {',
    '  name: string;',
    '  label: string;',
    '  fields: readonly { name: string; label: string; required: boolean }[];',
    '}',
    '',
    '/** The managed package this build of the sync expects: name, namespace, release (major.minor.patch), API version. */',
    `export const PACKAGE_FACTS = ${JSON.stringify(facts)} as const;`,
    '',
    "/** The package's data objects and their custom fields, computed fields left out. */",
    `export const SYNCED_OBJECTS: readonly SyncedObjectFacts[] = ${JSON.stringify(objects)};`,
    '',
  ].join('\n');
}
