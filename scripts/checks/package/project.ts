import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { children, parseMetadataXml, text } from '../../metadata/xml';
import { readApexClass, type ApexClassInfo } from './apex';

/** The facts of the sfdx project that the compiler's references are checked against. */
export interface PackageSource {
  root: string;
  /** sfdx-project.json `namespace`: what `c` means on the platform. */
  namespace: string;
  /** sfdx-project.json `sourceApiVersion`, e.g. 65. */
  apiVersion: number;
  /** The package directories, absolute. */
  packageDirs: string[];
  /** Apex classes by lower-cased name (Apex names are case-insensitive). */
  classes: Map<string, ApexClassInfo>;
  /** Custom label names defined in the package's `*.labels-meta.xml`. */
  labels: Set<string>;
}

interface SfdxProject {
  namespace?: string;
  sourceApiVersion?: string;
  packageDirectories?: { path: string }[];
}

/** Absolute path → project-relative path with forward slashes. */
export function projectPath(root: string, absolute: string): string {
  return relative(root, absolute).split(sep).join('/');
}

function walk(dir: string, visit: (path: string, name: string) => void): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === '__tests__') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, visit);
    else visit(path, entry.name);
  }
}

function readSfdxProject(root: string): Required<SfdxProject> {
  const file = join(root, 'sfdx-project.json');
  let project: SfdxProject;
  try {
    project = JSON.parse(readFileSync(file, 'utf8')) as SfdxProject;
  } catch (error) {
    throw new Error(
      `Cannot read ${file} (${error instanceof Error ? error.message : String(error)}): run the check from an sfdx project root.`,
    );
  }
  if (!project.namespace || !project.sourceApiVersion || !project.packageDirectories?.length) {
    throw new Error(
      `${file} must set namespace, sourceApiVersion and packageDirectories: the platform compiles with all three.`,
    );
  }
  return project as Required<SfdxProject>;
}

/** Reads sfdx-project.json, every Apex class and every custom label of the package directories. */
export function readPackageSource(root: string): PackageSource {
  const sfdx = readSfdxProject(root);
  const source: PackageSource = {
    root,
    namespace: sfdx.namespace,
    apiVersion: Number(sfdx.sourceApiVersion),
    packageDirs: sfdx.packageDirectories.map((p) => join(root, p.path)),
    classes: new Map(),
    labels: new Set(),
  };
  for (const dir of source.packageDirs) {
    walk(dir, (path, name) => {
      if (name.endsWith('.cls')) {
        const info = readApexClass(projectPath(root, path), readFileSync(path, 'utf8'));
        source.classes.set(name.slice(0, -'.cls'.length).toLowerCase(), info);
      } else if (name.endsWith('.labels-meta.xml')) {
        const { root: labels } = parseMetadataXml(readFileSync(path, 'utf8'), path);
        for (const label of children(labels, 'labels')) source.labels.add(text(label, 'fullName') ?? '');
      }
    });
  }
  return source;
}
