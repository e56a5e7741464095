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

function lightningTags(node: Node, out: Component[]): void {
  if (node.type === 'Component' && node.name.startsWith('lightning-')) out.push(node);
  const children: ChildNode[] = 'children' in node ? node.children : [];
  for (const child of children) lightningTags(child, out);
  if ('else' in node && node.else) lightningTags(node.else, out);
}

/**
 * Attributes every element takes whatever its public properties: HTML global attributes (`title`,
 * `hidden`, `tabindex`, ...), ARIA and `role`. The template parser already keeps `class`, `style`,
 * `slot`, `data-*`, `on*` handlers and `lwc:*`, `for:*`, `if:*`, `key` directives apart from properties.
 */
function isGlobal(attribute: string): boolean {
  return isGlobalHtmlAttribute(attribute) || isAriaAttribute(attribute) || attribute === 'role';
}

function tagFindings(tag: Component, base: BaseComponents, apiVersion: number, file: string): PackageFinding[] {
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
  for (const property of tag.properties) {
    if (isGlobal(property.attributeName) || module.properties.has(property.name)) continue;
    findings.push({
      check: 'templates',
      file,
      line: property.location.startLine,
      message:
        `<${tag.name}> has no public property "${property.name}" (attribute ${property.attributeName}); ` +
        `it has: ${[...module.properties].sort().join(', ')}`,
    });
  }
  return findings;
}

/**
 * Checks every `<lightning-*>` tag in a bundle's templates against the base components' published
 * metadata: the component exists at the project's API version and each attribute is one of its public
 * properties (inherited ones included) or an attribute every element takes.
 */
export function templateFindings(
  root: string,
  bundle: ConvertedBundle,
  base: BaseComponents,
  apiVersion: number,
): PackageFinding[] {
  const findings: PackageFinding[] = [];
  for (const name of listFiles(bundle.outputDir).filter((f) => f.endsWith('.html'))) {
    const { root: template } = parse(readFileSync(join(bundle.outputDir, name), 'utf8'), { apiVersion });
    if (!template) continue; // the platform compiler reports why the template does not parse
    const tags: Component[] = [];
    lightningTags(template, tags);
    const file = projectPath(root, join(bundle.sourceDir, name));
    for (const tag of tags) findings.push(...tagFindings(tag, base, apiVersion, file));
  }
  return findings;
}
