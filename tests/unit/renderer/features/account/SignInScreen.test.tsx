import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Session, Vault, VaultResult } from '../../../../../renderer/data/vault';
import { SignInScreen } from '../../../../../renderer/features/account/SignInScreen';
import { renderUi } from '../../render';
import { ADMIN, ADMIN_PASSPHRASE, admin, must, useTestVault } from './accountFixture';

const getVault = useTestVault();

async function twoAccounts() {
  const vault = getVault();
  const first = await admin(vault);
  const colleague = must(await vault.addAccount(first, { name: '李四', passphrase: 'li-si-2026', role: 'editor' }));
  first.end();
  return { vault, adminId: first.account.id, colleague };
}

function passphraseField(): HTMLInputElement {
  return screen.getByLabelText<HTMLInputElement>('口令', { selector: 'input' });
}

describe('the sign-in screen', () => {
  it('lists the accounts of this device as one radio group (arrows pick), with the locked account chosen and the passphrase focused', async () => {
    const { vault, colleague } = await twoAccounts();
    renderUi(
      <SignInScreen
        vault={vault}
        accounts={await vault.accounts()}
        preselect={colleague.id}
        reason="idle"
        idleMinutes={10}
        onSignedIn={() => undefined}
      />,
    );
    const radios = within(screen.getByRole('radiogroup', { name: /账户/ })).getAllByRole<HTMLInputElement>('radio');
    expect(radios.map((radio) => radio.labels?.[0]?.textContent)).toEqual([ADMIN, '李四']);
    // One name: the browser moves between them with the arrow keys, and Tab leaves the group.
    expect(new Set(radios.map((radio) => radio.name)).size).toBe(1);
    expect(screen.getByRole<HTMLInputElement>('radio', { name: '李四' }).checked).toBe(true);
    expect(screen.getByTestId('sign-in-reason').textContent).toContain('已因 10 分钟无操作自动锁定');
    expect(document.activeElement).toBe(passphraseField());
  });

  it('signs in with Enter in the passphrase field and hands over the session', async () => {
    const { vault, adminId } = await twoAccounts();
    const onSignedIn = vi.fn<(session: Session) => void>();
    renderUi(
      <SignInScreen
        vault={vault}
        accounts={await vault.accounts()}
        preselect={adminId}
        reason={null}
        onSignedIn={onSignedIn}
      />,
    );
    fireEvent.change(passphraseField(), { target: { value: ADMIN_PASSPHRASE } });
    fireEvent.submit(passphraseField().form as HTMLFormElement);
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledOnce());
    const session = onSignedIn.mock.calls[0]?.[0];
    expect(session?.account.name).toBe(ADMIN);
    expect(session?.active).toBe(true);
  });

  it('says a wrong passphrase plainly in Chinese and loses nothing: same account, the text ready to retype', async () => {
    const { vault, colleague } = await twoAccounts();
    const onSignedIn = vi.fn();
    renderUi(
      <SignInScreen
        vault={vault}
        accounts={await vault.accounts()}
        preselect={colleague.id}
        reason={null}
        onSignedIn={onSignedIn}
      />,
    );
    fireEvent.change(passphraseField(), { target: { value: 'li-si-2027' } });
    fireEvent.submit(passphraseField().form as HTMLFormElement);
    const alert = await screen.findByTestId('sign-in-error');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('口令不正确，请重新输入');
    expect(onSignedIn).not.toHaveBeenCalled();
    expect(screen.getByRole<HTMLInputElement>('radio', { name: '李四' }).checked).toBe(true);
    expect(passphraseField().value).toBe('li-si-2027');
    await waitFor(() => expect(document.activeElement).toBe(passphraseField()));
    // Typing again clears the message; the right passphrase signs in.
    fireEvent.change(passphraseField(), { target: { value: 'li-si-2026' } });
    expect(screen.queryByTestId('sign-in-error')).toBeNull();
    fireEvent.submit(passphraseField().form as HTMLFormElement);
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledOnce());
  });

  it('shows that it is working while the passphrase is checked (PBKDF2 takes a moment), and accepts no second attempt meanwhile', async () => {
    const { vault, adminId } = await twoAccounts();
    let finish: (result: VaultResult<Session>) => void = () => undefined;
    const signIn = vi.fn(
      () =>
        new Promise<VaultResult<Session>>((resolve) => {
          finish = resolve;
        }),
    );
    const slow = { signIn } as unknown as Vault;
    renderUi(
      <SignInScreen
        vault={slow}
        accounts={await vault.accounts()}
        preselect={adminId}
        reason={null}
        onSignedIn={() => undefined}
      />,
    );
    fireEvent.change(passphraseField(), { target: { value: 'whatever-1' } });
    fireEvent.submit(passphraseField().form as HTMLFormElement);
    expect((await screen.findByTestId('sign-in-busy')).textContent).toContain('正在验证口令');
    expect(passphraseField().disabled).toBe(true);
    fireEvent.submit(passphraseField().form as HTMLFormElement);
    expect(signIn).toHaveBeenCalledOnce();
    finish({ ok: false, error: { code: 'vault.wrong-passphrase' } });
    await screen.findByTestId('sign-in-error');
    expect(screen.queryByTestId('sign-in-busy')).toBeNull();
  });

  it('changing the account starts the passphrase afresh', async () => {
    const { vault, adminId } = await twoAccounts();
    renderUi(
      <SignInScreen
        vault={vault}
        accounts={await vault.accounts()}
        preselect={adminId}
        reason={null}
        onSignedIn={() => undefined}
      />,
    );
    fireEvent.change(passphraseField(), { target: { value: 'half-typed' } });
    fireEvent.click(screen.getByRole('radio', { name: '李四' }));
    expect(passphraseField().value).toBe('');
    expect(screen.getByText('李四 的口令')).toBeTruthy();
  });
});
