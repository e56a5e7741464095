import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { XmlNode } from '../../metadata/xml';
import { parseMetadataXml, xmlSyntaxError } from '../../metadata/xml';
import { memberNameOf, suffixOf, TYPE_BY_SUFFIX } from './suffixes';

/** One `*-meta.xml` file of the package source, parsed when it is well-formed. */
export interface MetadataFile {
  absolutePath: string;
  /** Relative to the project root, forward slashes. */
  file: string;
  suffix: string;
  /** The Metadata API type the suffix maps to, or undefined for an unmapped suffix. */
  type?: string;
  /** API name from the file name, e.g. `Tightknit_Admin`, `Member__c-Community Member Layout`. */
  memberName: string;
  /** The parsed root element; undefined when the XML is not well-formed. */
  root?: XmlNode;
  rootTag?: string;
  /** Why the XML is not well-formed. */
  syntaxError?: string;
  text: string;
}

const SKIPPED_DIRS = new Set(['node_modules', '__tests__', 'jest-mocks']);

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.name.endsWith('-meta.xml')) out.push(path);
  }
}

/** The package directories of sfdx-project.json, absolute. */
export function packageDirectories(root: string): string[] {
  const sfdx = JSON.parse(readFileSync(join(root, 'sfdx-project.json'), 'utf8')) as {
    packageDirectories: { path: string }[];
  };
  return sfdx.packageDirectories.map((p) => join(root, p.path));
}

/** Finds and parses every `*-meta.xml` under the project's package directories, sorted by path. */
export function readMetadataFiles(root: string): MetadataFile[] {
  const paths: string[] = [];
  for (const dir of packageDirectories(root)) walk(dir, paths);
  return paths.sort().map((absolutePath) => {
    const name = absolutePath.slice(absolutePath.lastIndexOf(sep) + 1);
    const suffix = suffixOf(name) ?? '';
    const text = readFileSync(absolutePath, 'utf8');
    const file: MetadataFile = {
      absolutePath,
      file: relative(root, absolutePath).split(sep).join('/'),
      suffix,
      type: TYPE_BY_SUFFIX[suffix],
      memberName: memberNameOf(name),
      text,
      syntaxError: xmlSyntaxError(text),
    };
    if (!file.syntaxError) Object.assign(file, parseMetadataXml(text, file.file));
    return file;
  });
}
