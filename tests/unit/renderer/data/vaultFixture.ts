// Dexie looks for IndexedDB when first imported: test files import 'fake-indexeddb/auto' before this file.
import { afterEach } from 'vitest';
import { Vault } from '../../../../renderer/data/vault';

/**
 * Opens vaults on fake-indexeddb, each under a new name, and closes them after every test of the calling file. Fewer
 * iterations than the app's 600,000: the tests sign in dozens of times.
 */
export function useVaults(): (name?: string) => Promise<Vault> {
  const opened: Vault[] = [];
  afterEach(() => {
    for (const vault of opened.splice(0)) vault.close();
  });
  return async (name = `vault-${Math.random().toString(36).slice(2)}`) => {
    const vault = await Vault.open(name, { iterations: 1_000 });
    opened.push(vault);
    return vault;
  };
}

/** The value of a vault result that must be ok; otherwise the test fails with its error. */
export function must<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}
