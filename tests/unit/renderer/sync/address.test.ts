/**
 * The rule behind the join form's question (renderer/sync/token.ts): which server addresses would carry the token
 * and the residents' data unencrypted across the network, and the manager refusing those before the token leaves.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { SyncManager, type SecretStore } from '../../../../renderer/sync/manager';
import {
  encryptedAddress,
  isLoopbackHost,
  isPlainRemote,
  normaliseServerAddress,
} from '../../../../renderer/sync/token';
import { useTestStore } from '../storeFixture';

/** What the join flow asks about what a person typed. */
const asks = (typed: string) => isPlainRemote(normaliseServerAddress(typed) ?? '');

describe('isLoopbackHost', () => {
  it('is this computer for 127.0.0.0/8, ::1 and localhost only', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '127.255.255.255', 'localhost', 'LOCALHOST', 'localhost.', '[::1]']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of [
      '10.0.0.5',
      '192.168.1.2',
      '128.0.0.1',
      '0.0.0.0',
      'sync.example.gov.cn',
      'localhost.evil.cn',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
    expect(isLoopbackHost('127.0.0.1.example.cn')).toBe(false);
    expect(isLoopbackHost('[::2]')).toBe(false);
  });
});

describe('isPlainRemote', () => {
  it('is true for ws:// to another computer, however it was typed', () => {
    expect(isPlainRemote('ws://10.0.0.5:1234')).toBe(true);
    expect(isPlainRemote('http://10.0.0.5:1234')).toBe(true);
    expect(asks('10.0.0.5:1234')).toBe(true); // no scheme: read as ws://, so asked about, never taken silently
    expect(asks('sync.example.gov.cn')).toBe(true);
    expect(asks('http://sync.example.gov.cn:8080')).toBe(true);
    expect(asks('WS://192.168.1.2:1234/')).toBe(true);
  });

  it('is false for wss:// anywhere and for ws:// on this computer (the demo, the tests)', () => {
    expect(asks('wss://sync.example.gov.cn')).toBe(false);
    expect(asks('https://10.0.0.5:1234')).toBe(false);
    expect(asks('127.0.0.1:1234')).toBe(false);
    expect(asks('ws://localhost:1234')).toBe(false);
    expect(asks('ws://[::1]:1234')).toBe(false);
    // The URL parser's spellings of loopback are loopback too.
    expect(asks('ws://127.1:1234')).toBe(false);
    expect(asks('ws://[0:0:0:0:0:0:0:1]:1234')).toBe(false);
  });

  it('is false for what is not an address (the form reports those as unusable)', () => {
    expect(isPlainRemote('')).toBe(false);
    expect(isPlainRemote('not an address')).toBe(false);
  });
});

describe('encryptedAddress', () => {
  it('turns ws:// into wss:// and leaves wss:// alone', () => {
    expect(encryptedAddress('ws://10.0.0.5:1234')).toBe('wss://10.0.0.5:1234');
    expect(encryptedAddress('wss://sync.example.gov.cn')).toBe('wss://sync.example.gov.cn');
  });
});

describe('SyncManager.join and unencrypted addresses', () => {
  const getStore = useTestStore();
  const secrets: SecretStore = {
    storeSecret: () => Promise.resolve(),
    loadSecret: () => Promise.resolve(null),
    deleteSecret: () => Promise.resolve(),
  };
  const token = `${btoa('{"alg":"HS256"}')}.${btoa(
    JSON.stringify({ jti: 'j1', sub: 'li', com: ['xihe'], role: 'editor', exp: 4e9, iat: 1 }),
  ).replace(/=+$/, '')}.c2ln`;

  it('refuses ws:// to another computer before the token goes anywhere, unless the person confirmed it', async () => {
    const checked: string[] = [];
    const fetchImpl = vi.fn<typeof fetch>((input) => {
      checked.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return Promise.resolve(new Response('{}', { status: 404 }));
    });
    const manager = new SyncManager(getStore(), secrets, {
      fetchImpl,
      isOnline: () => false,
      onOnlineChange: () => () => undefined,
    });
    expect(await manager.join('10.0.0.5:1234', token)).toEqual({ ok: false, error: 'plain-address' });
    expect(await manager.join('ws://10.0.0.5:1234', token)).toEqual({ ok: false, error: 'plain-address' });
    expect(fetchImpl).not.toHaveBeenCalled();
    // Confirmed: the token check goes out (and is answered here by something that is not a sync server).
    expect(await manager.join('10.0.0.5:1234', token, { allowPlain: true })).toMatchObject({ error: 'refused' });
    expect(checked[0]).toMatch(/^http:\/\/10\.0\.0\.5:1234\/auth\/check/);
    // Loopback and wss:// need no confirmation.
    await manager.join('127.0.0.1:1234', token);
    await manager.join('wss://sync.example.gov.cn', token);
    expect(checked.map((url) => new URL(url).origin)).toEqual([
      'http://10.0.0.5:1234',
      'http://127.0.0.1:1234',
      'https://sync.example.gov.cn',
    ]);
    await manager.stop();
  });
});
