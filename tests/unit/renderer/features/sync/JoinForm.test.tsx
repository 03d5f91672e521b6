/**
 * The join form and unencrypted addresses: a `ws://` (or scheme-less) address of another computer is not joined on
 * the first press; the form warns, offers the encrypted address, and joins unencrypted only when the person
 * confirms. Nothing reaches the network before that (the token check would carry the token). Loopback is the demo
 * and is joined at once. A real SyncManager on the test store, offline so that it opens no websocket.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import { saveSyncConfig } from '../../../../../renderer/data/syncState';
import { JoinForm } from '../../../../../renderer/features/sync/JoinForm';
import { SyncScreen } from '../../../../../renderer/features/sync/SyncScreen';
import type { Language } from '../../../../../renderer/i18n';
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

const TOKEN = `${btoa('{"alg":"HS256"}')}.${btoa(
  JSON.stringify({ jti: 'j1', sub: 'li', com: ['xihe'], role: 'editor', exp: 4e9, iat: 1 }),
).replace(/=+$/, '')}.c2ln`;

/** Renders the form with a manager whose token checks land in `fetchImpl` (every one answered "editor of xihe"). */
async function renderForm({ language = 'zh-CN' }: { language?: Language } = {}) {
  const checked: string[] = [];
  const fetchImpl = vi.fn<typeof fetch>((input) => {
    checked.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return Promise.resolve(new Response(JSON.stringify({ role: 'editor', communities: ['xihe'], user: 'li' })));
  });
  const manager = new SyncManager(getStore(), secrets, {
    fetchImpl,
    isOnline: () => false,
    onOnlineChange: () => () => undefined,
  });
  await manager.start();
  const done = vi.fn();
  renderUi(
    <PlatformProvider platform={platform}>
      <SyncProvider manager={manager}>
        <JoinForm onDone={done} />
      </SyncProvider>
    </PlatformProvider>,
    { language },
  );
  return { manager, fetchImpl, checked, done };
}

function fill(server: string, labels = { server: '服务器地址', token: '授权码' }) {
  fireEvent.change(screen.getByRole('textbox', { name: labels.server }), { target: { value: server } });
  fireEvent.change(screen.getByRole('textbox', { name: labels.token }), { target: { value: TOKEN } });
}

/** Presses Enter in the form (what a keyboard user does from the token field) or clicks 加入: both submit. */
function submit() {
  fireEvent.submit(screen.getByRole('textbox', { name: '授权码' }).closest('form')!);
}

