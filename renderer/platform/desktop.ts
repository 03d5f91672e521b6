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
  };
}
