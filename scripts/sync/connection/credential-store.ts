import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors';
import { keyFiles, KeyOptions, KeySource } from './encryption';
import { openSealedFile, writeSealedFile, type SealedFile } from './sealed-file';
import { hasSlackCredentials } from './slack-files';
import type { ConnectionInfo, ConnectionSecrets, StoredCredentials } from './types';

/** The credentials file: connection info in clear, the secrets sealed with AES-256-GCM (info bound as AAD). */
type CredentialsFile = SealedFile<ConnectionInfo>;

const CREDENTIALS_FILE = 'credentials.json';

export function credentialsPath(stateDir: string): string {
  return join(stateDir, CREDENTIALS_FILE);
}

export function hasCredentials(stateDir: string): boolean {
  return existsSync(credentialsPath(stateDir));
}

/** Encrypts and writes the credentials (atomic rename, mode 0600). Returns a warning about the key, if any. */
export async function saveCredentials(
  creds: StoredCredentials,
  opts: KeyOptions,
): Promise<{ keySource: KeySource; warning?: string }> {
  const { secrets, ...info } = creds;
  return writeSealedFile(credentialsPath(opts.stateDir), info, secrets, opts);
}

function readFile(stateDir: string): CredentialsFile {
  const path = credentialsPath(stateDir);
  if (!existsSync(path)) {
    throw new UsageError('NOT_CONNECTED', 'No org is connected for this state directory.', {
      actions: ['Run `tightknit-sync connect` first (see the README, "Operator guide").'],
    });
  }
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as CredentialsFile;
    if (parsed.version !== 1 || !parsed.info || !parsed.secrets) throw new Error('unknown format');
    return parsed;
  } catch (err) {
    throw new UsageError('CREDENTIALS_UNREADABLE', `${path} is not a credentials file this version can read.`, {
      actions: ['Run `tightknit-sync connect` again to replace it.'],
      cause: err,
    });
  }
}

/** The connection info without decrypting anything (for status lines). */
export function readConnectionInfo(stateDir: string): ConnectionInfo | undefined {
  return hasCredentials(stateDir) ? readFile(stateDir).info : undefined;
}

export async function loadCredentials(opts: KeyOptions): Promise<StoredCredentials> {
  const file = readFile(opts.stateDir);
  const secrets = await openSealedFile<ConnectionInfo, ConnectionSecrets>(file, opts);
  return { ...file.info, secrets };
}

/** Replaces only the access token (after a refresh), keeping everything else. */
async function updateAccessToken(opts: KeyOptions, accessToken: string): Promise<void> {
  const creds = await loadCredentials(opts);
  await saveCredentials({ ...creds, secrets: { ...creds.secrets, accessToken } }, opts);
}

/**
 * Where a connection's credentials come from and where a renewed access token goes: the state
 * directory's sealed file (embedded mode), or a tenant's secrets (server mode, scripts/server/tenant-state).
 */
export interface CredentialSource {
  load(): Promise<StoredCredentials>;
  saveAccessToken(accessToken: string): Promise<void>;
}

/** The credentials file of a state directory, sealed with its key (env, OS keychain or key file). */
export function stateDirCredentials(opts: KeyOptions): CredentialSource {
  return { load: () => loadCredentials(opts), saveAccessToken: (token) => updateAccessToken(opts, token) };
}

/**
 * Deletes the credentials, and the key material in the state directory unless the Slack credentials
 * (sealed with the same key) are still stored.
 */
export function deleteCredentials(stateDir: string): boolean {
  const existed = hasCredentials(stateDir);
  const keyStillNeeded = hasSlackCredentials(stateDir);
  for (const f of [credentialsPath(stateDir), ...(keyStillNeeded ? [] : keyFiles(stateDir))])
    rmSync(f, { force: true });
  return existed;
}
