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
