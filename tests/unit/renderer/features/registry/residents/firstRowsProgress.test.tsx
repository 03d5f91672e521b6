/**
 * The residents list says how a new device's first rows are coming (renderer/sync/firstRows.ts, docs/sync-client.md
 * "Rows for a first sync"): "正在下载居民名册… 12,000 / 100,000" while they download, "正在保存…" while they are
 * sealed and written, nothing once done; only for the community whose registry they are. The real workstation with a
 * stand-in sync manager whose progress the test sets.
 */
import 'fake-indexeddb/auto';
import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import type { WorkstationStore } from '../../../../../../renderer/data/store';
import type { FirstRowsProgress } from '../../../../../../renderer/sync/firstRows';
import type { SyncManager, SyncSnapshot } from '../../../../../../renderer/sync/manager';
import { Workbench } from '../../../../../../renderer/Workbench';
import { testPlatform } from '../../../meetings/meetingFixture';
import { admin, renderSignedIn, useTestVault } from '../../account/accountFixture';
import { LOAD, useTestStore } from '../../../storeFixture';

const getStore = useTestStore();
const getVault = useTestVault();

const SYNCING: SyncSnapshot = {
  joined: true,
  server: 'ws://127.0.0.1:1',
  user: '李梅',
  role: 'editor',
  communities: [],
  expiresAt: null,
  online: true,
  state: 'syncing',
  pending: 0,
  lastFullSync: null,
  refusal: null,
  docs: [],
};

function standInManager() {
  const listeners = new Set<() => void>();
  let rows: readonly FirstRowsProgress[] = [];
  const manager = {
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    flush: () => Promise.resolve(),
    whenSaved: () => Promise.resolve(),
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => SYNCING,
    getFirstRows: () => rows,
  } as unknown as SyncManager;
  const show = (next: readonly FirstRowsProgress[]) => {
    rows = next;
    for (const listener of listeners) listener();
  };
  return { manager, show };
}

async function renderWorkbench(store: WorkstationStore, manager: SyncManager) {
  const session = await admin(getVault());
  window.location.hash = '#/registry';
  renderSignedIn(
    <Workbench workspace={{ store, manager, close: () => Promise.resolve() }} registerClose={() => undefined} />,
    getVault(),
    session,
    testPlatform(),
  );
}

afterEach(() => {
  window.location.hash = '';
});

describe('the first rows in the residents list', () => {
  it('shows the download, then the write, of its own registry only, and nothing once done', async () => {
    const store = getStore();
    const { doc } = generateDemoCommunity(23, { residents: 20 });
    const community = await store.addDemoCommunity(Y.encodeStateAsUpdate(doc));
    const { manager, show } = standInManager();
    await renderWorkbench(store, manager);
    await waitFor(() => expect(screen.getByTestId('resident-count').textContent).toMatch(/^共 \d+ 人/), LOAD);
    expect(screen.queryByTestId('first-rows-progress')).toBeNull();

    act(() => show([{ docName: `${community}/registry`, phase: 'download', done: 0, total: null }]));
    expect(screen.getByTestId('first-rows-progress').textContent).toBe('正在下载居民名册…');
    act(() => show([{ docName: `${community}/registry`, phase: 'download', done: 12000, total: 100000 }]));
    expect(screen.getByTestId('first-rows-progress').textContent).toBe('正在下载居民名册… 12,000 / 100,000');
    act(() => show([{ docName: `${community}/registry`, phase: 'write', done: 64000, total: 100012 }]));
    expect(screen.getByTestId('first-rows-progress').textContent).toBe('正在保存居民名册… 64,000 / 100,012');
    // Another community's rows are not this list's.
    act(() => show([{ docName: 'elsewhere/registry', phase: 'download', done: 5, total: 10 }]));
    expect(screen.queryByTestId('first-rows-progress')).toBeNull();
    act(() => show([]));
    expect(screen.queryByTestId('first-rows-progress')).toBeNull();
  }, 30_000);
});
