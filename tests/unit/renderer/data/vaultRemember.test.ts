/**
 * "Remember on this computer" (docs/security.md): the vault keeps the device key wrapped by a random key that the OS
 * keychain sealed. Electron's `safeStorage` is faked by one bound to an OS account, behind the main process's own
 * adapter (electron/main/osKey.ts): what one OS account sealed, another cannot open.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { createOsKey } from '../../../../electron/main/osKey';
import type { SafeStorageLike } from '../../../../electron/main/secrets';
import type { OsKeyring, Session } from '../../../../renderer/data/vault';
import { must, useVaults } from './vaultFixture';

const freshVault = useVaults();

/** Electron's safeStorage for one OS account: a secret of that account seals, nothing else opens. */
function fakeSafeStorage(osAccount: string): SafeStorageLike {
  const mask = Buffer.from(osAccount, 'utf8').reduce((sum, byte) => sum + byte, 7) % 251 || 1;
  const tag = `dpapi:${osAccount}:`;
  return {
    isEncryptionAvailable: () => true,
    encryptString: (text) => Buffer.concat([Buffer.from(tag), Buffer.from(text, 'utf8').map((byte) => byte ^ mask)]),
    decryptString: (data) => {
      if (!data.subarray(0, tag.length).equals(Buffer.from(tag))) throw new Error('cannot decrypt');
      return Buffer.from(data.subarray(tag.length).map((byte) => byte ^ mask)).toString('utf8');
    },
    getSelectedStorageBackend: () => 'dpapi',
  };
}

/** The renderer's view of the OS keychain of one OS account, through main's adapter as over IPC. */
function osKeyring(osAccount: string): OsKeyring & { sealed: Uint8Array[] } {
  const osKey = createOsKey(fakeSafeStorage(osAccount));
  const sealed: Uint8Array[] = [];
  return {
    sealed,
    seal: (bytes) => {
      const out = osKey.seal(bytes);
      sealed.push(out);
      return Promise.resolve(out);
    },
    open: (bytes) => Promise.resolve(osKey.open(bytes)),
  };
}

/** Whether two sessions hold the same device key: one seals with a community's key, the other opens. */
async function sameKeys(a: Session, b: Session): Promise<boolean> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const body = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await a.keyFor('xihe'), new Uint8Array([1, 2]));
  try {
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, await b.keyFor('xihe'), body);
    return true;
  } catch {
    return false;
  }
}

describe('remember on this computer', () => {
  it('opens a remembered account without its passphrase, with the same keys, for the same OS account', async () => {
    const vault = await freshVault();
    const os = osKeyring('li@PC-01');
    const session = must(await vault.createFirstAccount({ name: '王芳', passphrase: 'xihe-2026' }));
    expect(await vault.rememberedAccounts()).toEqual(new Set());
    expect(must(await vault.remember(session, os))).toBeNull();
    expect(await vault.rememberedAccounts()).toEqual(new Set([session.account.id]));
    // The random key went to the OS keychain once, to be sealed there.
    expect(os.sealed).toHaveLength(1);

    const again = must(await vault.signInRemembered(session.account.id, os));
    expect(again.account).toEqual(session.account);
    expect(await sameKeys(session, again)).toBe(true);
    // The passphrase still works as before.
    expect(await sameKeys(must(await vault.signIn(session.account.id, 'xihe-2026')), again)).toBe(true);
  });

  it('a copy of the profile opened by another OS account or machine does not open, and is forgotten', async () => {
    const vault = await freshVault();
    const session = must(await vault.createFirstAccount({ name: '王芳', passphrase: 'xihe-2026' }));
    must(await vault.remember(session, osKeyring('li@PC-01')));
    const elsewhere = await vault.signInRemembered(session.account.id, osKeyring('wang@PC-07'));
    expect(elsewhere).toEqual({ ok: false, error: { code: 'vault.remembered-unreadable' } });
    expect(await vault.rememberedAccounts()).toEqual(new Set());
    expect(await vault.signInRemembered(session.account.id, osKeyring('li@PC-01'))).toEqual({
      ok: false,
      error: { code: 'vault.not-remembered' },
    });
    expect(must(await vault.signIn(session.account.id, 'xihe-2026')).account.id).toBe(session.account.id);
  });

  it('a keychain that is not there right now forgets nothing', async () => {
    const vault = await freshVault();
    const os = osKeyring('li@PC-01');
    const session = must(await vault.createFirstAccount({ name: '王芳', passphrase: 'xihe-2026' }));
    must(await vault.remember(session, os));
    const locked: OsKeyring = {
      seal: (bytes) => os.seal(bytes),
      open: () => Promise.reject(new Error('keychain-unavailable')),
    };
    expect(await vault.signInRemembered(session.account.id, locked)).toEqual({
      ok: false,
      error: { code: 'vault.os-keychain-unavailable' },
    });
    expect(must(await vault.signInRemembered(session.account.id, os)).account.id).toBe(session.account.id);
  });

  it('an altered remembered copy opens nothing and is forgotten', async () => {
    const name = `vault-${Math.random().toString(36).slice(2)}`;
    const vault = await freshVault(name);
    const os = osKeyring('li@PC-01');
    const session = must(await vault.createFirstAccount({ name: '王芳', passphrase: 'xihe-2026' }));
    must(await vault.remember(session, os));
    const raw = new Dexie(name);
    raw.version(2).stores({ accounts: 'id', keys: 'id', remembered: 'accountId' });
    const table = raw.table<{ accountId: string; wrappedDeviceKey: Uint8Array }, string>('remembered');
    const row = await table.get(session.account.id);
    const altered = Uint8Array.from(row?.wrappedDeviceKey ?? []);
    altered[20] = (altered[20] ?? 0) ^ 0xff;
    await table.update(session.account.id, { wrappedDeviceKey: altered });
    raw.close();
    expect(await vault.signInRemembered(session.account.id, os)).toEqual({
      ok: false,
      error: { code: 'vault.remembered-unreadable' },
    });
    expect(await vault.rememberedAccounts()).toEqual(new Set());
  });

  it('is forgotten when asked, at a change or reset of the passphrase, and with the account', async () => {
    const vault = await freshVault();
    const os = osKeyring('office@PC-01');
    const admin = must(await vault.createFirstAccount({ name: '王芳', passphrase: 'xihe-2026' }));
    const colleague = must(await vault.addAccount(admin, { name: '李明', passphrase: 'liming-1', role: 'editor' }));
    const colleagueSession = must(await vault.signIn(colleague.id, 'liming-1'));

    must(await vault.remember(admin, os));
    await vault.forgetRemembered(admin.account.id);
    expect(await vault.rememberedAccounts()).toEqual(new Set());

    must(await vault.remember(admin, os));
    must(await vault.changePassphrase(admin, 'xihe-2027'));
    expect(await vault.rememberedAccounts()).toEqual(new Set());

    must(await vault.remember(colleagueSession, os));
    must(await vault.remember(admin, os));
    must(await vault.resetPassphrase(admin, colleague.id, 'liming-2'));
    expect(await vault.rememberedAccounts()).toEqual(new Set([admin.account.id]));

    must(await vault.remember(must(await vault.signIn(colleague.id, 'liming-2')), os));
    must(await vault.removeAccount(admin, colleague.id));
    expect(await vault.rememberedAccounts()).toEqual(new Set([admin.account.id]));
    expect(await vault.signInRemembered(colleague.id, os)).toEqual({
      ok: false,
      error: { code: 'vault.not-remembered' },
    });
  });
});
