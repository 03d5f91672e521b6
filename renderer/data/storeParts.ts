/**
 * The types and small helpers of the renderer's store (store.ts): who acts, how the store is opened, what a search
 * returns, and the settings keys it keeps.
 */
import type { ResidentMatch } from '@shared/domain/registry/search';
import type { CommunityId } from '@shared/ydoc/docName';
import type { ResidentListRow } from '@shared/ydoc/registryRows';
import type { ResidentRow } from './db';
import type { KeyRing } from './keyring';
import type { RowCodec } from './sealed';

export interface UserIdentity {
  userId: string;
  userName: string;
}

/** The signed-in account, as the store needs it (renderer/data/vault.ts `Account`). */
export interface ActingAccount {
  readonly id: string;
  readonly name: string;
  /** `null` for the device's first account: it keeps the registry link made before this device had accounts. */
  readonly createdBy: string | null;
}

export interface ResidentFilter {
  buildingId?: string;
  compoundId?: string;
  tag?: string;
  includeDeleted?: boolean;
}

export interface ResidentHit {
  row: ResidentRow;
  match: ResidentMatch | null;
}

/** A resident as the residents list shows it: keys and card, no record (`WorkstationStore.listResidents`). */
export interface ResidentListHit {
  row: ResidentListRow;
  match: ResidentMatch | null;
}

export const DEMO_COMMUNITY_ID = 'demo-xihe';

/** How the app opens the store. */
export interface StoreOptions {
  /**
   * The signed-in person's keys (the vault's `Session`, renderer/data/vault.ts): every row about people is sealed
   * with them on its way to disk and opened with them on its way back (renderer/data/sealed.ts).
   */
  readonly keys: KeyRing;
}

/**
 * Tests and benchmarks only: rows as a given codec writes them. The only codec that does not seal lives under tests/
 * (tests/unit/renderer/data/plainRows.ts), which renderer/ may not import (lint): the app cannot run unsealed.
 */
export interface CodecStoreOptions {
  readonly rows: RowCodec;
}

/** `WorkstationStore.open` without keys: nothing about people may be read or written without them. */
export class MissingKeysError extends Error {
  constructor() {
    super(
      "WorkstationStore.open needs the signed-in person's keys ({ keys: session }): residents' data is stored " +
        'sealed only (docs/decisions.md "Encryption at rest")',
    );
    this.name = 'MissingKeysError';
  }
}

interface TaskScheduler {
  postTask(callback: () => void, options?: { priority?: 'user-blocking' | 'user-visible' | 'background' }): unknown;
}

/**
 * Runs `work` in a task of its own: the browser handles input and paints between tasks. The platform's scheduler
 * where there is one (Chromium, hence Electron), at `background` priority: the task waits while any other is queued
 * (a key's answer being drawn), and chained calls do not wait 4 ms each as `setTimeout`'s do, which would make a job
 * cut into hundreds of short slices last seconds longer.
 */
export function inBackground(work: () => void): void {
  const scheduler = (globalThis as { scheduler?: TaskScheduler }).scheduler;
  if (typeof scheduler?.postTask === 'function') void scheduler.postTask(work, { priority: 'background' });
  else setTimeout(work, 0);
}

/**
 * Runs `work` once, after the browser has painted the current frame, or after `latestMs` at most: a hidden or
 * minimised window draws no frames, and what waits for a paint must not wait until the window is shown again.
 */
export function afterPaint(work: () => void, latestMs = 500): void {
  const frame = globalThis.requestAnimationFrame as ((callback: () => void) => number) | undefined;
  if (!frame) {
    setTimeout(work, 0);
    return;
  }
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    clearTimeout(latest);
    work();
  };
  const latest = setTimeout(once, latestMs);
  frame(() => setTimeout(once, 0));
}

/**
 * The settings key of the registry person linked to an account in one community (each person at a shared desktop is
 * someone else in the registry); without an account, the device's link of the time before accounts.
 */
export function personKey(community: CommunityId, accountId?: string): string {
  return accountId === undefined ? `person:${community}` : `person:${community}:${accountId}`;
}

/** The free-text user name of versions before accounts; deleted at open, never read (docs/accounts.md). */
export const LEGACY_USER_SETTING = 'user';

export function randomId(): string {
  return globalThis.crypto.randomUUID();
}
