import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretStore, secretsPath, type SafeStorageLike } from '../../../../electron/main/secrets';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'secrets-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A stand-in for safeStorage: reversible, but never the plain text on disk. */
function fakeSafeStorage(available = true, backend = 'gnome_libsecret'): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (text) => Buffer.from(Buffer.from(text, 'utf8').map((byte) => byte ^ 0x5a)),
    decryptString: (data) => Buffer.from(data.map((byte) => byte ^ 0x5a)).toString('utf8'),
    getSelectedStorageBackend: () => backend,
  };
}

describe('secret store over safeStorage', () => {
  it('stores, loads and deletes a secret, never writing it in plain text', () => {
    const store = createSecretStore(secretsPath(dir), fakeSafeStorage());
    store.store('sync-token', 'eyJ.secret.token');
    const file = readFileSync(secretsPath(dir), 'utf8');
    expect(file).not.toContain('secret');
    expect(statSync(secretsPath(dir)).mode & 0o077).toBe(0);
    expect(store.load('sync-token')).toBe('eyJ.secret.token');
    store.delete('sync-token');
    expect(store.load('sync-token')).toBeNull();
  });

  it('refuses to store when the OS offers no real encryption', () => {
    expect(() => createSecretStore(secretsPath(dir), fakeSafeStorage(false)).store('a', 'b')).toThrow(
      /keychain is not available/,
    );
    expect(() => createSecretStore(secretsPath(dir), fakeSafeStorage(true, 'basic_text')).store('a', 'b')).toThrow(
      /keychain is not available/,
    );
  });

  it('treats a missing, corrupt or undecryptable file as no secret', () => {
    const store = createSecretStore(secretsPath(dir), {
      ...fakeSafeStorage(),
      decryptString: () => {
        throw new Error('other account');
      },
    });
    expect(store.load('sync-token')).toBeNull();
    store.store('sync-token', 'x');
    expect(store.load('sync-token')).toBeNull();
  });
});
