import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AccountsCard } from '../../../../../renderer/features/account';
import { ADMIN, admin, must, renderSignedIn, useTestVault } from './accountFixture';

const getVault = useTestVault();

function type(container: HTMLElement, label: RegExp, value: string) {
  fireEvent.change(within(container).getByLabelText(label, { selector: 'input, select' }), { target: { value } });
}

function row(name: string): HTMLElement {
  const found = screen.getAllByTestId('account-row').find((r) => r.textContent.startsWith(name));
  if (!found) throw new Error(`no row for ${name}`);
  return found;
}

describe('设置 → 账户', () => {
  it('lets an admin add a colleague, who then signs in with the passphrase given', async () => {
    const vault = getVault();
    const session = await admin(vault);
    renderSignedIn(<AccountsCard />, vault, session);
    await screen.findByTestId('account-list');
    fireEvent.click(screen.getByRole('button', { name: '添加账户' }));
    const dialog = await screen.findByRole('dialog', { name: '添加账户' });
    type(dialog, /^姓名/, '李四');
    type(dialog, /^角色/, 'editor');
    type(dialog, /^初始口令/, 'li-si-2026');
    type(dialog, /^再次输入口令/, 'li-si-2026');
    fireEvent.click(within(dialog).getByRole('button', { name: '添加' }));
    expect((await screen.findByText('已添加账户 李四。')).getAttribute('role')).not.toBe('alert');
    await waitFor(() => expect(row('李四').textContent).toContain('编辑者'));
    const colleague = (await vault.accounts()).find((account) => account.name === '李四');
    expect(colleague).toMatchObject({ role: 'editor', source: 'local', createdBy: session.account.id });
    expect((await vault.signIn(colleague?.id ?? '', 'li-si-2026')).ok).toBe(true);
  });

  it('refuses a colleague whose two passphrases differ, adding nobody', async () => {
    const vault = getVault();
    renderSignedIn(<AccountsCard />, vault, await admin(vault));
    fireEvent.click(await screen.findByRole('button', { name: '添加账户' }));
    const dialog = await screen.findByRole('dialog', { name: '添加账户' });
    type(dialog, /^姓名/, '李四');
    type(dialog, /^初始口令/, 'li-si-2026');
    type(dialog, /^再次输入口令/, 'li-si-2062');
    fireEvent.click(within(dialog).getByRole('button', { name: '添加' }));
    expect(within(dialog).getByRole('alert').textContent).toBe('两次输入的口令不一致。');
    expect(await vault.accounts()).toHaveLength(1);
  });

  it('re-enrols a forgotten passphrase: the old one stops working, the new one signs in', async () => {
    const vault = getVault();
    const session = await admin(vault);
    const colleague = must(await vault.addAccount(session, { name: '李四', passphrase: 'forgotten', role: 'editor' }));
    renderSignedIn(<AccountsCard />, vault, session);
    await screen.findByTestId('account-list');
    fireEvent.click(within(row('李四')).getByRole('button', { name: '重设 李四 的口令' }));
    const dialog = await screen.findByRole('dialog', { name: '重设 李四 的口令' });
    expect(dialog.textContent).toContain('原口令将立即失效');
    type(dialog, /^新口令/, 'new-one-9');
    type(dialog, /^再次输入口令/, 'new-one-9');
    fireEvent.click(within(dialog).getByRole('button', { name: '重设口令' }));
    await screen.findByText('已重设 李四 的口令。');
    expect((await vault.signIn(colleague.id, 'forgotten')).ok).toBe(false);
    expect((await vault.signIn(colleague.id, 'new-one-9')).ok).toBe(true);
  });

  it('changes a role and removes an account, each behind a confirmation; the admin cannot do either to themself', async () => {
    const vault = getVault();
    const session = await admin(vault);
    must(await vault.addAccount(session, { name: '李四', passphrase: 'li-si-2026', role: 'editor' }));
    renderSignedIn(<AccountsCard />, vault, session);
    await screen.findByTestId('account-list');
    expect(within(row(ADMIN)).queryAllByRole('button')).toHaveLength(0);
    expect(row(ADMIN).textContent).toContain('不能修改自己的角色或删除自己');

    fireEvent.click(within(row('李四')).getByRole('button', { name: '更改 李四 的角色' }));
    const roleDialog = await screen.findByRole('dialog', { name: '更改 李四 的角色' });
    type(roleDialog, /^角色/, 'admin');
    fireEvent.click(within(roleDialog).getByRole('button', { name: '更改角色' }));
    await screen.findByText('李四 现在是管理员。');
    expect((await vault.accounts()).find((a) => a.name === '李四')?.role).toBe('admin');

    fireEvent.click(within(row('李四')).getByRole('button', { name: '删除账户 李四' }));
    const removeDialog = await screen.findByRole('dialog', { name: '删除账户 李四？' });
    expect(removeDialog.textContent).toContain('将不能再在本机登录');
    // Cancel first: nothing happens.
    fireEvent.click(within(removeDialog).getByRole('button', { name: '取消' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await vault.accounts()).toHaveLength(2);
    fireEvent.click(within(row('李四')).getByRole('button', { name: '删除账户 李四' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: '删除' }));
    await screen.findByText('已删除账户 李四。');
    expect((await vault.accounts()).map((a) => a.name)).toEqual([ADMIN]);
    await waitFor(() => expect(screen.getAllByTestId('account-row')).toHaveLength(1));
  });

  it('shows someone who is not an admin only their own account, and lets them change their passphrase with the current one', async () => {
    const vault = getVault();
    const first = await admin(vault);
    const colleague = must(await vault.addAccount(first, { name: '李四', passphrase: 'li-si-2026', role: 'editor' }));
    const session = must(await vault.signIn(colleague.id, 'li-si-2026'));
    renderSignedIn(<AccountsCard />, vault, session);
    await waitFor(() => expect(screen.getAllByTestId('account-row')).toHaveLength(1));
    expect(row('李四')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '添加账户' })).toBeNull();
    expect(screen.getByRole('note').textContent).toContain('请本机管理员为您重设');

    const form = screen.getByRole('form', { name: '修改我的口令' });
    type(form, /^当前口令/, 'not-mine-1');
    type(form, /^新口令/, 'li-si-2027');
    type(form, /^再次输入口令/, 'li-si-2027');
    fireEvent.click(within(form).getByRole('button', { name: '修改口令' }));
    expect((await within(form).findByRole('alert')).textContent).toBe('口令不正确。');
    type(form, /^当前口令/, 'li-si-2026');
    fireEvent.click(within(form).getByRole('button', { name: '修改口令' }));
    await within(form).findByText('口令已修改，下次登录请使用新口令。');
    expect((await vault.signIn(colleague.id, 'li-si-2026')).ok).toBe(false);
    expect((await vault.signIn(colleague.id, 'li-si-2027')).ok).toBe(true);
  });

  it('tells an admin plainly that there is no recovery without an admin', async () => {
    const vault = getVault();
    renderSignedIn(<AccountsCard />, vault, await admin(vault));
    const note = await screen.findByRole('note');
    expect(note.textContent).toContain('没有后门');
    expect(note.textContent).toContain('至少有两位管理员');
  });
});
