import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { FirstRowsProgress } from './firstRows';
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

const NO_FIRST_ROWS: readonly FirstRowsProgress[] = [];
const noSubscription = () => () => undefined;
const noFirstRows = () => NO_FIRST_ROWS;

/**
 * What the first sync's rows of `community`'s registry are doing (downloaded, then written: renderer/sync/
 * firstRows.ts), or `null` (none under way, or no sync manager here).
 */
export function useFirstRowsProgress(community: string): FirstRowsProgress | null {
  const manager = useSyncManagerIfAny();
  const all = useSyncExternalStore(manager?.subscribe ?? noSubscription, manager?.getFirstRows ?? noFirstRows);
  return all.find((progress) => progress.docName.startsWith(`${community}/`)) ?? null;
}
