import {
  open,
  resolveKeyForRead,
  resolveKeyForWrite,
  seal,
  type KeyOptions,
  type KeySource,
  type SealedBox,
} from './encryption';
import { writeJsonFile } from '../json-file';

/** A credentials file: the info in clear, the secrets sealed with AES-256-GCM (the info bound as AAD). */
export interface SealedFile<I> {
  version: 1;
  info: I;
  keySource: KeySource;
  secrets: SealedBox;
}

/**
 * Seals the secrets with the state directory's key (env, OS keychain or key file) and writes the file
 * atomically with mode 0600. Returns where the key came from and the key-file warning, if any.
 */
export async function writeSealedFile<I>(
  path: string,
  info: I,
  secrets: unknown,
  opts: KeyOptions,
): Promise<{ keySource: KeySource; warning?: string }> {
  const key = await resolveKeyForWrite(opts);
  const file: SealedFile<I> = {
    version: 1,
    info,
    keySource: key.source,
    secrets: seal(key.key, JSON.stringify(secrets), JSON.stringify(info)),
  };
  writeJsonFile(path, file, { mode: 0o600 });
  return { keySource: key.source, warning: key.warning };
}

/** Opens the secrets of a sealed file (an edited info or a wrong key fails the authentication). */
export async function openSealedFile<I, S>(file: SealedFile<I>, opts: KeyOptions): Promise<S> {
  const key = await resolveKeyForRead(opts, file.keySource);
  return JSON.parse(open(key.key, file.secrets, JSON.stringify(file.info))) as S;
}
