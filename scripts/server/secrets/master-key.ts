import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UsageError } from '../../sync/errors';
import { MASTER_KEY_ENV, PREVIOUS_MASTER_KEY_ENV } from '../names';

/** A master key and its id: a fingerprint stored beside what it wrapped, never the key itself. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

/** The key that wraps new data keys, and the one a rotation moves away from (if any). */
export interface MasterKeys {
  current: MasterKey;
  previous?: MasterKey;
}

const GENERATE = `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`;

/** The id names the key without revealing it: a domain-separated hash, truncated. */
function keyId(key: Buffer): string {
  return createHash('sha256').update('tightknit master key id\0').update(key).digest('hex').slice(0, 16);
}

function decode(raw: string, from: string): MasterKey {
  const key = Buffer.from(raw.trim(), 'base64');
  if (key.length !== 32) {
    throw new UsageError(
      'MASTER_KEY_INVALID',
      `${from} must hold 32 random bytes, base64-encoded (it decodes to ${key.length} bytes). Generate one with: ${GENERATE}`,
    );
  }
  return { id: keyId(key), key };
}

/** Reads `<VAR>` (the key) or `<VAR>_FILE` (a file holding it); undefined when neither is set. */
function readKey(env: NodeJS.ProcessEnv, name: string): MasterKey | undefined {
  const inline = env[name];
  const file = env[`${name}_FILE`];
  if (inline && file) {
    throw new UsageError('MASTER_KEY_AMBIGUOUS', `Both ${name} and ${name}_FILE are set. Keep one of them.`);
  }
  if (inline) return decode(inline, name);
  if (!file) return undefined;
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      'MASTER_KEY_FILE_UNREADABLE',
      `${name}_FILE names ${file}, which cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}). Fix the path or the file's permissions.`,
    );
  }
  return decode(content, `The key file ${file}`);
}

/**
 * The master keys from the environment: TIGHTKNIT_MASTER_KEY or TIGHTKNIT_MASTER_KEY_FILE (required),
 * and during a rotation TIGHTKNIT_PREVIOUS_MASTER_KEY or its _FILE. Errors never contain key material.
 */
export function resolveMasterKeys(env: NodeJS.ProcessEnv = process.env): MasterKeys {
  const current = readKey(env, MASTER_KEY_ENV);
  if (!current) {
    throw new UsageError(
      'MASTER_KEY_MISSING',
      `Server mode needs a master key: set ${MASTER_KEY_ENV} (32 random bytes, base64) or ${MASTER_KEY_ENV}_FILE (a file holding it). Generate one with: ${GENERATE}`,
    );
  }
  const previous = readKey(env, PREVIOUS_MASTER_KEY_ENV);
  return previous && previous.id !== current.id ? { current, previous } : { current };
}
