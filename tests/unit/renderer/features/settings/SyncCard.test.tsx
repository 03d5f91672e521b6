// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { describe, expect, it } from 'vitest';
import { saveSyncConfig } from '../../../../../renderer/data/syncState';
import { SyncCard } from '../../../../../renderer/features/settings/SyncCard';
import { SyncManager, type SecretStore } from '../../../../../renderer/sync/manager';
import { SyncProvider } from '../../../../../renderer/sync/react';
import { renderUi } from '../../render';
import { LOAD, useTestStore } from '../../storeFixture';

const getStore = useTestStore();

const secrets: SecretStore = {
  storeSecret: () => Promise.resolve(),
  loadSecret: () => Promise.resolve('a-token'),
  deleteSecret: () => Promise.resolve(),
};

async function renderCard() {
  // Offline: the manager never reaches for a network in this test.
  const manager = new SyncManager(getStore(), secrets, {
    isOnline: () => false,
    onOnlineChange: () => () => undefined,
  });
  await manager.start();
  const location = memoryLocation({ path: '/settings', record: true });
  renderUi(
    <Router hook={location.hook}>
      <SyncProvider manager={manager}>
        <SyncCard />
      </SyncProvider>
    </Router>,
  );
  return { manager, location };
}

describe('同步 in settings', () => {
  it('says the device works alone and leads to the join form', async () => {
    const { manager, location } = await renderCard();
    expect(screen.getByTestId('settings-sync-state').textContent).toContain('本机模式');
    fireEvent.click(screen.getByRole('button', { name: '加入同步服务器' }));
    expect(location.history.at(-1)).toBe('/sync');
    await manager.stop();
  });

  it('names the server and how the sync stands once joined', async () => {
    await saveSyncConfig(getStore(), {
      server: 'ws://10.1.2.3:4444',
      user: '李梅',
      role: 'editor',
      communities: [],
      tokenId: 'j1',
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
      joinedAt: Date.now(),
    });
    const { manager } = await renderCard();
    await waitFor(
      () => expect(screen.getByTestId('settings-sync-state').textContent).toBe('已加入 ws://10.1.2.3:4444，离线。'),
      LOAD,
    );
    expect(screen.getByRole('button', { name: '同步详情' })).toBeTruthy();
    await manager.stop();
  });
});
