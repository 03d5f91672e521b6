import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { ipcChannels, type IpcResult } from '@shared/ipc/contract';
import {
  IpcHandlerError,
  isTrustedSenderUrl,
  registerIpcHandlers,
  type IpcHandlers,
  type IpcMainLike,
} from '../../../../electron/main/ipc';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

/** Records what main registers, and lets a test call a channel the way a renderer would. */
function fakeIpcMain() {
  const listeners = new Map<string, Listener>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (listeners.has(channel)) throw new Error(`second handler for ${channel}`);
      listeners.set(channel, listener);
    },
  };
  const call = (channel: string, args: unknown[], frameUrl: string | null = 'app://workstation/index.html') => {
    const listener = listeners.get(channel);
    if (listener === undefined) throw new Error(`nothing registered on ${channel}`);
    const event = { senderFrame: frameUrl === null ? null : { url: frameUrl } } as unknown as IpcMainInvokeEvent;
    return listener(event, ...args) as Promise<IpcResult<unknown>>;
  };
  return { ipcMain, listeners, call };
}

function fakeHandlers(overrides: Partial<IpcHandlers> = {}): IpcHandlers {
  return {
    getAppInfo: vi.fn(() =>
      Promise.resolve({ name: 'n', version: '1', dataFolder: '/d', platform: 'linux', electronVersion: '41' }),
    ),
    saveFile: vi.fn(() => Promise.resolve({ path: '/d/a.csv', bytes: 3 })),
    openFile: vi.fn(() => Promise.resolve(null)),
    printToPdf: vi.fn(() => Promise.resolve(null)),
    storeSecret: vi.fn(() => Promise.resolve(null)),
    loadSecret: vi.fn(() => Promise.resolve(null)),
    deleteSecret: vi.fn(() => Promise.resolve(null)),
    osKeyStatus: vi.fn(() => Promise.resolve({ available: true } as const)),
    osKeySeal: vi.fn(() => Promise.resolve(new Uint8Array([1]))),
    osKeyOpen: vi.fn(() => Promise.resolve(null)),
    setSyncServer: vi.fn(() => Promise.resolve({ reload: false })),
    confirmClose: vi.fn(() => Promise.resolve(null)),
    ...overrides,
  };
}

const silent = { log: () => undefined };

describe('registerIpcHandlers', () => {
  it('registers exactly the channels of the contract', () => {
    const { ipcMain, listeners } = fakeIpcMain();
    const registered = registerIpcHandlers(ipcMain, fakeHandlers(), silent);
    expect([...listeners.keys()].sort()).toEqual(Object.values(ipcChannels).sort());
    expect(registered.sort()).toEqual(Object.values(ipcChannels).sort());
  });

  it('passes validated arguments to the handler and wraps its value', async () => {
    const { ipcMain, call } = fakeIpcMain();
    const handlers = fakeHandlers();
    registerIpcHandlers(ipcMain, handlers, silent);
    const request = { defaultName: '台账.csv', content: 'a,b' };
    await expect(call(ipcChannels.saveFile, [request])).resolves.toEqual({
      ok: true,
      value: { path: '/d/a.csv', bytes: 3 },
    });
    expect(handlers.saveFile).toHaveBeenCalledWith(request);
  });

  it.each([
    ['a wrong type', ipcChannels.saveFile, [{ defaultName: 42, content: 'x' }]],
    ['a missing argument', ipcChannels.saveFile, []],
    ['an extra argument', ipcChannels.getAppInfo, ['surprise']],
    ['a path-like file name', ipcChannels.saveFile, [{ defaultName: '../x', content: 'x' }]],
    ['a Windows path as file name', ipcChannels.printToPdf, [{ defaultName: 'C:\\Windows\\x.pdf' }]],
    ['a negative size limit', ipcChannels.openFile, [{ maxBytes: -1 }]],
    ['not an object at all', ipcChannels.openFile, ['open sesame']],
    ['a key as text, not bytes', ipcChannels.osKeySeal, ['c2VjcmV0']],
    ['an empty key', ipcChannels.osKeyOpen, [new Uint8Array(0)]],
    ['an oversized key', ipcChannels.osKeySeal, [new Uint8Array(4097)]],
  ])('refuses %s with invalid-arguments, without calling the handler', async (_name, channel, args) => {
    const { ipcMain, call } = fakeIpcMain();
    const handlers = fakeHandlers();
    registerIpcHandlers(ipcMain, handlers, silent);
    const result = await call(channel, args);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    expect(result.ok ? '' : result.error.message).not.toBe('');
    for (const handler of Object.values(handlers)) expect(handler).not.toHaveBeenCalled();
  });

  it('turns a thrown IpcHandlerError into its typed error', async () => {
    const { ipcMain, call } = fakeIpcMain();
    registerIpcHandlers(
      ipcMain,
      fakeHandlers({ openFile: () => Promise.reject(new IpcHandlerError('file-too-large', 'big.xlsx is too large')) }),
      silent,
    );
    await expect(call(ipcChannels.openFile, [{}])).resolves.toEqual({
      ok: false,
      error: { code: 'file-too-large', message: 'big.xlsx is too large' },
    });
  });

  it('reports a file system error as io-error and anything else as internal, never as a rejection', async () => {
    const { ipcMain, call } = fakeIpcMain();
    const log = vi.fn();
    const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    registerIpcHandlers(
      ipcMain,
      fakeHandlers({
        saveFile: () => Promise.reject(enoent),
        getAppInfo: () => {
          throw new TypeError('boom');
        },
      }),
      { log },
    );
    await expect(call(ipcChannels.saveFile, [{ defaultName: 'a.txt', content: '' }])).resolves.toMatchObject({
      ok: false,
      error: { code: 'io-error' },
    });
    await expect(call(ipcChannels.getAppInfo, [])).resolves.toEqual({
      ok: false,
      error: { code: 'internal', message: 'boom' },
    });
    expect(log).toHaveBeenCalled();
  });

  it('refuses calls from a frame that is not the app', async () => {
    const { ipcMain, call } = fakeIpcMain();
    const handlers = fakeHandlers();
    registerIpcHandlers(ipcMain, handlers, silent);
    for (const url of ['https://evil.example/', 'app://workstation.evil/x', 'file:///tmp/x.html', null]) {
      await expect(call(ipcChannels.getAppInfo, [], url)).resolves.toMatchObject({ ok: false });
    }
    expect(handlers.getAppInfo).not.toHaveBeenCalled();
  });

  it('accepts the dev server only when one is configured', async () => {
    const { ipcMain, call } = fakeIpcMain();
    registerIpcHandlers(ipcMain, fakeHandlers(), { ...silent, devServerUrl: 'http://localhost:5173/' });
    await expect(call(ipcChannels.getAppInfo, [], 'http://localhost:5173/#/tasks')).resolves.toMatchObject({
      ok: true,
    });
    await expect(call(ipcChannels.getAppInfo, [], 'http://localhost:5174/')).resolves.toMatchObject({ ok: false });
  });
});

describe('isTrustedSenderUrl', () => {
  it('compares origins, not string prefixes', () => {
    expect(isTrustedSenderUrl('app://workstation/index.html')).toBe(true);
    expect(isTrustedSenderUrl('app://workstation.evil/index.html')).toBe(false);
    expect(isTrustedSenderUrl('http://localhost:51730/', 'http://localhost:5173')).toBe(false);
    expect(isTrustedSenderUrl(undefined)).toBe(false);
    expect(isTrustedSenderUrl('about:blank', 'http://localhost:5173')).toBe(false);
  });
});