describe('加入同步服务器 with an unencrypted address', () => {
  it('warns about ws:// to another computer and waits for an explicit confirmation before anything goes out', async () => {
    const { manager, fetchImpl, checked, done } = await renderForm();
    fill('10.0.0.5:1234');
    submit();
    const warning = await screen.findByTestId('join-plain-warning');
    expect(warning.getAttribute('role')).toBe('alert');
    expect(warning.textContent).toContain('连接不加密');
    expect(warning.textContent).toContain('ws://10.0.0.5:1234');
    expect(warning.textContent).toContain('授权码和居民数据会以明文经过网络');
    expect(warning.textContent).toContain('wss://');
    // Nothing was sent: not even the token check.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fetchImpl).not.toHaveBeenCalled();
    expect(done).not.toHaveBeenCalled();
    expect(manager.getSnapshot().joined).toBe(false);

    fireEvent.click(within(warning).getByRole('button', { name: '仍用不加密连接加入' }));
    await waitFor(() => expect(done).toHaveBeenCalled(), LOAD);
    expect(checked[0]).toMatch(/^http:\/\/10\.0\.0\.5:1234\/auth\/check/);
    expect(manager.getSnapshot().server).toBe('ws://10.0.0.5:1234');
    expect(screen.queryByTestId('join-plain-warning')).toBeNull();
    await manager.stop();
  });

  it('can be answered with the keyboard: the warning takes the focus and its answers are the next Tab stops', async () => {
    const { manager } = await renderForm();
    fill('ws://sync.example.gov.cn:1234');
    submit();
    const warning = await screen.findByTestId('join-plain-warning');
    await waitFor(() => expect(document.activeElement).toBe(warning));
    expect(warning.tabIndex).toBe(-1);
    const answers = within(warning).getAllByRole('button');
    expect(answers.map((button) => button.textContent)).toEqual([
      '改用加密地址 wss://sync.example.gov.cn:1234',
      '仍用不加密连接加入',
    ]);
    const tokenField = screen.getByRole('textbox', { name: '授权码' });
    for (const button of answers) {
      // Native buttons (Enter and Space work), reached by Tab before the token field and the 加入 button.
      expect(button.tagName).toBe('BUTTON');
      expect(button.getAttribute('type')).toBe('button');
      expect(button.compareDocumentPosition(tokenField) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    }
    // Submitting again (Enter once more) does not join either; it brings the focus back to the question.
    (document.activeElement as HTMLElement).blur();
    submit();
    expect(document.activeElement).toBe(warning);
    await manager.stop();
  });

  it('offers the encrypted wss:// address instead, and joins with it', async () => {
    const { manager, checked, done } = await renderForm();
    fill('10.0.0.5:1234');
    submit();
    const warning = await screen.findByTestId('join-plain-warning');
    fireEvent.click(within(warning).getByRole('button', { name: '改用加密地址 wss://10.0.0.5:1234' }));
    await waitFor(() => expect(done).toHaveBeenCalled(), LOAD);
    expect(checked[0]).toMatch(/^https:\/\/10\.0\.0\.5:1234\/auth\/check/);
    expect(manager.getSnapshot().server).toBe('wss://10.0.0.5:1234');
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: '服务器地址' }).value).toBe('wss://10.0.0.5:1234');
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: '服务器地址' }));
    await manager.stop();
  });

  it('withdraws the question when the address is changed', async () => {
    const { manager, fetchImpl } = await renderForm();
    fill('http://10.0.0.5:1234');
    submit();
    await screen.findByTestId('join-plain-warning');
    fireEvent.change(screen.getByRole('textbox', { name: '服务器地址' }), { target: { value: 'wss://10.0.0.5' } });
    expect(screen.queryByTestId('join-plain-warning')).toBeNull();
    expect(fetchImpl).not.toHaveBeenCalled();
    await manager.stop();
  });

  it('joins ws:// on this computer (the demo server) without asking', async () => {
    const { manager, checked, done } = await renderForm();
    fill('127.0.0.1:4444');
    submit();
    await waitFor(() => expect(done).toHaveBeenCalled(), LOAD);
    expect(screen.queryByTestId('join-plain-warning')).toBeNull();
    expect(checked[0]).toMatch(/^http:\/\/127\.0\.0\.1:4444\/auth\/check/);
    expect(manager.getSnapshot().server).toBe('ws://127.0.0.1:4444');
    await manager.stop();
  });

  it('joins wss:// without asking', async () => {
    const { manager, done } = await renderForm();
    fill('wss://sync.example.gov.cn');
    submit();
    await waitFor(() => expect(done).toHaveBeenCalled(), LOAD);
    expect(screen.queryByTestId('join-plain-warning')).toBeNull();
    await manager.stop();
  });

  it('says it in English too', async () => {
    const { manager } = await renderForm({ language: 'en' });
    fill('10.0.0.5:1234', { server: 'Server address', token: 'Enrolment token' });
    fireEvent.submit(screen.getByRole('textbox', { name: 'Enrolment token' }).closest('form')!);
    const warning = await screen.findByTestId('join-plain-warning');
    expect(warning.textContent).toContain('Unencrypted connection');
    expect(warning.textContent).toContain('token and residents’ data would cross the network in clear');
    expect(within(warning).getByRole('button', { name: 'Use the encrypted address wss://10.0.0.5:1234' })).toBeTruthy();
    expect(within(warning).getByRole('button', { name: 'Join unencrypted anyway' })).toBeTruthy();
    await manager.stop();
  });
});

describe('同步 screen of a device joined unencrypted', () => {
  async function renderScreen(server: string) {
    await saveSyncConfig(getStore(), {
      server,
      user: '李梅',
      role: 'editor',
      communities: [],
      tokenId: 'j1',
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
      joinedAt: Date.now(),
    });
    const manager = new SyncManager(getStore(), secrets, {
      isOnline: () => false,
      onOnlineChange: () => () => undefined,
    });
    await manager.start();
    renderUi(
      <StoreProvider store={getStore()}>
        <PlatformProvider platform={platform}>
          <SyncProvider manager={manager}>
            <SyncScreen />
          </SyncProvider>
        </PlatformProvider>
      </StoreProvider>,
    );
    await screen.findByTestId('sync-state', {}, LOAD);
    return manager;
  }

  it('says the connection to another computer is unencrypted and what to ask district IT for', async () => {
    const manager = await renderScreen('ws://10.1.2.3:4444');
    expect(screen.getByTestId('sync-plain').textContent).toContain('与服务器的连接不加密');
    expect(screen.getByTestId('sync-plain').textContent).toContain('wss://');
    await manager.stop();
  });

  it('says nothing of it for ws:// on this computer (the demo)', async () => {
    const manager = await renderScreen('ws://127.0.0.1:4444');
    expect(screen.queryByTestId('sync-plain')).toBeNull();
    await manager.stop();
  });
});
