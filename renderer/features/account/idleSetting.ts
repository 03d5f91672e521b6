/**
 * The idle time of this device (设置 → 自动锁定), kept in this browser profile's localStorage like the language and
 * the colour scheme: it is a setting of the desktop, read before anyone signs in, and names nobody.
 */
import { useCallback, useSyncExternalStore } from 'react';
import { DEFAULT_IDLE_MINUTES, IDLE_MINUTE_CHOICES } from './idleLock';

const STORAGE_KEY = 'cgw.idle-lock-minutes';

const listeners = new Set<() => void>();
/** Set when storage refused the value. */
let memory: number | null = null;

function isChoice(value: number): boolean {
  return (IDLE_MINUTE_CHOICES as readonly number[]).includes(value);
}

/** The chosen idle time in minutes; the default when nothing (or something unknown) is stored. */
export function readIdleMinutes(storage?: Pick<Storage, 'getItem'>): number {
  try {
    const value = Number((storage ?? globalThis.localStorage).getItem(STORAGE_KEY));
    return isChoice(value) ? value : DEFAULT_IDLE_MINUTES;
  } catch {
    return DEFAULT_IDLE_MINUTES;
  }
}

export function writeIdleMinutes(minutes: number, storage?: Pick<Storage, 'setItem'>): void {
  if (!isChoice(minutes)) throw new Error(`not an idle time offered: ${minutes}`);
  try {
    (storage ?? globalThis.localStorage).setItem(STORAGE_KEY, String(minutes));
  } catch {
    // Storage unavailable: the choice lasts until the page reloads (the listeners below still follow it).
    memory = minutes;
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another window of the same profile changed it.
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY) listener();
  };
  globalThis.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    globalThis.removeEventListener('storage', onStorage);
  };
}

const snapshot = (): number => memory ?? readIdleMinutes();

/** The idle time in minutes, following changes, and its setter. */
export function useIdleMinutes(): [number, (minutes: number) => void] {
  const minutes = useSyncExternalStore(subscribe, snapshot);
  const set = useCallback((next: number) => writeIdleMinutes(next), []);
  return [minutes, set];
}
