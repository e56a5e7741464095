import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_FACTS } from '../generated/package-facts';

/** What `--version` reports: this CLI's release and the managed package release it was built for. */
export interface VersionInfo {
  cli: string;
  /** The managed package's name, namespace and release this build expects (major.minor.patch or later). */
  package: { name: string; namespace: string; version: string };
  apiVersion: string;
  node: string;
  platform: string;
}

/** The CLI's version from its package.json (two levels up from scripts/cli and from dist/cli alike). */
export function cliVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

export function versionInfo(): VersionInfo {
  return {
    cli: cliVersion(),
    package: { name: PACKAGE_FACTS.name, namespace: PACKAGE_FACTS.namespace, version: PACKAGE_FACTS.version },
    apiVersion: PACKAGE_FACTS.apiVersion,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** `tightknit-sync 0.1.0 (Tightknit Analytics 0.1.0 or later, namespace tightknit, API v65.0) node v24.21.0 linux-x64` */
export function formatVersion(v: VersionInfo): string {
  return (
    `tightknit-sync ${v.cli} (expects the ${v.package.name} package ${v.package.version} or later, ` +
    `namespace ${v.package.namespace}, API v${v.apiVersion}) node ${v.node} ${v.platform}`
  );
}
