// Dexie looks for IndexedDB when first imported: test files import 'fake-indexeddb/auto' before anything else.
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import type { CommandResult } from '@shared/domain/registry/commands';
import { MemoryKeyRing, type KeyRing } from '../../../renderer/data/keyring';
import { WorkstationStore } from '../../../renderer/data/store';

const keyRings = new WeakMap<WorkstationStore, KeyRing>();

/** The keys a test store was opened with (to open its database again, as after a restart). */
export function keysOf(store: WorkstationStore): KeyRing {
  const keys = keyRings.get(store);
  if (!keys) throw new Error('not a test store');
  return keys;
}

/** The first render waits for the projection to start; under a loaded test run that takes more than a second. */
export const LOAD = { timeout: 8000 };

/**
 * A real WorkstationStore on fake-indexeddb, fresh for each test of the calling file, closed after it.
 * Returns a getter because the store is replaced before every test.
 */
export function useTestStore(): () => WorkstationStore {
  let store: WorkstationStore | undefined;
  beforeEach(async () => {
    const keys = new MemoryKeyRing();
    store = await WorkstationStore.open(`test-${Math.random().toString(36).slice(2)}`, { keys });
    keyRings.set(store, keys);
  });
  afterEach(async () => {
    // Unmount first and let the projection finish its last write, so closing the database interrupts nothing.
    cleanup();
    await store?.flush();
    await store?.close();
  });
  return () => {
    if (!store) throw new Error('the test store is only there inside a test');
    return store;
  };
}

/** The value of a command that must succeed in a fixture. */
export function value<T>(result: CommandResult<T>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}
