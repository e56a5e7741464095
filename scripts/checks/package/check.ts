import { BaseComponents } from './base-components';
import { compileBundle } from './compile';
import { convertPackage, type ConvertedPackage } from './convert';
import { componentCounts, countFindings, readExpectedCounts } from './counts';
import type { PackageFinding } from './finding';
import { payloadFindings } from './payload';
import { readPackageSource } from './project';
import { referenceFindings } from './references';
import { templateFindings } from './templates';

export interface CheckPackageOptions {
  /** Where to write the Metadata API output (emptied first); a temp folder when omitted. */
  outputDir?: string;
  /** Base component metadata already loaded; read from lightning-base-components when omitted. */
  base?: BaseComponents;
}

export interface PackageCheckResult {
  findings: PackageFinding[];
  /** The converted package: the folder a deploy sends. */
  converted: ConvertedPackage;
  /** Components per Metadata API type in the payload. */
  counts: Record<string, number>;
}

/**
 * Checks the package the way the platform will receive it, offline. Run after the TypeScript build
 * (`npm run build`): converts the source with source-deploy-retrieve (`.forceignore` applied) and
 * checks the payload and its component counts, then compiles every LWC bundle of the payload with the
 * platform's LWC compiler and checks what it references and every component tag its templates use.
 */
export async function checkPackage(root: string, options: CheckPackageOptions = {}): Promise<PackageCheckResult> {
  const source = readPackageSource(root);
  const expected = readExpectedCounts(root);
  const converted = await convertPackage(source.packageDirs, options.outputDir);
  const counts = componentCounts(converted.dir);
  const findings = [...payloadFindings(root, source.packageDirs, converted), ...countFindings(counts, expected)];
  const base = options.base ?? new BaseComponents();
  const context = { source, bundles: new Set(converted.bundles.map((b) => b.name)), base };
  const publicProperties = new Map<string, Set<string>>();
  for (const bundle of converted.bundles) {
    const compiled = await compileBundle(root, bundle, source.namespace, source.apiVersion);
    findings.push(...compiled.findings, ...referenceFindings(compiled, context));
    if (compiled.publicProperties) publicProperties.set(bundle.name, compiled.publicProperties);
  }
  const templates = { root, base, apiVersion: source.apiVersion, namespace: source.namespace, publicProperties };
  for (const bundle of converted.bundles) findings.push(...templateFindings(bundle, templates));
  return { findings, converted, counts };
}
