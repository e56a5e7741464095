import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { UsageError } from '../../sync/errors';
import type { MasterKey } from './master-key';

/** A value sealed with AES-256-GCM: what the tenant_secrets columns and a wrapped key hold. */
export interface Sealed {
  iv: Buffer;
  tag: Buffer;
  data: Buffer;
}

/**
 * Encrypts with AES-256-GCM. The associated data binds the ciphertext to where it belongs (a tenant,
 * a secret's name), so a row copied to another tenant or name fails to open instead of decrypting.
 */
export function seal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), data };
}

/** Decrypts what `seal` produced; undefined when the key, the data or the associated data do not match. */
export function unseal(key: Buffer, sealed: Sealed, aad: string): Buffer | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.data), decipher.final()]);
  } catch {
    return undefined;
  }
}

const keyAad = (tenantId: number): string => `tightknit data key of tenant ${tenantId}`;

/** A new random data key for a tenant. */
export function newDataKey(): Buffer {
  return randomBytes(32);
}

/** Wraps a tenant's data key with a master key: iv ‖ tag ‖ ciphertext in one buffer. */
export function wrapDataKey(master: MasterKey, tenantId: number, dataKey: Buffer): Buffer {
  const s = seal(master.key, dataKey, keyAad(tenantId));
  return Buffer.concat([s.iv, s.tag, s.data]);
}

/** Unwraps a tenant's data key; a wrong master key or a tampered row is a clear error, never a wrong key. */
export function unwrapDataKey(master: MasterKey, tenantId: number, wrapped: Buffer): Buffer {
  const sealed = { iv: wrapped.subarray(0, 12), tag: wrapped.subarray(12, 28), data: wrapped.subarray(28) };
  const key = unseal(master.key, sealed, keyAad(tenantId));
  if (!key) {
    throw new UsageError(
      'DATA_KEY_UNREADABLE',
      `The data key of tenant ${tenantId} does not open with master key ${master.id}: the row was changed or belongs to another tenant. Restore tenant_keys from a backup.`,
    );
  }
  return key;
}
