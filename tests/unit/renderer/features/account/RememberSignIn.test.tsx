/**
 * "Remember on this computer" on the screens (docs/accounts.md): offered only where the platform has an OS keychain
 * (desktop), said plainly when the OS cannot seal, offered at a start and never to come back from a lock, forgotten on
 * request and by the header's sign-out choice. The OS keychain is faked behind main's own adapter (osKey.ts).
 */
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { OsKeyStatus } from '@shared/ipc/contract';
import { createOsKey } from '../../../../../electron/main/osKey';
import type { Session, Vault } from '../../../../../renderer/data/vault';
import { AccountGate, AccountMenu, useAccount, type Workspace } from '../../../../../renderer/features/account';
import { SignInScreen } from '../../../../../renderer/features/account/SignInScreen';
import type { OsKeyBridge } from '../../../../../renderer/platform';
import { renderUi } from '../../render';
import { ADMIN, ADMIN_PASSPHRASE, admin, testPlatform, useTestVault } from './accountFixture';

const getVault = useTestVault();

/** The OS keychain of one OS account (Electron safeStorage faked), as the desktop platform exposes it. */
function osKeyOf(osAccount: string, status: OsKeyStatus = { available: true }): OsKeyBridge {
  const tag = Buffer.from(`sealed:${osAccount}:`);
  const osKey = createOsKey({
    isEncryptionAvailable: () => true,
    encryptString: (text) => Buffer.concat([tag, Buffer.from(text, 'utf8').reverse()]),
    decryptString: (data) => {
      if (!data.subarray(0, tag.length).equals(tag)) throw new Error('cannot decrypt');
      return Buffer.from(data.subarray(tag.length)).reverse().toString('utf8');
    },
    getSelectedStorageBackend: () => 'dpapi',
  });
  return {
    status: () => Promise.resolve(status),
    seal: (bytes) => Promise.resolve(osKey.seal(bytes)),
    open: (sealed) => Promise.resolve(osKey.open(sealed)),
  };
}

function passphraseField(): HTMLInputElement {
  return screen.getByLabelText<HTMLInputElement>('口令', { selector: 'input' });
}

async function adminId(vault: Vault): Promise<string> {
  const session = await admin(vault);
  session.end();
  return session.account.id;
}

function renderScreen(vault: Vault, osKey: OsKeyBridge | undefined, reason: 'idle' | null = null) {
  const onSignedIn = vi.fn<(session: Session) => void>();
  return {
    onSignedIn,
    render: async () =>
      renderUi(
        <SignInScreen
          vault={vault}
          osKey={osKey}
          accounts={await vault.accounts()}
          preselect={null}
          reason={reason}
          onSignedIn={onSignedIn}
        />,
      ),
  };
}

