import { createContext, useContext, type ReactNode } from 'react';
import type { BridgeApi } from '@shared/ipc/contract';
import { browserPlatform } from './browser';
import { desktopPlatform } from './desktop';
import type { Platform } from './types';

export { PlatformError, type OsKeyBridge, type Platform } from './types';

declare global {
  interface Window {
    /** Present in the desktop app only: the preload's typed bridge (electron/preload). */
    readonly api?: BridgeApi;
  }
}

declare const __APP_VERSION__: string;

/** Picks the desktop bridge when the preload exposed it, the browser implementation otherwise. */
export function detectPlatform(): Platform {
  const version = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';
  return window.api ? desktopPlatform(window.api) : browserPlatform(version);
}

const PlatformContext = createContext<Platform | null>(null);

export function PlatformProvider({ platform, children }: { platform: Platform; children: ReactNode }) {
  return <PlatformContext.Provider value={platform}>{children}</PlatformContext.Provider>;
}

export function usePlatform(): Platform {
  const platform = useContext(PlatformContext);
  if (!platform) throw new Error('usePlatform must be used inside <PlatformProvider>');
  return platform;
}
