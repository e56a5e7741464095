import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../metadata/project';

let cached: string | undefined;

/** The API version the sync speaks: the package's sourceApiVersion (sfdx-project.json). */
export function apiVersion(): string {
  cached ??= (JSON.parse(readFileSync(join(REPO_ROOT, 'sfdx-project.json'), 'utf8')) as { sourceApiVersion: string })
    .sourceApiVersion;
  return cached;
}