describe('remember on this computer: the sign-in screen', () => {
  it('offers nothing in a browser (no OS keychain), even for an account remembered by the desktop', async () => {
    const vault = getVault();
    const session = await admin(vault);
    await vault.remember(session, osKeyOf('li'));
    const { render } = renderScreen(vault, undefined);
    await render();
    expect(screen.queryByTestId('sign-in-remember')).toBeNull();
    expect(screen.queryByTestId('sign-in-remembered')).toBeNull();
  });

  it('says why when the OS cannot seal (Linux without a keyring), and the option cannot be ticked', async () => {
    const vault = getVault();
    await adminId(vault);
    const { render } = renderScreen(vault, osKeyOf('li', { available: false, reason: 'basic-text' }));
    await render();
    await screen.findByText(/本机未配置系统密钥环/);
    expect(screen.getByTestId<HTMLInputElement>('sign-in-remember').disabled).toBe(true);
  });

  it('remembers at a sign-in when ticked, then offers the account without its passphrase at the next start only', async () => {
    const vault = getVault();
    const id = await adminId(vault);
    const os = osKeyOf('li');
    const first = renderScreen(vault, os);
    const { unmount } = await first.render();
    const box = await waitFor(() => {
      const input = screen.getByTestId<HTMLInputElement>('sign-in-remember');
      expect(input.disabled).toBe(false);
      return input;
    });
    expect(screen.getByText(/只在仅您本人使用的 Windows 账户上勾选/)).toBeTruthy();
    fireEvent.click(box);
    fireEvent.change(passphraseField(), { target: { value: ADMIN_PASSPHRASE } });
    fireEvent.submit(passphraseField().form as HTMLFormElement);
    await waitFor(() => expect(first.onSignedIn).toHaveBeenCalledOnce());
    expect(await vault.rememberedAccounts()).toEqual(new Set([id]));
    unmount();

    // Back from the idle lock: the passphrase, nothing else.
    const locked = renderScreen(vault, os, 'idle');
    const lockedView = await locked.render();
    await screen.findByTestId('sign-in-remember');
    expect(screen.queryByTestId('sign-in-remembered')).toBeNull();
    lockedView.unmount();

    // The next start.
    const next = renderScreen(vault, os);
    await next.render();
    const button = await screen.findByTestId('sign-in-remembered');
    expect(button.textContent).toBe(`以 ${ADMIN} 登录（本机已记住，无需口令）`);
    fireEvent.click(button);
    await waitFor(() => expect(next.onSignedIn).toHaveBeenCalledOnce());
    expect(next.onSignedIn.mock.calls[0]?.[0].account.id).toBe(id);
  });

  it('forgets on request; a copy another OS account cannot open is said and forgotten', async () => {
    const vault = getVault();
    const session = await admin(vault);
    await vault.remember(session, osKeyOf('li'));
    const here = renderScreen(vault, osKeyOf('li'));
    const view = await here.render();
    await screen.findByTestId('sign-in-remembered');
    fireEvent.click(screen.getByRole('button', { name: `不再记住 ${ADMIN}` }));
    await screen.findByText(`已不再记住 ${ADMIN}，以后登录需要输入口令。`);
    expect(screen.queryByTestId('sign-in-remembered')).toBeNull();
    expect(await vault.rememberedAccounts()).toEqual(new Set());
    view.unmount();

    await vault.remember(session, osKeyOf('li'));
    const copied = renderScreen(vault, osKeyOf('wang'));
    await copied.render();
    fireEvent.click(await screen.findByTestId('sign-in-remembered'));
    const alert = await screen.findByTestId('sign-in-error');
    expect(alert.textContent).toContain('本机记住的登录在这里已无法使用');
    expect(copied.onSignedIn).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.queryByTestId('sign-in-remembered')).toBeNull());
    expect(document.activeElement).toBe(passphraseField());
  });
});

describe('remember on this computer: the gate and the header menu', () => {
  it('opens a remembered account at start, and 锁定并不再记住本机 forgets it before locking', async () => {
    const vault = getVault();
    const session = await admin(vault);
    const os = osKeyOf('li');
    await vault.remember(session, os);
    session.end();
    function Workbench() {
      const { account } = useAccount();
      return (
        <div data-testid="workbench">
          <span data-testid="who">{account.name}</span>
          <AccountMenu />
        </div>
      );
    }
    const openWorkspace = vi.fn((_session: Session): Promise<Workspace> =>
      Promise.resolve({ close: () => Promise.resolve() }),
    );
    renderUi(
      <AccountGate
        vault={vault}
        initialAccounts={await vault.accounts()}
        openWorkspace={openWorkspace}
        platform={testPlatform({ osKey: os })}
      >
        {() => <Workbench />}
      </AccountGate>,
    );
    fireEvent.click(await screen.findByTestId('sign-in-remembered'));
    await waitFor(() => expect(screen.getByTestId('who').textContent).toBe(ADMIN));
    expect(openWorkspace).toHaveBeenCalledOnce();

    fireEvent.click(screen.getByTestId('account-menu'));
    fireEvent.click(await screen.findByText('锁定并不再记住本机'));
    await screen.findByTestId('sign-in');
    expect(await vault.rememberedAccounts()).toEqual(new Set());
    expect(screen.queryByTestId('sign-in-remembered')).toBeNull();
  });
});
