import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAriaAttribute, isGlobalHtmlAttribute } from '@lwc/shared';
import { parse, type ChildNode, type Component, type Node } from '@lwc/template-compiler';
import type { BaseComponents } from './base-components';
import type { ConvertedBundle } from './convert';
import { listFiles } from './convert';
import type { PackageFinding } from './finding';
import { projectPath } from './project';

/** `lightning-formatted-date-time` → `lightning/formattedDateTime` */
export function moduleOfTag(tag: string): string {
  const [namespace, ...rest] = tag.split('-');
  const name = rest.map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1))).join('');
  return `${namespace}/${name}`;
}

/** What templates are checked against. */
export interface TemplateContext {
  root: string;
  base: BaseComponents;
  apiVersion: number;
  namespace: string;
  /** Each bundle's `@api` properties, by bundle name, from the compiler (bundles that compiled). */
  publicProperties: Map<string, Set<string>>;
}

function componentTags(node: Node, out: Component[]): void {
  if (node.type === 'Component') out.push(node);
  const children: ChildNode[] = 'children' in node ? node.children : [];
  for (const child of children) componentTags(child, out);
  if ('else' in node && node.else) componentTags(node.else, out);
}

/**
 * Attributes every element takes whatever its public properties: HTML global attributes (`title`,
 * `hidden`, `tabindex`, ...), ARIA and `role`. The template parser already keeps `class`, `style`,
 * `slot`, `data-*`, `on*` handlers and `lwc:*`, `for:*`, `if:*`, `key` directives apart from properties.
 */
function isGlobal(attribute: string): boolean {
  return isGlobalHtmlAttribute(attribute) || isAriaAttribute(attribute) || attribute === 'role';
}

function unknownProperties(tag: Component, known: Set<string>, file: string): PackageFinding[] {
  return tag.properties
    .filter((property) => !isGlobal(property.attributeName) && !known.has(property.name))
    .map((property) => ({
      check: 'templates',
      file,
      line: property.location.startLine,
      message:
        `<${tag.name}> has no public property "${property.name}" (attribute ${property.attributeName}); ` +
        `it has: ${[...known].sort().join(', ') || 'none'}`,
    }));
}

/** A tag of this package's own components: its attributes must be `@api` properties of that bundle. */
function packageTagFindings(tag: Component, context: TemplateContext, file: string): PackageFinding[] {
  const [namespace, ...rest] = moduleOfTag(tag.name).split('/');
  if (namespace !== 'c' && namespace !== context.namespace) return [];
  // A bundle the package lacks is reported by the reference check, one that fails to compile by the compiler.
  const known = context.publicProperties.get(rest.join('/'));
  return known ? unknownProperties(tag, known, file) : [];
}

function tagFindings(tag: Component, context: TemplateContext, file: string): PackageFinding[] {
  if (!tag.name.startsWith('lightning-')) return packageTagFindings(tag, context, file);
  const { base, apiVersion } = context;
  const line = tag.location.startLine;
  const module = base.module(moduleOfTag(tag.name));
  if (!module) {
    return [
      {
        check: 'templates',
        file,
        line,
        message: `<${tag.name}> is not a base component the platform provides (lightning-base-components metadata/raptor.json has no ${moduleOfTag(tag.name)})`,
      },
    ];
  }
  const findings: PackageFinding[] = [];
  if (module.minVersion !== undefined && module.minVersion > apiVersion) {
    findings.push({
      check: 'templates',
      file,
      line,
      message: `<${tag.name}> needs API version ${module.minVersion}; sfdx-project.json has ${apiVersion}`,
    });
  }
  return [...findings, ...unknownProperties(tag, module.properties, file)];
}

/**
 * Checks every component tag in a bundle's templates: a `<lightning-*>` tag against the base
 * components' published metadata (the component exists at the project's API version, each attribute
 * is one of its public properties, inherited ones included), a `<c-*>` tag against the `@api`
 * properties of the package's bundle; attributes every element takes pass on both.
 */
export function templateFindings(bundle: ConvertedBundle, context: TemplateContext): PackageFinding[] {
  const findings: PackageFinding[] = [];
  for (const name of listFiles(bundle.outputDir).filter((f) => f.endsWith('.html'))) {
    const text = readFileSync(join(bundle.outputDir, name), 'utf8');
    const { root: template } = parse(text, { apiVersion: context.apiVersion });
    if (!template) continue; // the platform compiler reports why the template does not parse
    const tags: Component[] = [];
    componentTags(template, tags);
    const file = projectPath(context.root, join(bundle.sourceDir, name));
    for (const tag of tags) findings.push(...tagFindings(tag, context, file));
  }
  return findings;
}
