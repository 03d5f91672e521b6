/**
 * The two stores `npm run bench:store` compares: sealed with the signed-in person's keys (as the app runs: the
 * vault's Session) and rows in clear (the store as it was before encryption at rest,
 * tests/unit/renderer/data/plainRows.ts), so that one run shows what sealing costs. Each has its own database; both
 * are opened after the same sign-in, to the same account of the origin's vault.
 */
import type { KeyRing } from '../../../renderer/data/keyring';
import type { CodecStoreOptions, StoreOptions } from '../../../renderer/data/store';
import { PlainRows } from '../../unit/renderer/data/plainRows';

export const STORE_MODES = ['plain', 'sealed'] as const;
export type StoreMode = (typeof STORE_MODES)[number];

/** The benchmark's account in the origin's vault (made by the benchmark page, signed in to on the app page). */
export const BENCH_ACCOUNT = { name: '基准测试', passphrase: 'bench-store-2026' } as const;

export function dbNameOf(mode: StoreMode): string {
  return `bench-store-${mode}`;
}

export function storeOptions(mode: StoreMode, keys: KeyRing): StoreOptions | CodecStoreOptions {
  return mode === 'sealed' ? { keys } : { rows: new PlainRows() };
}
