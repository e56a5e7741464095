import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { packageDirectories } from '../metadata/files';

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (/\.(cls|trigger)$/.test(entry.name)) out.push(path);
  }
}

/** Every .cls and .trigger under the project's package directories, absolute and sorted. */
export function apexFiles(root: string): string[] {
  const out: string[] = [];
  for (const dir of packageDirectories(root)) walk(dir, out);
  return out.sort();
}

/** Absolute path → path relative to the project root with forward slashes. */
export function projectPath(root: string, absolute: string): string {
  return relative(root, absolute).split(sep).join('/');
}
