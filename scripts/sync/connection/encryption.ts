import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { UsageError } from '../errors';
import { ensurePrivateDir } from '../state-dir';

/**
 * Where the AES-256-GCM key for the credentials file comes from, in this order:
 * 1. `TIGHTKNIT_ENCRYPTION_KEY` (32 bytes, base64) — an explicit operator choice wins; servers and CI use it.
 * 2. The OS keychain through @salesforce/core's crypto (macOS Keychain, Windows, Linux Secret Service):
 *    a random key wrapped with the sf CLI's keychain key, so nothing usable sits in the state directory.
 * 3. A key file `credentials.key` in the state directory (mode 0600), with a warning: anyone who can read
 *    the state directory can decrypt the tokens.
 */
export type KeySource = 'env' | 'keychain' | 'file';

const KEY_ENV_VAR = 'TIGHTKNIT_ENCRYPTION_KEY';
const KEYCHAIN_ENV_VAR = 'TIGHTKNIT_KEYCHAIN';

/** Wraps and unwraps a data key with a key held by the OS keychain. */
interface KeychainAdapter {
  wrap(plain: string): Promise<string>;
  unwrap(wrapped: string): Promise<string>;
}

export interface ResolvedKey {
  key: Buffer;
  source: KeySource;
  warning?: string;
}

export interface KeyOptions {
  stateDir: string;
  env?: NodeJS.ProcessEnv;
  /** Override keychain detection (tests pass null for "no keychain"). */
  keychain?: KeychainAdapter | null;
}

const KEY_FILE = 'credentials.key';
const WRAPPED_KEY_FILE = 'credentials.key.keychain';

function keyFromEnv(env: NodeJS.ProcessEnv): Buffer | undefined {
  const raw = env[KEY_ENV_VAR];
  if (raw === undefined || raw === '') return undefined;
  const key = Buffer.from(raw.trim(), 'base64');
  if (key.length !== 32) {
    throw new UsageError('ENCRYPTION_KEY_INVALID', `${KEY_ENV_VAR} must be 32 random bytes, base64-encoded.`, {
      actions: [`Generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`],
    });
  }
  return key;
}

function onPath(binary: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((d) => d !== '' && existsSync(join(d, binary)));
}

/** @salesforce/core's Crypto is not in its public exports; load it from its file, and fail soft. */
async function sfCoreKeychain(): Promise<KeychainAdapter | null> {
  try {
    const file = join(dirname(require.resolve('@salesforce/core')), 'crypto', 'crypto.js');
    const mod = (await import(file)) as {
      Crypto: { create(): Promise<{ encrypt(t: string): string; decrypt(t: string): string; close(): void }> };
    };
    return {
      async wrap(plain) {
        const c = await mod.Crypto.create();
        try {
          return c.encrypt(plain);
        } finally {
          c.close();
        }
      },
      async unwrap(wrapped) {
        const c = await mod.Crypto.create();
        try {
          return c.decrypt(wrapped);
        } finally {
          c.close();
        }
      },
    };
  } catch {
    return null;
  }
}

/** The OS keychain when this machine has a real one (not sf's plain-file fallback), unless turned off. */
async function detectKeychain(env: NodeJS.ProcessEnv = process.env): Promise<KeychainAdapter | null> {
  if (env[KEYCHAIN_ENV_VAR] === 'off') return null;
  const real =
    process.platform === 'darwin' ||
    process.platform === 'win32' ||
    (process.platform === 'linux' && onPath('secret-tool'));
  return real ? sfCoreKeychain() : null;
}

