import { join } from 'node:path';
import { REPO_ROOT } from '../metadata/project';

/** The project's own sf CLI (devDependency), so every machine runs the same version. */
export const SF_BIN = join(REPO_ROOT, 'node_modules', '.bin', 'sf');

/** Environment for every `sf` call: no telemetry, no auto-update or update notice (see docs/developer.md). */
export function sfEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    ...extra,
  };
}
