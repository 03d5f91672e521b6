import 'fake-indexeddb/auto';
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AccountMenu, IdleLockCard } from '../../../../../renderer/features/account';
import { readIdleMinutes } from '../../../../../renderer/features/account/idleSetting';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { admin, must, renderSignedIn, testPlatform, useTestVault } from './accountFixture';

const getVault = useTestVault();

describe('设置 → 自动锁定', () => {
  it('is 10 minutes by default; an admin chooses another time for this device', async () => {
    const vault = getVault();
    renderSignedIn(<IdleLockCard />, vault, await admin(vault));
    const select = screen.getByLabelText<HTMLSelectElement>('无操作多久后自动锁定');
    expect(select.value).toBe('10');
    fireEvent.change(select, { target: { value: '5' } });
    expect(readIdleMinutes()).toBe(5);
    expect(select.value).toBe('5');
    // The browser is not told when the OS locks; the card says so.
    expect(screen.getByText(/浏览器版无法得知电脑锁屏/)).toBeTruthy();
  });

  it('is shown, not changed, by someone who is not an admin; the desktop also locks with the OS', async () => {
    const vault = getVault();
    const first = await admin(vault);
    const editor = must(await vault.addAccount(first, { name: '李四', passphrase: 'li-si-2026', role: 'editor' }));
    renderSignedIn(
      <IdleLockCard />,
      vault,
      must(await vault.signIn(editor.id, 'li-si-2026')),
      testPlatform({ onSystemLock: () => () => undefined }),
    );
    expect(screen.getByLabelText<HTMLSelectElement>('无操作多久后自动锁定').disabled).toBe(true);
    expect(screen.getByText('由本机管理员设置。')).toBeTruthy();
    expect(screen.getByText(/锁屏（Win\+L）或休眠时也会立即锁定/)).toBeTruthy();
  });
});

describe('the header account menu', () => {
  async function openMenu() {
    const vault = getVault();
    const { value } = renderSignedIn(
      <Router hook={memoryLocation({ path: '/' }).hook}>
        <AccountMenu />
      </Router>,
      vault,
      await admin(vault),
    );
    fireEvent.click(screen.getByRole('button', { name: '当前账户：王芳' }));
    // jsdom cannot run the dropdown's transition to its end: the items count as hidden (the e2e tests see them).
    await screen.findByRole('menuitem', { name: '锁定', hidden: true });
    return value;
  }

  it('names the signed-in account; 切换用户 switches without closing the app', async () => {
    const value = await openMenu();
    fireEvent.click(screen.getByRole('menuitem', { name: '切换用户', hidden: true }));
    expect(value.switchUser).toHaveBeenCalledOnce();
    expect(value.lock).not.toHaveBeenCalled();
  });

  it('锁定 locks', async () => {
    const value = await openMenu();
    fireEvent.click(screen.getByRole('menuitem', { name: '锁定', hidden: true }));
    expect(value.lock).toHaveBeenCalledOnce();
  });
});
