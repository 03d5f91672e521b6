/**
 * The preload of the sandboxed window: exposes `window.api` (BridgeApi) and nothing else.
 *
 * Built from the same keys as the contract and checked with `satisfies BridgeApi`, so a method missing here or extra
 * here does not compile; tests/unit/electron/contract-sync.test.ts checks it again at runtime against main. Only
 * channel names are imported at runtime (shared/ipc/channels.ts has no dependencies): a sandboxed preload can
 * `require('electron')` and nothing else, so the validation library stays in main.
 *
 * Never exposed: `ipcRenderer` itself and the IPC event object (its `sender` would hand the page ipcRenderer back).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcChannels, ipcEvents, type IpcEvent, type IpcEventPayloads, type IpcMethod } from '@shared/ipc/channels';
import type { BridgeApi, IpcArgs, IpcResult, IpcReturn } from '@shared/ipc/contract';

function invoker<M extends IpcMethod>(method: M) {
  const channel = ipcChannels[method];
  return (...args: IpcArgs<M>): Promise<IpcResult<IpcReturn<M>>> =>
    // Main answers every call with an IpcResult (electron/main/ipc.ts), never a rejection.
    ipcRenderer.invoke(channel, ...args) as Promise<IpcResult<IpcReturn<M>>>;
}

function subscriber<E extends IpcEvent>(event: E) {
  const channel = ipcEvents[event];
  return (listener: (payload: IpcEventPayloads[E]) => void): (() => void) => {
    const forward = (_event: IpcRendererEvent, payload: IpcEventPayloads[E]): void => {
      listener(payload);
    };
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  };
}

const api = {
  getAppInfo: invoker('getAppInfo'),
  saveFile: invoker('saveFile'),
  openFile: invoker('openFile'),
  printToPdf: invoker('printToPdf'),
  storeSecret: invoker('storeSecret'),
  loadSecret: invoker('loadSecret'),
  deleteSecret: invoker('deleteSecret'),
  osKeyStatus: invoker('osKeyStatus'),
  osKeySeal: invoker('osKeySeal'),
  osKeyOpen: invoker('osKeyOpen'),
  setSyncServer: invoker('setSyncServer'),
  confirmClose: invoker('confirmClose'),
  onNavigate: subscriber('onNavigate'),
  onCloseRequested: subscriber('onCloseRequested'),
  onSystemLock: subscriber('onSystemLock'),
} satisfies BridgeApi;

contextBridge.exposeInMainWorld('api', api);
