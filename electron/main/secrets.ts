/**
 * Secrets of the app (the sync enrolment token) kept with the OS keychain through Electron's `safeStorage`: the
 * value is encrypted with a key the OS holds for this user (Keychain on macOS, DPAPI on Windows, libsecret/kwallet
 * on Linux) and the ciphertext is written to `<userData>/secrets.json`. Nothing here imports `electron`: `safeStorage`
 * comes in as a dependency, so this is tested in plain Node.
 *
 * When the OS offers no encryption (Linux without a keyring: `safeStorage` would fall back to a fixed key), storing
 * is refused with `keychain-unavailable` rather than writing a secret that only looks protected.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IpcHandlerError } from './ipc';

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which backend is in use; `basic_text` means a fixed key, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
}

export const SECRETS_FILE_NAME = 'secrets.json';

export function secretsPath(userDataDir: string): string {
  return path.join(userDataDir, SECRETS_FILE_NAME);
}

export interface SecretStore {
  store(name: string, value: string): void;
  load(name: string): string | null;
  delete(name: string): void;
}

export function createSecretStore(file: string, safeStorage: SafeStorageLike): SecretStore {
  const available = (): boolean =>
    safeStorage.isEncryptionAvailable() && safeStorage.getSelectedStorageBackend?.() !== 'basic_text';

  const read = (): Record<string, string> => {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
      return Object.fromEntries(
        Object.entries(parsed as Record<string, unknown>).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      );
    } catch {
      return {};
    }
  };

  const write = (entries: Record<string, string>): void => {
    // Write-then-rename: a crash mid-write leaves the old file, never half a file.
    const temp = `${file}.tmp`;
    writeFileSync(temp, JSON.stringify(entries), { mode: 0o600 });
    renameSync(temp, file);
  };

  return {
    store(name, value) {
      if (!available()) {
        throw new IpcHandlerError('keychain-unavailable', 'the OS keychain is not available to encrypt the secret');
      }
      write({ ...read(), [name]: safeStorage.encryptString(value).toString('base64') });
    },
    load(name) {
      const encrypted = read()[name];
      if (encrypted === undefined) return null;
      if (!safeStorage.isEncryptionAvailable()) {
        throw new IpcHandlerError('keychain-unavailable', 'the OS keychain is not available to decrypt the secret');
      }
      try {
        return safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
      } catch {
        // Encrypted under another OS account or a reset keychain: as good as absent.
        return null;
      }
    },
    delete(name) {
      const entries = read();
      if (!(name in entries)) return;
      const { [name]: _removed, ...rest } = entries;
      write(rest);
    },
  };
}
