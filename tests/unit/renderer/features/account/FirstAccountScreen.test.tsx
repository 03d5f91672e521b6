import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Session } from '../../../../../renderer/data/vault';
import { FirstAccountScreen } from '../../../../../renderer/features/account/FirstAccountScreen';
import { renderUi } from '../../render';
import { useTestVault } from './accountFixture';

const getVault = useTestVault();

function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(new RegExp(`^${label}`), { selector: 'input' }), { target: { value } });
}

function submit() {
  fireEvent.click(screen.getByRole('button', { name: '创建账户并进入' }));
}

describe('the first start', () => {
  it('creates the first account as the device admin, and says there is no recovery without an admin', async () => {
    const vault = getVault();
    const onCreated = vi.fn<(session: Session) => void>();
    renderUi(<FirstAccountScreen vault={vault} onCreated={onCreated} />);
    expect(screen.getByTestId('first-account').textContent).toContain('没有后门');
    fill('姓名', '  王芳 ');
    fill('新口令', 'xihe-2026');
    fill('再次输入口令', 'xihe-2026');
    submit();
    await waitFor(() => expect(onCreated).toHaveBeenCalledOnce());
    expect(onCreated.mock.calls[0]?.[0].account).toMatchObject({ name: '王芳', role: 'admin', createdBy: null });
    expect((await vault.accounts()).map((account) => account.name)).toEqual(['王芳']);
  });

  it('refuses two different passphrases, a short one and an empty name, creating nothing', async () => {
    const vault = getVault();
    const onCreated = vi.fn();
    renderUi(<FirstAccountScreen vault={vault} onCreated={onCreated} />);
    fill('姓名', '王芳');
    fill('新口令', 'xihe-2026');
    fill('再次输入口令', 'xihe-2027');
    submit();
    expect((await screen.findByTestId('first-account-error')).textContent).toBe('两次输入的口令不一致。');
    fill('新口令', '12345');
    fill('再次输入口令', '12345');
    submit();
    expect(screen.getByTestId('first-account-error').textContent).toBe('口令至少 6 位。');
    fill('姓名', ' ');
    fill('新口令', 'xihe-2026');
    fill('再次输入口令', 'xihe-2026');
    submit();
    expect(screen.getByTestId('first-account-error').textContent).toBe('请填写姓名。');
    expect(onCreated).not.toHaveBeenCalled();
    expect(await vault.isEmpty()).toBe(true);
  });
});
