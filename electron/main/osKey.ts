/**
 * "Remember on this computer" (docs/security.md): the OS keychain, through Electron's `safeStorage`, seals a small
 * secret of the page (the key that wraps a remembered account's device key, renderer/data/vault.ts) so that only this
 * OS account on this machine can open it again: DPAPI on Windows, Keychain on macOS, libsecret/kwallet on Linux. The
 * page keeps the sealed bytes in its own vault; nothing is written here. Nothing here imports `electron`:
 * `safeStorage` comes in as a dependency, so this is tested in plain Node.
 *
 * When the OS offers no real encryption (no keychain, or Linux's `basic_text` backend, a fixed key), `status` says
 * why and sealing is refused with `keychain-unavailable`: the page then does not offer the option.
 */
import type { OsKeyStatus } from '@shared/ipc/contract';
import { IpcHandlerError } from './ipc';
import type { SafeStorageLike } from './secrets';

export interface OsKey {
  status(): OsKeyStatus;
  /** The bytes sealed by the OS keychain for this OS account. */
  seal(bytes: Uint8Array): Uint8Array;
  /** The bytes `seal` sealed; `null` when they cannot be opened here (another OS account or machine, a reset keychain). */
  open(sealed: Uint8Array): Uint8Array | null;
}

export function createOsKey(safeStorage: SafeStorageLike): OsKey {
  const status = (): OsKeyStatus => {
    if (!safeStorage.isEncryptionAvailable()) return { available: false, reason: 'no-keychain' };
    if (safeStorage.getSelectedStorageBackend?.() === 'basic_text') return { available: false, reason: 'basic-text' };
    return { available: true };
  };
  const requireAvailable = (what: string): void => {
    if (!status().available) {
      throw new IpcHandlerError('keychain-unavailable', `the OS keychain is not available to ${what}`);
    }
  };
  return {
    status,
    seal(bytes) {
      requireAvailable('seal the key');
      // safeStorage takes a string: the bytes travel as base64, never as text that could be mangled.
      return new Uint8Array(safeStorage.encryptString(Buffer.from(bytes).toString('base64')));
    },
    open(sealed) {
      requireAvailable('open the key');
      let text: string;
      try {
        text = safeStorage.decryptString(Buffer.from(sealed));
      } catch {
        return null;
      }
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
      return new Uint8Array(Buffer.from(text, 'base64'));
    },
  };
}
