import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { SyncManager, SyncSnapshot } from './manager';

const SyncContext = createContext<SyncManager | null>(null);

export function SyncProvider({ manager, children }: { manager: SyncManager; children: ReactNode }) {
  return <SyncContext.Provider value={manager}>{children}</SyncContext.Provider>;
}

export function useSyncManager(): SyncManager {
  const manager = useContext(SyncContext);
  if (!manager) throw new Error('useSyncManager must be used inside <SyncProvider>');
  return manager;
}

/** The sync manager, or `null` where none is provided (a screen that syncs only if it can). */
export function useSyncManagerIfAny(): SyncManager | null {
  return useContext(SyncContext);
}

/** The sync state, re-rendering on every change (connection, pending count, refusals). */
export function useSync(): SyncSnapshot {
  const manager = useSyncManager();
  return useSyncExternalStore(manager.subscribe, manager.getSnapshot);
}
