import { describe, expect, it } from 'vitest';
import { createOsKey } from '../../../../electron/main/osKey';
import type { SafeStorageLike } from '../../../../electron/main/secrets';

/** A stand-in for safeStorage bound to one OS account: what another account sealed does not open. */
function fakeSafeStorage(account = 'li', options: { available?: boolean; backend?: string } = {}): SafeStorageLike {
  const prefix = `sealed-for:${account}:`;
  return {
    isEncryptionAvailable: () => options.available ?? true,
    encryptString: (text) => Buffer.from(prefix + Buffer.from(text, 'utf8').toString('hex'), 'utf8'),
    decryptString: (data) => {
      const text = data.toString('utf8');
      if (!text.startsWith(prefix)) throw new Error('Error while decrypting the ciphertext provided to safeStorage');
      return Buffer.from(text.slice(prefix.length), 'hex').toString('utf8');
    },
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
  };
}

const KEY = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) % 256);

describe('the OS key over safeStorage', () => {
  it('seals bytes so they are not readable as they were, and opens them again exactly', () => {
    const osKey = createOsKey(fakeSafeStorage());
    expect(osKey.status()).toEqual({ available: true });
    const sealed = osKey.seal(KEY);
    expect(Buffer.from(sealed).includes(Buffer.from(KEY))).toBe(false);
    expect(Buffer.from(sealed).includes(Buffer.from(Buffer.from(KEY).toString('base64')))).toBe(false);
    expect(osKey.open(sealed)).toEqual(KEY);
  });

  it('opens nothing sealed under another OS account, nor garbage', () => {
    const sealed = createOsKey(fakeSafeStorage('li')).seal(KEY);
    const other = createOsKey(fakeSafeStorage('wang'));
    expect(other.open(sealed)).toBeNull();
    expect(other.open(new Uint8Array([1, 2, 3]))).toBeNull();
  });

  it('says why when the OS offers no real encryption, and then refuses to seal or open', () => {
    const none = createOsKey(fakeSafeStorage('li', { available: false }));
    expect(none.status()).toEqual({ available: false, reason: 'no-keychain' });
    expect(() => none.seal(KEY)).toThrow(/keychain is not available/);
    expect(() => none.open(KEY)).toThrow(/keychain is not available/);
    const basic = createOsKey(fakeSafeStorage('li', { backend: 'basic_text' }));
    expect(basic.status()).toEqual({ available: false, reason: 'basic-text' });
    expect(() => basic.seal(KEY)).toThrow(/keychain is not available/);
  });
});
