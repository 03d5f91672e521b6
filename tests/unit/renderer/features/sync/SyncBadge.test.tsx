/**
 * The header badge describes the community that is open (issue 18, item 1): a community the token does not name (the
 * demo, or one created here before joining a server for another community) says it stays on this device, never
 * 已是最新 borrowed from the other communities; a community the token names shows its own documents' state and its
 * own pending changes. The snapshot comes from a stand-in manager, so that every state can be set exactly.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { describe, expect, it } from 'vitest';
import { toCommunityId } from '@shared/ydoc/docName';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { SyncBadge } from '../../../../../renderer/features/sync/SyncBadge';
import type { DocSyncStatus } from '../../../../../renderer/sync/docSync';
import type { SyncManager, SyncSnapshot } from '../../../../../renderer/sync/manager';
import { SyncProvider } from '../../../../../renderer/sync/react';
import { communitySync } from '../../../../../renderer/sync/syncState';
import { renderUi } from '../../render';
import { LOAD, useTestStore } from '../../storeFixture';

const getStore = useTestStore();

const DEMO = toCommunityId('demo-xihe');
const BEIMEN = toCommunityId('shunqing-beimen');
const NANHU = toCommunityId('shunqing-nanhu');

function doc(
  name: string,
  connection: DocSyncStatus['connection'],
  pending = 0,
  lastFullSync: number | null = 1,
): DocSyncStatus {
  return { docName: name, connection, pending, lastFullSync, refusal: null };
}

function joined(communities: string[], docs: DocSyncStatus[], state: SyncSnapshot['state'] = 'synced'): SyncSnapshot {
  return {
    joined: true,
    server: 'wss://sync.example.gov.cn',
    user: '李梅',
    role: 'editor',
    communities,
    expiresAt: 4e9,
    online: state !== 'offline',
    state,
    pending: docs.reduce((sum, d) => sum + d.pending, 0),
    lastFullSync: 1,
    refusal: null,
    docs,
  };
}

/** A manager stand-in whose snapshot the test sets. */
function fakeManager(snapshot: SyncSnapshot) {
  const listeners = new Set<() => void>();
  let current = snapshot;
  const manager = {
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => current,
  } as unknown as SyncManager;
  const set = (next: SyncSnapshot) => {
    current = next;
    for (const listener of listeners) listener();
  };
  return { manager, set };
}

async function openCommunity(store: WorkstationStore, id: string, name: string) {
  const now = Date.now();
  await store.db.communities.put({ id, name, addedAt: now, lastOpenedAt: now });
  await store.setCurrentCommunity(toCommunityId(id));
}

function renderBadge(store: WorkstationStore, manager: SyncManager, language: 'zh-CN' | 'en' = 'zh-CN') {
  const location = memoryLocation({ path: '/', record: true });
  renderUi(
    <StoreProvider store={store}>
      <SyncProvider manager={manager}>
        <Router hook={location.hook}>
          <SyncBadge />
        </Router>
      </SyncProvider>
    </StoreProvider>,
    { language },
  );
  return location;
}

