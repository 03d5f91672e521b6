import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DEVICE_KEY_ID, type Session } from '../../../../renderer/data/vault';
import { must, useVaults } from './vaultFixture';

const freshVault = useVaults();

async function seal(key: CryptoKey, text: string): Promise<{ iv: Uint8Array<ArrayBuffer>; body: ArrayBuffer }> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  return { iv, body: await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(text)) };
}

async function open(key: CryptoKey, sealed: { iv: Uint8Array<ArrayBuffer>; body: ArrayBuffer }): Promise<string> {
  return new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, key, sealed.body));
}

describe('the vault', () => {
  it('makes the first account an admin, and only once', async () => {
    const vault = await freshVault();
    expect(await vault.isEmpty()).toBe(true);
    const session = must(await vault.createFirstAccount({ name: '王芳', passphrase: 'xihe-2026' }));
    expect(session.account).toMatchObject({ name: '王芳', role: 'admin', createdBy: null, source: 'local' });
    const again = await vault.createFirstAccount({ name: '李四', passphrase: 'another-1' });
    expect(again.ok).toBe(false);
    expect((await vault.accounts()).map((a) => a.name)).toEqual(['王芳']);
  });

  it('refuses a short passphrase and an empty name', async () => {
    const vault = await freshVault();
    expect(await vault.createFirstAccount({ name: '王芳', passphrase: '12345' })).toMatchObject({
      ok: false,
      error: { code: 'vault.passphrase-too-short' },
    });
    expect(await vault.createFirstAccount({ name: '  ', passphrase: '123456' })).toMatchObject({
      ok: false,
      error: { code: 'vault.name-required' },
    });
  });

  it('signs in with the right passphrase only, and then opens what an earlier session sealed', async () => {
    const vault = await freshVault();
    const first = must(await vault.createFirstAccount({ name: '王芳', passphrase: 'xihe-2026' }));
    const sealed = await seal(await first.keyFor('shunqing-xihe'), '510113199001011234');
    first.end();
    expect(await vault.signIn(first.account.id, 'xihe-2027')).toMatchObject({
      ok: false,
      error: { code: 'vault.wrong-passphrase' },
    });
    const again = must(await vault.signIn(first.account.id, 'xihe-2026'));
    expect(await open(await again.keyFor('shunqing-xihe'), sealed)).toBe('510113199001011234');
  });

  it('gives every community its own key, and the device its settings key', async () => {
    const vault = await freshVault();
    const session = must(await vault.createFirstAccount({ name: '王芳', passphrase: 'xihe-2026' }));
    const sealed = await seal(await session.keyFor('shunqing-xihe'), '13800000000');
    await expect(open(await session.keyFor('shunqing-other'), sealed)).rejects.toThrow();
    await expect(open(await session.deviceKey(), sealed)).rejects.toThrow();
    expect(DEVICE_KEY_ID).not.toMatch(/^[a-z]/);
  });

  it('makes one key when two screens ask for a new community at once', async () => {
    const vault = await freshVault();
    const session = must(await vault.createFirstAccount({ name: '王芳', passphrase: 'xihe-2026' }));
    const [a, b] = await Promise.all([session.keyFor('new-community'), session.keyFor('new-community')]);
    const sealed = await seal(a, 'x');
    expect(await open(b, sealed)).toBe('x');
    // A second session (another window) gets the same stored key.
    const other = must(await vault.signIn(session.account.id, 'xihe-2026'));
    expect(await open(await other.keyFor('new-community'), sealed)).toBe('x');
  });

  it('lets an admin add a colleague, who opens the same data with their own passphrase', async () => {
    const vault = await freshVault();
    const admin = must(await vault.createFirstAccount({ name: '王芳', passphrase: 'xihe-2026' }));
    const sealed = await seal(await admin.keyFor('shunqing-xihe'), '张三');
    const colleague = must(await vault.addAccount(admin, { name: '李四', passphrase: 'li-si-pass', role: 'editor' }));
    const session = must(await vault.signIn(colleague.id, 'li-si-pass'));
    expect(session.account.role).toBe('editor');
    expect(await open(await session.keyFor('shunqing-xihe'), sealed)).toBe('张三');
    // An editor cannot add accounts.
    expect(await vault.addAccount(session, { name: '赵六', passphrase: 'zhao-liu-1', role: 'admin' })).toMatchObject({
      ok: false,
      error: { code: 'vault.not-admin' },
    });
  });

  it('re-enrols a forgotten passphrase through an admin; the old one stops working', async () => {
    const vault = await freshVault();
    const admin = must(await vault.createFirstAccount({ name: '王芳', passphrase: 'xihe-2026' }));
    const colleague = must(await vault.addAccount(admin, { name: '李四', passphrase: 'forgotten', role: 'editor' }));
    must(await vault.resetPassphrase(admin, colleague.id, 'new-one-9'));
    expect((await vault.signIn(colleague.id, 'forgotten')).ok).toBe(false);
    expect((await vault.signIn(colleague.id, 'new-one-9')).ok).toBe(true);
  });

  it('keeps the last admin', async () => {
    const vault = await freshVault();
    const admin = must(await vault.createFirstAccount({ name: '王芳', passphrase: 'xihe-2026' }));
    expect(await vault.removeAccount(admin, admin.account.id)).toMatchObject({
      ok: false,
      error: { code: 'vault.last-admin' },
    });
    expect(await vault.setRole(admin, admin.account.id, 'viewer')).toMatchObject({ ok: false });
  });

  it('forgets every key when the session ends, and forgets a community for good', async () => {
    const vault = await freshVault();
    const session: Session = must(await vault.createFirstAccount({ name: '王芳', passphrase: 'xihe-2026' }));
    const sealed = await seal(await session.keyFor('gone'), '13912345678');
    await session.forget('gone');
    // A new key now: what was sealed before cannot be opened any more.
    await expect(open(await session.keyFor('gone'), sealed)).rejects.toThrow();
    session.end();
    expect(session.active).toBe(false);
    expect(() => session.keyFor('shunqing-xihe')).toThrow(/signed out/);
  });

  it('stores nothing a person could read: no passphrase, no raw key', async () => {
    const name = `vault-raw-${Math.random().toString(36).slice(2)}`;
    const vault = await freshVault(name);
    must(await vault.createFirstAccount({ name: '王芳', passphrase: 'xihe-secret-2026' }));
    const raw = await new Promise<unknown[]>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onerror = () => reject(new Error(String(request.error)));
      request.onsuccess = () => {
        const tx = request.result.transaction('accounts', 'readonly');
        const all = tx.objectStore('accounts').getAll();
        all.onsuccess = () => {
          resolve(all.result as unknown[]);
          request.result.close();
        };
      };
    });
    expect(JSON.stringify(raw)).not.toContain('xihe-secret-2026');
    expect(raw).toHaveLength(1);
  });
});
