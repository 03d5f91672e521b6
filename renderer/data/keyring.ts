/**
 * The data keys of the communities held on this device (docs/security.md). Rows that hold anything about people are
 * sealed with their community's key on the way into IndexedDB and opened on the way out (renderer/data/sealed.ts);
 * the keys exist in memory only while someone is signed in (renderer/data/vault.ts unwraps them), and are forgotten
 * at sign-out and at the idle lock.
 */
export interface KeyRing {
  /**
   * The AES-GCM key (256 bits, WebCrypto) sealing a community's rows. A community seen for the first time gets a
   * fresh random key, wrapped and stored by the vault before this resolves.
   */
  keyFor(community: string): Promise<CryptoKey>;
  /** The key sealing the device's own settings that name people (not a community's). */
  deviceKey(): Promise<CryptoKey>;
  /** Forgets a community's key (its data is being removed from this device: without the key, what is left is noise). */
  forget(community: string): Promise<void>;
}

/** A key ring held in memory only, for tests and benchmarks: random keys, nothing stored. */
export class MemoryKeyRing implements KeyRing {
  private readonly keys = new Map<string, Promise<CryptoKey>>();

  keyFor(community: string): Promise<CryptoKey> {
    let key = this.keys.get(community);
    if (key === undefined) {
      key = globalThis.crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
      this.keys.set(community, key);
    }
    return key;
  }

  deviceKey(): Promise<CryptoKey> {
    return this.keyFor('\u0000device');
  }

  forget(community: string): Promise<void> {
    this.keys.delete(community);
    return Promise.resolve();
  }
}
