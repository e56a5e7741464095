import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `value` as indented JSON to `path` atomically: a reader (or a crash) sees the old file or the
 * new one, never half of it, because the new text is written beside it and renamed over it. `mode`
 * applies to a file this creates (0o600 for anything holding a secret or settings).
 */
export function writeJsonFile(path: string, value: unknown, opts: { mode?: number } = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, opts.mode === undefined ? {} : { mode: opts.mode });
  renameSync(tmp, path);
}
