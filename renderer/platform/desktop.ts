import type { BridgeApi, IpcResult } from '@shared/ipc/contract';
import { PlatformError, type Platform } from './types';

function unwrap<T>(result: IpcResult<T>): T {
  if (result.ok) return result.value;
  throw new PlatformError(result.error.code, result.error.message);
}

/** The platform of the desktop app: every call goes through the typed preload bridge (`window.api`). */
export function desktopPlatform(api: BridgeApi): Platform {
  return {
    kind: 'desktop',
    getAppInfo: async () => unwrap(await api.getAppInfo()),
    saveFile: async (request) => unwrap(await api.saveFile(request)),
    openFile: async (request) => unwrap(await api.openFile(request)),
    printToPdf: async (request) => unwrap(await api.printToPdf(request)),
    onNavigate: (listener) => api.onNavigate(listener),
    secretStorage: 'keychain',
    storeSecret: async (name, value) => void unwrap(await api.storeSecret(name, value)),
    loadSecret: async (name) => unwrap(await api.loadSecret(name)),
    deleteSecret: async (name) => void unwrap(await api.deleteSecret(name)),
    setSyncServer: async (server) => unwrap(await api.setSyncServer(server)).reload,
    onSystemLock: (listener) => api.onSystemLock(listener),
    osKey: {
      status: async () => unwrap(await api.osKeyStatus()),
      seal: async (bytes) => unwrap(await api.osKeySeal(Uint8Array.from(bytes))),
      open: async (sealed) => unwrap(await api.osKeyOpen(Uint8Array.from(sealed))),
    },
    onCloseRequested: (listener) =>
      api.onCloseRequested(() => {
        // Whatever happens while getting ready, the window must still close.
        void listener()
          .catch((error: unknown) => console.warn('close: getting ready failed', error))
          .finally(() => void api.confirmClose());
      }),
  };
}
