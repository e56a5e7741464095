import type { BaseComponents } from './base-components';
import type { CompiledBundle, CompilerReference } from './compile';
import type { PackageFinding } from './finding';
import type { PackageSource } from './project';
import { sourcePlace } from './source-lines';
import { moduleOfTag } from './templates';

/** What a reference is checked against: the package source, its bundles and the platform's modules. */
export interface ReferenceContext {
  source: PackageSource;
  /** LWC bundle names of the package. */
  bundles: Set<string>;
  base: BaseComponents;
}

/** Strips `c.`/`<namespace>.` (labels, Apex) or `c/`, `c-` (modules, tags) when it names this package. */
function local(id: string, namespace: string, separator: string): string | undefined {
  for (const prefix of ['c', namespace]) if (id.startsWith(prefix + separator)) return id.slice(prefix.length + 1);
  return undefined;
}

function apexProblem(ref: string, context: ReferenceContext): string | undefined {
  const parts = ref.split('.');
  const own = parts.length === 3 ? local(ref, context.source.namespace, '.') : ref;
  const [className, method] = (own ?? '').split('.');
  if (!own || !method) return `@salesforce/apex/${ref} must name Class.method of this package`;
  const apex = context.source.classes.get(className.toLowerCase());
  if (!apex) return `Apex class ${className} is not in the package`;
  const target = apex.auraEnabled.get(method.toLowerCase());
  if (!target) {
    return apex.otherMethods.has(method.toLowerCase())
      ? `${className}.${method} is not @AuraEnabled (${apex.file}): a component cannot call it`
      : `${className} has no method ${method} (${apex.file})`;
  }
  if (!target.isStatic)
    return `${className}.${method} must be static to be called from a component (${apex.file}:${target.line})`;
  if (apex.sharing !== 'with sharing') {
    return `${className} must be declared "with sharing" (it is ${apex.sharing ?? 'undeclared'}): components run as the user (${apex.file})`;
  }
  return undefined;
}

function labelProblem(ref: string, context: ReferenceContext): string | undefined {
  const name = local(ref, context.source.namespace, '.');
  if (!name || !/^\w+$/.test(name))
    return `@salesforce/label/${ref} is malformed: import @salesforce/label/c.Label_Name`;
  return context.source.labels.has(name) ? undefined : `custom label ${name} is not defined in the package's labels`;
}

function moduleProblem(ref: string, context: ReferenceContext): string | undefined {
  if (ref === 'lwc') return undefined;
  if (ref.startsWith('lightning/')) {
    const module = context.base.module(ref);
    if (!module)
      return `${ref} is not a platform module (lightning-base-components metadata/raptor.json has no such entry)`;
    const version = context.source.apiVersion;
    return module.minVersion !== undefined && module.minVersion > version
      ? `${ref} needs API version ${module.minVersion}; sfdx-project.json has ${version}`
      : undefined;
  }
  const bundle = local(ref, context.source.namespace, '/');
  if (bundle !== undefined)
    return context.bundles.has(bundle) ? undefined : `module ${ref}: the package has no LWC bundle ${bundle}`;
  return `module ${ref} is neither a platform module (lwc, lightning/*) nor a bundle of this package`;
}

function componentProblem(tag: string, context: ReferenceContext): string | undefined {
  if (tag.startsWith('lightning-')) return undefined; // checked with its attributes against raptor.json
  const module = moduleOfTag(tag);
  const bundle = local(module, context.source.namespace, '/');
  if (bundle !== undefined)
    return context.bundles.has(bundle) ? undefined : `<${tag}>: the package has no LWC bundle ${bundle}`;
  return `<${tag}> is neither a base component nor a component of this package`;
}

/** Why a reference cannot resolve on the platform, or undefined; types the check does not cover pass. */
function problem(reference: CompilerReference, context: ReferenceContext): string | undefined {
  switch (reference.type) {
    case 'apexMethod':
    case 'apexContinuation':
      return apexProblem(reference.id, context);
    case 'label':
      return labelProblem(reference.id, context);
    case 'module':
      return moduleProblem(reference.id, context);
    case 'component':
      return componentProblem(reference.id, context);
    default:
      return undefined;
  }
}

const SPECIFIER_PREFIX: Record<string, string> = {
  apexMethod: '@salesforce/apex/',
  apexContinuation: '@salesforce/apexContinuation/',
  label: '@salesforce/label/',
};

/**
 * Checks what the platform compiler reports a bundle references against the source: every
 * `@salesforce/apex/Class.method` is a static `@AuraEnabled` method of a `with sharing` class in the
 * package, every `@salesforce/label/c.X` is a defined custom label, every `c/*` module and `c-*` tag
 * is a bundle of the package, and every `lightning/*` module is one the platform provides.
 */
export function referenceFindings(compiled: CompiledBundle, context: ReferenceContext): PackageFinding[] {
  const findings: PackageFinding[] = [];
  for (const reference of compiled.references) {
    const message = problem(reference, context);
    if (!message) continue;
    const needle =
      reference.type === 'component' ? undefined : `${SPECIFIER_PREFIX[reference.type] ?? ''}${reference.id}`;
    const place = sourcePlace(
      context.source.root,
      compiled.bundle.sourceDir,
      reference.file,
      reference.locations[0]?.startLine,
      needle,
    );
    findings.push({ check: 'references', file: place.file, line: place.line, message });
  }
  return findings;
}
