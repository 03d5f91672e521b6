import { describe, expect, it, vi } from 'vitest';
import type { BridgeApi } from '@shared/ipc/contract';
import { desktopPlatform } from '../../../../renderer/platform/desktop';
import { PlatformError } from '../../../../renderer/platform/types';

function fakeApi(overrides: Partial<BridgeApi>): BridgeApi {
  const unused = () => Promise.reject(new Error('not used in this test'));
  return {
    getAppInfo: unused,
    saveFile: unused,
    openFile: unused,
    printToPdf: unused,
    storeSecret: unused,
    loadSecret: unused,
    deleteSecret: unused,
    osKeyStatus: unused,
    osKeySeal: unused,
    osKeyOpen: unused,
    setSyncServer: unused,
    confirmClose: unused,
    onNavigate: () => () => undefined,
    onCloseRequested: () => () => undefined,
    onSystemLock: () => () => undefined,
    ...overrides,
  };
}

describe('desktop platform over the preload bridge', () => {
  it('returns the value of a successful call', async () => {
    const platform = desktopPlatform(
      fakeApi({ saveFile: () => Promise.resolve({ ok: true, value: { path: '/home/a/x.xlsx', bytes: 12 } }) }),
    );
    await expect(platform.saveFile({ defaultName: 'x.xlsx', content: 'abc' })).resolves.toEqual({
      path: '/home/a/x.xlsx',
      bytes: 12,
    });
  });

  it('turns a refused call into a PlatformError with its code', async () => {
    const platform = desktopPlatform(
      fakeApi({
        openFile: () => Promise.resolve({ ok: false, error: { code: 'file-too-large', message: 'too big' } }),
      }),
    );
    const error = await platform.openFile({}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlatformError);
    expect(error).toMatchObject({ code: 'file-too-large', message: 'too big' });
  });

  it('passes the OS lock (screen lock, sleep) through and unsubscribes', () => {
    const unsubscribe = vi.fn();
    let listener: ((reason: 'lock-screen' | 'suspend') => void) | undefined;
    const platform = desktopPlatform(
      fakeApi({
        onSystemLock: (fn) => {
          listener = fn;
          return unsubscribe;
        },
      }),
    );
    const seen: string[] = [];
    const off = platform.onSystemLock?.((reason) => seen.push(reason));
    listener?.('suspend');
    off?.();
    expect(seen).toEqual(['suspend']);
    expect(unsubscribe).toHaveBeenCalledOnce();
  });

  it('passes menu navigation through and unsubscribes', () => {
    const unsubscribe = vi.fn();
    let listener: ((path: string) => void) | undefined;
    const platform = desktopPlatform(
      fakeApi({
        onNavigate: (fn) => {
          listener = fn;
          return unsubscribe;
        },
      }),
    );
    const seen: string[] = [];
    const off = platform.onNavigate((path) => seen.push(path));
    listener?.('/registry');
    off();
    expect(seen).toEqual(['/registry']);
    expect(unsubscribe).toHaveBeenCalledOnce();
  });
});

describe('desktop keychain and closing', () => {
  it('keeps secrets through the bridge and reports a missing keychain as a PlatformError', async () => {
    const platform = desktopPlatform(
      fakeApi({
        loadSecret: () => Promise.resolve({ ok: true, value: 'token' }),
        storeSecret: () =>
          Promise.resolve({ ok: false, error: { code: 'keychain-unavailable', message: 'no keyring' } }),
      }),
    );
    await expect(platform.loadSecret('sync-token')).resolves.toBe('token');
    await expect(platform.storeSecret('sync-token', 'x')).rejects.toMatchObject({ code: 'keychain-unavailable' });
  });

  it('confirms the close once the listener is ready, even when it fails', async () => {
    let request: (() => void) | undefined;
    const confirmClose = vi.fn(() => Promise.resolve({ ok: true as const, value: null }));
    const platform = desktopPlatform(
      fakeApi({
        onCloseRequested: (listener) => {
          request = () => listener(null);
          return () => undefined;
        },
        confirmClose,
      }),
    );
    platform.onCloseRequested(() => Promise.reject(new Error('boom')));
    request?.();
    await vi.waitFor(() => expect(confirmClose).toHaveBeenCalledOnce());
  });
});

describe('the OS key of the desktop ("remember on this computer")', () => {
  it('passes status, seal and open through the bridge, and says a missing keychain with its code', async () => {
    const osKeySeal = vi.fn((bytes: Uint8Array<ArrayBuffer>) =>
      Promise.resolve({ ok: true as const, value: Uint8Array.from(bytes, (byte) => byte ^ 1) }),
    );
    const platform = desktopPlatform(
      fakeApi({
        osKeyStatus: () => Promise.resolve({ ok: true, value: { available: true } }),
        osKeySeal,
        osKeyOpen: () =>
          Promise.resolve({ ok: false, error: { code: 'keychain-unavailable', message: 'no keychain now' } }),
      }),
    );
    expect(platform.osKey).toBeDefined();
    await expect(platform.osKey?.status()).resolves.toEqual({ available: true });
    await expect(platform.osKey?.seal(new Uint8Array([2, 3]))).resolves.toEqual(new Uint8Array([3, 2]));
    expect(osKeySeal).toHaveBeenCalledTimes(1);
    await expect(platform.osKey?.open(new Uint8Array([3, 2]))).rejects.toMatchObject({ code: 'keychain-unavailable' });
  });
});
