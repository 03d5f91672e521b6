import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { TokenAccountOffer } from '../../../../../renderer/features/account';
import type { SyncManager, SyncSnapshot } from '../../../../../renderer/sync/manager';
import { SyncProvider } from '../../../../../renderer/sync/react';
import { admin, must, renderSignedIn, useTestVault } from './accountFixture';

const getVault = useTestVault();

/** A sync manager that only tells its snapshot: joined with 乙's editor token. */
function joinedAs(user: string, role: SyncSnapshot['role']): SyncManager {
  const snapshot = { joined: true, server: 'wss://sync.example.cn', user, role } as SyncSnapshot;
  return { subscribe: () => () => undefined, getSnapshot: () => snapshot } as unknown as SyncManager;
}

describe('an account from the sync token', () => {
  it('is offered to the admin who joined; the name and role come from the token, the admin types the first passphrase', async () => {
    const vault = getVault();
    renderSignedIn(
      <SyncProvider manager={joinedAs('乙', 'viewer')}>
        <TokenAccountOffer />
      </SyncProvider>,
      vault,
      await admin(vault),
    );
    const offer = await screen.findByTestId('token-account-offer');
    expect(offer.textContent).toContain('乙 的授权码（查看者（只读））');
    fireEvent.click(within(offer).getByRole('button', { name: '为 乙 创建账户' }));
    const dialog = await screen.findByRole('dialog', { name: '添加账户' });
    expect(within(dialog).getByTestId('account-preset').textContent).toContain(
      '为 乙 创建本机账户，角色：查看者（只读）',
    );
    expect(within(dialog).queryByLabelText(/^姓名/)).toBeNull();
    fireEvent.change(within(dialog).getByLabelText(/^初始口令/, { selector: 'input' }), {
      target: { value: 'yi-2026-x' },
    });
    fireEvent.change(within(dialog).getByLabelText(/^再次输入口令/, { selector: 'input' }), {
      target: { value: 'yi-2026-x' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: '添加' }));
    await screen.findByText(/已为 乙 创建账户/);
    const created = (await vault.accounts()).find((account) => account.name === '乙');
    expect(created).toMatchObject({ role: 'viewer', source: 'token' });
    expect((await vault.signIn(created?.id ?? '', 'yi-2026-x')).ok).toBe(true);
    // Once the account exists, nothing more is offered.
    fireEvent.click(screen.getByRole('button', { name: '关闭' }));
    await waitFor(() => expect(screen.queryByTestId('token-account-offer')).toBeNull());
  });

  it('is not offered when the account exists, to someone who is not an admin, or once declined', async () => {
    const vault = getVault();
    const first = await admin(vault);
    const manager = joinedAs('乙', 'editor');
    const { unmount } = renderSignedIn(
      <SyncProvider manager={manager}>
        <TokenAccountOffer />
      </SyncProvider>,
      vault,
      first,
    );
    fireEvent.click(within(await screen.findByTestId('token-account-offer')).getByRole('button', { name: '不用了' }));
    expect(screen.queryByTestId('token-account-offer')).toBeNull();
    unmount();

    // Declined is remembered on this device for this server and user.
    const again = renderSignedIn(
      <SyncProvider manager={manager}>
        <TokenAccountOffer />
      </SyncProvider>,
      vault,
      first,
    );
    // Nothing to wait for: a declined offer does not even read the accounts.
    expect(screen.queryByTestId('token-account-offer')).toBeNull();
    again.unmount();
    localStorage.clear();

    const editor = must(await vault.addAccount(first, { name: '丙', passphrase: 'bing-2026', role: 'editor' }));
    renderSignedIn(
      <SyncProvider manager={manager}>
        <TokenAccountOffer />
      </SyncProvider>,
      vault,
      must(await vault.signIn(editor.id, 'bing-2026')),
    );
    expect(screen.queryByTestId('token-account-offer')).toBeNull();
  });

  it('is not offered when an account of that name exists', async () => {
    const vault = getVault();
    const first = await admin(vault);
    must(await vault.addAccount(first, { name: '乙', passphrase: 'yi-2026-x', role: 'editor' }));
    let reads = 0;
    const counting = new Proxy(vault, {
      get: (target, key) =>
        key === 'accounts'
          ? async () => {
              const list = await target.accounts();
              reads += 1;
              return list;
            }
          : (Reflect.get(target, key) as unknown),
    });
    renderSignedIn(
      <SyncProvider manager={joinedAs('乙', 'editor')}>
        <TokenAccountOffer />
      </SyncProvider>,
      counting,
      first,
    );
    await waitFor(() => expect(reads).toBe(1));
    expect(screen.queryByTestId('token-account-offer')).toBeNull();
  });
});