function writePrivate(file: string, content: string): void {
  ensurePrivateDir(dirname(file));
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** Picks the key for writing credentials (creating a keychain-wrapped or file key on first use). */
export async function resolveKeyForWrite(opts: KeyOptions): Promise<ResolvedKey> {
  const env = opts.env ?? process.env;
  const fromEnv = keyFromEnv(env);
  if (fromEnv) return { key: fromEnv, source: 'env' };
  const keychain = opts.keychain === undefined ? await detectKeychain(env) : opts.keychain;
  if (keychain) {
    const wrappedFile = join(opts.stateDir, WRAPPED_KEY_FILE);
    if (existsSync(wrappedFile)) {
      return {
        key: Buffer.from(await keychain.unwrap(readFileSync(wrappedFile, 'utf8')), 'base64'),
        source: 'keychain',
      };
    }
    const key = randomBytes(32);
    writePrivate(wrappedFile, await keychain.wrap(key.toString('base64')));
    return { key, source: 'keychain' };
  }
  const keyFile = join(opts.stateDir, KEY_FILE);
  const warning =
    `No OS keychain and no ${KEY_ENV_VAR}: the credentials key is in ${keyFile} (mode 0600). ` +
    `Anyone who can read the state directory can decrypt the tokens; set ${KEY_ENV_VAR} to keep the key elsewhere.`;
  if (existsSync(keyFile)) return { key: readKeyFile(keyFile), source: 'file', warning };
  const key = randomBytes(32);
  writePrivate(keyFile, `${key.toString('base64')}\n`);
  return { key, source: 'file', warning };
}

function readKeyFile(file: string): Buffer {
  const mode = statSync(file).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) chmodSync(file, 0o600);
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

/** The key that encrypted an existing credentials file (its recorded source). */
export async function resolveKeyForRead(opts: KeyOptions, source: KeySource): Promise<ResolvedKey> {
  const env = opts.env ?? process.env;
  if (source === 'env') {
    const key = keyFromEnv(env);
    if (!key) {
      throw new UsageError(
        'ENCRYPTION_KEY_MISSING',
        `The stored credentials were encrypted with ${KEY_ENV_VAR}, which is not set.`,
        {
          actions: [`Set ${KEY_ENV_VAR} to the key used at connect time, or run \`tightknit-sync connect\` again.`],
        },
      );
    }
    return { key, source };
  }
  if (source === 'keychain') {
    const keychain = opts.keychain === undefined ? await sfCoreKeychain() : opts.keychain;
    const wrappedFile = join(opts.stateDir, WRAPPED_KEY_FILE);
    if (!keychain || !existsSync(wrappedFile)) {
      throw new UsageError(
        'ENCRYPTION_KEY_MISSING',
        'The credentials key held in the OS keychain is not available here.',
        {
          actions: ['Run `tightknit-sync connect` again on this machine.'],
        },
      );
    }
    return { key: Buffer.from(await keychain.unwrap(readFileSync(wrappedFile, 'utf8')), 'base64'), source };
  }
  const keyFile = join(opts.stateDir, KEY_FILE);
  if (!existsSync(keyFile)) {
    throw new UsageError('ENCRYPTION_KEY_MISSING', `The credentials key file ${keyFile} is missing.`, {
      actions: ['Run `tightknit-sync connect` again.'],
    });
  }
  return { key: readKeyFile(keyFile), source };
}

export interface SealedBox {
  alg: 'aes-256-gcm';
  iv: string;
  tag: string;
  data: string;
}

export function seal(key: Buffer, plaintext: string, aad: string): SealedBox {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    alg: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

export function open(key: Buffer, box: SealedBox, aad: string): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(box.iv, 'base64'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(box.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(box.data, 'base64')), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new UsageError(
      'CREDENTIALS_UNREADABLE',
      'The stored credentials cannot be decrypted with this key (wrong key, or the file was changed).',
      {
        actions: [
          `If you connected with ${KEY_ENV_VAR}, set it to the same value as then.`,
          'Otherwise run `tightknit-sync connect` again to replace the stored credentials.',
        ],
        cause: err,
      },
    );
  }
}

/** Removes the key material a state directory holds (the env var and the OS keychain entry are not ours). */
export function keyFiles(stateDir: string): string[] {
  return [join(stateDir, KEY_FILE), join(stateDir, WRAPPED_KEY_FILE)];
}
