/**
 * The 同步 page speaks to a community worker (issue 18, item 15): communities by their names and data by what it
 * holds (居民信息, 调解案件 2026, 会议记录 2026…); the community ids and document names stay behind 详情, for the
 * district's administrator; the join form's hint sends the worker to that administrator, not to a command line
 * (docs/sync-server.md keeps the command for the administrator).
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { toCommunityId } from '@shared/ydoc/docName';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import { saveSyncConfig } from '../../../../../renderer/data/syncState';
import { SyncScreen } from '../../../../../renderer/features/sync/SyncScreen';
import { PlatformProvider, type Platform } from '../../../../../renderer/platform';
import { SyncManager, type SecretStore } from '../../../../../renderer/sync/manager';
import { SyncProvider } from '../../../../../renderer/sync/react';
import { renderUi } from '../../render';
import { LOAD, useTestStore } from '../../storeFixture';

// Mantine's autosizing Textarea (the token field) listens to `document.fonts`, which jsdom lacks: a stand-in.
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', {
    configurable: true,
    value: { addEventListener: () => undefined, removeEventListener: () => undefined },
  });
}

const getStore = useTestStore();

const secrets: SecretStore = {
  storeSecret: () => Promise.resolve(),
  loadSecret: () => Promise.resolve('a-token'),
  deleteSecret: () => Promise.resolve(),
};
const platform = { secretStorage: 'keychain' } as unknown as Platform;
const COMMUNITY = 'shunqing-beimen';
const YEAR = 2026;

async function renderScreen({ joined, ownOpen = false }: { joined: boolean; ownOpen?: boolean }) {
  const store = getStore();
  if (ownOpen) {
    // A community of this device's own is open (the demo), which the token does not name.
    await store.db.communities.put({ id: 'demo-xihe', name: '西河社区', addedAt: 1, lastOpenedAt: 1 });
    await store.setCurrentCommunity(toCommunityId('demo-xihe'));
  }
  if (joined) {
    const now = Date.now();
    await store.db.communities.put({ id: COMMUNITY, name: '北门社区', addedAt: now, lastOpenedAt: now });
    await saveSyncConfig(store, {
      server: 'wss://sync.example.gov.cn',
      user: '李梅',
      role: 'editor',
      communities: [COMMUNITY],
      tokenId: 'token-7f3a',
      expiresAt: Math.floor(now / 1000) + 3600,
      joinedAt: now,
    });
  }
  // Offline: the manager opens the documents but never reaches for a network in this test.
  const manager = new SyncManager(store, secrets, {
    isOnline: () => false,
    onOnlineChange: () => () => undefined,
    years: () => [YEAR],
  });
  await manager.start();
  renderUi(
    <StoreProvider store={store}>
      <PlatformProvider platform={platform}>
        <SyncProvider manager={manager}>
          <SyncScreen />
        </SyncProvider>
      </PlatformProvider>
    </StoreProvider>,
  );
  return manager;
}

/** The text a person sees: everything but the folded 详情 while it is closed. */
function visibleText(): string {
  const copy = document.body.cloneNode(true) as HTMLElement;
  copy.querySelector('[data-testid="sync-details"]')?.remove();
  return copy.textContent;
}

describe('同步 page for a community worker', () => {
  it('names the community and the data, and keeps ids and document names behind 详情', async () => {
    const manager = await renderScreen({ joined: true });
    await waitFor(() => expect(screen.getByTestId('sync-communities').textContent).toBe('北门社区'), LOAD);
    const rows = await screen.findAllByTestId('sync-data');
    const what = rows.map((row) => within(row).getAllByRole('cell')[1]?.textContent);
    expect(what).toContain('居民信息');
    expect(what).toContain(`调解案件 ${YEAR}`);
    expect(what).toContain(`会议记录 ${YEAR}`);
    expect(what).toContain(`会议记录 ${YEAR + 1}`);
    for (const row of rows) expect(within(row).getAllByRole('cell')[0]?.textContent).toBe('北门社区');
    const shown = visibleText();
    expect(shown).not.toContain(COMMUNITY);
    expect(shown).not.toContain(`${COMMUNITY}/registry`);

    // 详情: a button that says whether it is open; the ids and document names are there for the administrator.
    const toggle = screen.getByRole('button', { name: '详情' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    const details = screen.getByTestId('sync-details');
    expect(toggle.getAttribute('aria-controls')).toBe(details.id);
    expect(details.textContent).toContain(COMMUNITY);
    expect(
      within(details)
        .getAllByTestId('sync-doc')
        .map((row) => row.textContent),
    ).toContainEqual(expect.stringContaining(`${COMMUNITY}/cases/${YEAR}`));
    fireEvent.click(toggle);
    expect(screen.getByRole('button', { name: '收起详情' }).getAttribute('aria-expanded')).toBe('true');
    await manager.stop();
  });

  it('says why the open community is not synced when the token names another', async () => {
    const manager = await renderScreen({ joined: true, ownOpen: true });
    const note = await screen.findByTestId('sync-open-unsynced', {}, LOAD);
    expect(note.textContent).toContain('“西河社区”仅存本机，未同步');
    expect(note.textContent).toContain('北门社区');
    await manager.stop();
  });

  it('asks the worker to contact the district administrator for a token, without a command line', async () => {
    const manager = await renderScreen({ joined: false });
    const token = await screen.findByRole('textbox', { name: '授权码' }, LOAD);
    const form = token.closest('form') as HTMLElement;
    expect(form.textContent).toContain('请联系区里的信息管理员');
    expect(form.textContent).not.toContain('sync-admin');
    expect(document.body.textContent).not.toMatch(/sync-admin|token issue/);
    await manager.stop();
  });
});