describe('the header sync badge describes the open community', () => {
  it('says the demo stays on this device when the joined server syncs another community', async () => {
    const store = getStore();
    await openCommunity(store, BEIMEN, '北门社区');
    await openCommunity(store, DEMO, '西河社区');
    // Joined with a token for 北门社区, which is up to date: the demo is open.
    const { manager } = fakeManager(joined([BEIMEN], [doc(`${BEIMEN}/registry`, 'synced')]));
    const location = renderBadge(store, manager);
    const badge = screen.getByTestId('sync-badge');
    await waitFor(() => expect(badge.getAttribute('data-state')).toBe('unsynced'), LOAD);
    expect(badge.textContent).toBe('本社区未同步');
    expect(badge.textContent).not.toContain('已是最新');
    const hint = badge.getAttribute('aria-label') ?? '';
    expect(hint).toContain('“西河社区”仅存本机，未同步');
    expect(hint).toContain('北门社区');
    expect(hint).not.toContain('未存到服务器的本机修改：0 项');
    fireEvent.click(badge);
    expect(location.history.at(-1)).toBe('/sync');
  });

  it("shows the open community's own state and pending changes, not the other communities'", async () => {
    const store = getStore();
    await openCommunity(store, NANHU, '南湖社区');
    await openCommunity(store, BEIMEN, '北门社区');
    const docs = [
      doc(`${BEIMEN}/registry`, 'synced'),
      doc(`${BEIMEN}/cases/2026`, 'synced'),
      doc(`${NANHU}/registry`, 'syncing', 3),
    ];
    const { manager, set } = fakeManager(joined([BEIMEN, NANHU], docs, 'syncing'));
    renderBadge(store, manager);
    const badge = screen.getByTestId('sync-badge');
    await waitFor(() => expect(badge.getAttribute('data-state')).toBe('synced'), LOAD);
    expect(badge.getAttribute('data-pending')).toBe('0');
    expect(badge.textContent).toBe('已是最新');
    expect(badge.getAttribute('aria-label')).toContain('“北门社区”：已是最新。未存到服务器的本机修改：0 项');

    await store.setCurrentCommunity(NANHU);
    await waitFor(() => expect(badge.getAttribute('data-state')).toBe('syncing'), LOAD);
    expect(badge.getAttribute('data-pending')).toBe('3');
    expect(badge.textContent).toBe('同步中 · 3 项待上传');

    // Offline holds for every community: the open one says so too.
    set(joined([BEIMEN, NANHU], docs, 'offline'));
    await waitFor(() => expect(badge.getAttribute('data-state')).toBe('offline'));
    expect(badge.textContent).toBe('离线 · 3 项待上传');
  });

  it('still says 本机模式 when no server is joined, and speaks English in English', async () => {
    const store = getStore();
    await openCommunity(store, DEMO, '西河社区');
    const { manager, set } = fakeManager({ ...joined([], [], 'local'), joined: false, server: null, role: null });
    renderBadge(store, manager, 'en');
    const badge = screen.getByTestId('sync-badge');
    await waitFor(() => expect(badge.getAttribute('data-state')).toBe('local'), LOAD);
    set(joined([BEIMEN], [doc(`${BEIMEN}/registry`, 'synced')]));
    await waitFor(() => expect(badge.getAttribute('data-state')).toBe('unsynced'));
    expect(badge.textContent).toBe('Not synced');
    expect(badge.getAttribute('aria-label')).toContain('“西河社区” is kept on this device only, not synced');
  });
});

describe('communitySync', () => {
  const a = 'aa-one';
  const b = 'bb-two';
  it('is never up to date for a community named by the token whose documents are not open yet', () => {
    expect(communitySync(joined([a, b], [doc(`${a}/registry`, 'synced')]), b).state).toBe('connecting');
  });
  it('is refused when every document of the community is refused, whatever the others', () => {
    const snapshot = joined([a, b], [doc(`${a}/registry`, 'synced'), doc(`${b}/registry`, 'refused')]);
    expect(communitySync(snapshot, b).state).toBe('refused');
    expect(communitySync(snapshot, a).state).toBe('synced');
  });
  it('takes the oldest last full sync of the community, null when one never synced', () => {
    const snapshot = joined(
      [a, b],
      [
        doc(`${a}/registry`, 'synced', 0, 50),
        doc(`${a}/cases/2026`, 'synced', 0, 20),
        doc(`${b}/registry`, 'connecting', 0, null),
      ],
    );
    expect(communitySync(snapshot, a).lastFullSync).toBe(20);
    expect(communitySync(snapshot, b).lastFullSync).toBeNull();
  });
  it('is on the way while any document of the community connects, and syncing while a change waits', () => {
    const connecting = joined([a, b], [doc(`${a}/registry`, 'synced'), doc(`${a}/cases/2026`, 'connecting')]);
    expect(communitySync(connecting, a).state).toBe('connecting');
    // Every document connected and quiet, but a local change not yet stored: not up to date.
    const waiting = joined([a, b], [doc(`${a}/registry`, 'synced', 2), doc(`${b}/registry`, 'synced')]);
    expect(communitySync(waiting, a)).toMatchObject({ state: 'syncing', pending: 2 });
    expect(communitySync(waiting, b)).toMatchObject({ state: 'synced', pending: 0 });
  });
  it('is refused for every community named by a refused token, even one whose documents are up to date', () => {
    const snapshot = joined([a, b], [doc(`${a}/registry`, 'synced'), doc(`${b}/registry`, 'synced')], 'refused');
    expect(communitySync(snapshot, a).state).toBe('refused');
    expect(communitySync(snapshot, 'cc-three').state).toBe('unsynced');
  });
  it('follows the whole connection when no community is open', () => {
    const snapshot = joined([a], [doc(`${a}/registry`, 'syncing', 2)], 'syncing');
    expect(communitySync(snapshot, null)).toMatchObject({ state: 'syncing', pending: 2 });
  });
});
