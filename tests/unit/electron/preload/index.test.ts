/**
 * The contract and the preload stay in step: the preload exposes exactly one function per contract method and one
 * subscription per event, each on its contract channel, and main registers the very same channels. A channel that
 * exists on one side only fails here.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ipcChannels, ipcEventNames, ipcEvents, ipcMethods } from '@shared/ipc/channels';
import { registerIpcHandlers, type IpcHandlers, type IpcMainLike } from '../../../../electron/main/ipc';

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: {
    invoke: vi.fn(() => Promise.resolve({ ok: true, value: null })),
    on: vi.fn(),
    removeListener: vi.fn(),
  },
}));
vi.mock('electron', () => electron);

type Exposed = Record<string, (...args: unknown[]) => unknown>;
let api: Exposed;

beforeAll(async () => {
  await import('../../../../electron/preload/index');
  expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
  const [name, exposed] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as unknown as [string, Exposed];
  expect(name).toBe('api');
  api = exposed;
});

describe('preload bridge', () => {
  it('exposes exactly the contract methods and events, all as functions', () => {
    expect(Object.keys(api).sort()).toEqual([...ipcMethods, ...ipcEventNames].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('invokes each method on its own channel with the arguments as given', async () => {
    for (const method of ipcMethods) {
      electron.ipcRenderer.invoke.mockClear();
      const request = { defaultName: `${method}.txt` };
      await api[method]?.(request);
      expect(electron.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(ipcChannels[method], request);
    }
  });

  it('hands event listeners the payload only, never the IPC event, and unsubscribes', () => {
    for (const event of ipcEventNames) {
      electron.ipcRenderer.on.mockClear();
      const listener = vi.fn();
      const unsubscribe = api[event]?.(listener) as () => void;
      expect(electron.ipcRenderer.on).toHaveBeenCalledOnce();
      const [channel, forward] = electron.ipcRenderer.on.mock.calls[0] as unknown as [
        string,
        (...a: unknown[]) => void,
      ];
      expect(channel).toBe(ipcEvents[event]);
      const ipcEvent = { sender: { send: vi.fn() } };
      forward(ipcEvent, '/registry');
      expect(listener).toHaveBeenCalledExactlyOnceWith('/registry');
      unsubscribe();
      expect(electron.ipcRenderer.removeListener).toHaveBeenCalledWith(channel, forward);
    }
  });

  it('uses the same channels main registers', async () => {
    const invoked = new Set<string>();
    for (const method of ipcMethods) {
      electron.ipcRenderer.invoke.mockClear();
      await api[method]?.();
      const [channel] = electron.ipcRenderer.invoke.mock.calls[0] as unknown as [string];
      invoked.add(channel);
    }
    const registered = new Set<string>();
    const ipcMain: IpcMainLike = { handle: (channel) => void registered.add(channel) };
    const unused = () => Promise.reject(new Error('not called'));
    const handlers = Object.fromEntries(ipcMethods.map((method) => [method, unused])) as unknown as IpcHandlers;
    registerIpcHandlers(ipcMain, handlers);
    expect([...invoked].sort()).toEqual([...registered].sort());
  });
});
