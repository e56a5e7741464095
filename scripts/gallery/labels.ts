import { join } from 'node:path';
import { REPO_ROOT } from '../metadata/project';
import { children, readMetadataXml, text } from '../metadata/xml';

let cache: Map<string, string> | undefined;

/** The package's custom labels (force-app's CustomLabels.labels-meta.xml), by name. */
export function customLabels(): Map<string, string> {
  if (!cache) {
    const { root } = readMetadataXml(join(REPO_ROOT, 'force-app/main/default/labels/CustomLabels.labels-meta.xml'));
    cache = new Map();
    for (const label of children(root, 'labels')) {
      const name = text(label, 'fullName');
      if (name) cache.set(name, text(label, 'value') ?? '');
    }
  }
  return cache;
}

/** One label's value, as `System.Label.X` gives it to Apex; an unknown name is an error, as on the platform. */
export function label(name: string): string {
  const value = customLabels().get(name);
  if (value === undefined) throw new Error(`No custom label ${name} in CustomLabels.labels-meta.xml.`);
  return value;
}
