/**
 * What a person types into 查找居民 stays there when the sync token's role is read, a moment after the list shows
 * (docs/bench-scale.md: at 20,000 residents the first keys typed were lost, the screens remounted when the token's
 * role arrived although it changed nothing). The real workstation (renderer/Workbench.tsx) with a stand-in sync
 * manager whose role the test gives when it chooses, as the real one does once its config is read from disk.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import type { Role } from '@shared/sync/protocol';
import { keepTokenRole } from '../../../../../../renderer/data/roles';
import type { WorkstationStore } from '../../../../../../renderer/data/store';
import type { SyncManager, SyncSnapshot } from '../../../../../../renderer/sync/manager';
import { Workbench } from '../../../../../../renderer/Workbench';
import { testPlatform } from '../../../meetings/meetingFixture';
import { admin, renderSignedIn, useTestVault } from '../../account/accountFixture';
import { LOAD, useTestStore } from '../../../storeFixture';

const getStore = useTestStore();
const getVault = useTestVault();

const LOCAL: SyncSnapshot = {
  joined: false,
  server: null,
  user: null,
  role: null,
  communities: [],
  expiresAt: null,
  online: true,
  state: 'local',
  pending: 0,
  lastFullSync: null,
  refusal: null,
  docs: [],
};

/** A manager stand-in: not joined until `joinedAs`, which does what the real one does once its config is read. */
function standInManager(store: WorkstationStore) {
  const listeners = new Set<() => void>();
  let current = LOCAL;
  const manager = {
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    flush: () => Promise.resolve(),
    whenSaved: () => Promise.resolve(),
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => current,
  } as unknown as SyncManager;
  const joinedAs = (role: Role, communities: string[]) => {
    store.setRole(role);
    current = { ...LOCAL, joined: true, server: 'ws://127.0.0.1:1', user: '李梅', role, communities, state: 'synced' };
    for (const listener of listeners) listener();
  };
  return { manager, joinedAs };
}

/** The workstation as the sign-in opens it (the device's first account, an admin), on the residents list. */
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

describe('typing in the residents list while the sync role is read', () => {
  it('keeps the typed query and answers it when the role read changes nothing', async () => {
    const store = getStore();
    const { doc } = generateDemoCommunity(21, { residents: 300 });
    const community = await store.addDemoCommunity(Y.encodeStateAsUpdate(doc));
    // Joined earlier with an editor's token: the role is kept on the device and read when the store opens.
    await keepTokenRole(store, [community], 'editor');
    expect(store.roleIn(community)).toBe('editor');
    const query = '王';
    const answer = await store.searchResidents(community, query, {}, 200);
    expect(answer.total).toBeGreaterThan(0);
    expect(answer.total).toBeLessThan(300);

    const { manager, joinedAs } = standInManager(store);
    await renderWorkbench(store, manager);
    const box = await screen.findByRole('searchbox', undefined, LOAD);
    await waitFor(() => expect(screen.getByTestId('resident-count').textContent).toMatch(/^共 \d+ 人/), LOAD);
    fireEvent.change(box, { target: { value: query } });
    // The token's role arrives (the manager's config read from disk): the same role as the one kept.
    act(() => joinedAs('editor', [community]));
    expect(screen.getByRole('searchbox')).toHaveProperty('value', query);
    await waitFor(() => expect(screen.getByTestId('resident-count').textContent).toBe(`共 ${answer.total} 人`), LOAD);
    expect(screen.getByRole('searchbox')).toHaveProperty('value', query);
  }, 30_000);

  it('still shows the screens again for a role that changes what the person may do', async () => {
    const store = getStore();
    const { doc } = generateDemoCommunity(22, { residents: 50 });
    const community = await store.addDemoCommunity(Y.encodeStateAsUpdate(doc));
    await keepTokenRole(store, [community], 'editor');
    const { manager, joinedAs } = standInManager(store);
    await renderWorkbench(store, manager);
    const add = await screen.findByRole('button', { name: '登记居民' }, LOAD);
    expect(add).toHaveProperty('disabled', false);
    act(() => joinedAs('viewer', [community]));
    await waitFor(
      () => expect(screen.getByRole('button', { name: '登记居民' })).toHaveProperty('disabled', true),
      LOAD,
    );
  }, 30_000);
});
