import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';

/** One LWC bundle as the conversion sees it. */
export interface ConvertedBundle {
  name: string;
  /** The bundle's source folder, absolute. */
  sourceDir: string;
  /** The bundle's folder in the Metadata API output, absolute. */
  outputDir: string;
}

/** The package in Metadata API format: what `sf project deploy` and packaging send. */
export interface ConvertedPackage {
  /** The output folder (package.xml at its top), absolute. */
  dir: string;
  bundles: ConvertedBundle[];
}

/**
 * Converts the package directories to Metadata API format with source-deploy-retrieve, the library
 * inside `sf project deploy` and `sf package version create`, with the project's `.forceignore`
 * applied. Writes into `outputDir` (emptied first), or a new temp folder when omitted.
 */
export async function convertPackage(packageDirs: string[], outputDir?: string): Promise<ConvertedPackage> {
  const dir = outputDir ?? mkdtempSync(join(tmpdir(), 'tk-package-'));
  if (outputDir) rmSync(outputDir, { recursive: true, force: true });
  const set = ComponentSet.fromSource({ fsPaths: packageDirs });
  await new MetadataConverter().convert(set, 'metadata', {
    type: 'directory',
    outputDirectory: dir,
    genUniqueDir: false,
  });
  const bundles = set
    .getSourceComponents()
    .toArray()
    .filter((c) => c.type.name === 'LightningComponentBundle' && c.content)
    .map((c) => ({ name: c.fullName, sourceDir: c.content as string, outputDir: join(dir, 'lwc', c.fullName) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { dir, bundles };
}

/** Every file under `dir`, relative to it, forward slashes, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split(sep).join('/'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}
