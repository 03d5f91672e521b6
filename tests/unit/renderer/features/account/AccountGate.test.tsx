import 'fake-indexeddb/auto';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SystemLockReason } from '@shared/ipc/channels';
import type { Session, Vault } from '../../../../../renderer/data/vault';
import { AccountGate, useAccount, type Workspace } from '../../../../../renderer/features/account';
import type { MigrationProgress } from '../../../../../renderer/features/account';
import { writeIdleMinutes } from '../../../../../renderer/features/account/idleSetting';
import { renderUi } from '../../render';
import { ADMIN, ADMIN_PASSPHRASE, admin, must, testPlatform, useTestVault } from './accountFixture';

const getVault = useTestVault();

afterEach(() => {
  vi.useRealTimers();
  window.location.hash = '';
});

interface TestWorkspace extends Workspace {
  readonly session: Session;
  /** Whether the keys were still there when the workspace closed (pending writes are sealed with them). */
  keysAtClose: boolean | null;
}

function Workbench() {
  const { account, lock, switchUser } = useAccount();
  return (
    <div data-testid="workbench">
      <span data-testid="who">{account.name}</span>
      <button onClick={lock}>lock</button>
      <button onClick={switchUser}>switch</button>
    </div>
  );
}

function setup(vault: Vault, options: { onSystemLock?: (listener: (r: SystemLockReason) => void) => () => void } = {}) {
  const opened: TestWorkspace[] = [];
  const openWorkspace = vi.fn((session: Session) => {
    const workspace: TestWorkspace = {
      session,
      keysAtClose: null,
      close: () => {
        workspace.keysAtClose = session.active;
        return Promise.resolve();
      },
    };
    opened.push(workspace);
    return Promise.resolve(workspace);
  });
  return {
    opened,
    openWorkspace,
    render: async () =>
      renderUi(
        <AccountGate
          vault={vault}
          initialAccounts={await vault.accounts()}
          openWorkspace={openWorkspace}
          platform={testPlatform(options.onSystemLock ? { onSystemLock: options.onSystemLock } : {})}
        >
          {() => <Workbench />}
        </AccountGate>,
      ),
  };
}

async function signInAs(name: string, passphrase: string) {
  const screenEl = await screen.findByTestId('sign-in');
  fireEvent.click(within(screenEl).getByRole('radio', { name }));
  fireEvent.change(within(screenEl).getByLabelText('口令', { selector: 'input' }), { target: { value: passphrase } });
  fireEvent.click(within(screenEl).getByRole('button', { name: '登录' }));
  await waitFor(() => expect(screen.getByTestId('who').textContent).toBe(name));
}

describe('the account gate', () => {
  it('starts with the first-account screen on an empty device; the store opens with that session as its keys', async () => {
    const vault = getVault();
    const { opened, render } = setup(vault);
    await render();
    const first = screen.getByTestId('first-account');
    fireEvent.change(within(first).getByLabelText(/^姓名/, { selector: 'input' }), { target: { value: ADMIN } });
    fireEvent.change(within(first).getByLabelText(/^新口令/, { selector: 'input' }), {
      target: { value: ADMIN_PASSPHRASE },
    });
    fireEvent.change(within(first).getByLabelText(/^再次输入口令/, { selector: 'input' }), {
      target: { value: ADMIN_PASSPHRASE },
    });
    fireEvent.click(within(first).getByRole('button', { name: '创建账户并进入' }));
    await waitFor(() => expect(screen.getByTestId('who').textContent).toBe(ADMIN));
    expect(opened).toHaveLength(1);
    expect(opened[0]?.session.account.role).toBe('admin');
    expect(opened[0]?.session.active).toBe(true);
  });

  it('locks when the OS locks the screen: closes the store while the keys are there, then forgets them', async () => {
    const vault = getVault();
    (await admin(vault)).end();
    let systemLock: ((reason: SystemLockReason) => void) | null = null;
    const { opened, render } = setup(vault, {
      onSystemLock: (listener) => {
        systemLock = listener;
        return () => {
          systemLock = null;
        };
      },
    });
    await render();
    await signInAs(ADMIN, ADMIN_PASSPHRASE);
    act(() => systemLock?.('lock-screen'));
    await screen.findByTestId('sign-in');
    expect(screen.queryByTestId('workbench')).toBeNull();
    expect(opened[0]?.keysAtClose).toBe(true);
    expect(opened[0]?.session.active).toBe(false);
    expect(screen.getByTestId('sign-in-reason').textContent).toContain('电脑锁屏或休眠时已自动锁定');
    expect(screen.getByRole<HTMLInputElement>('radio', { name: ADMIN }).checked).toBe(true);
  });

  it('locks after the idle time without input, and not while someone types', async () => {
    const vault = getVault();
    (await admin(vault)).end();
    writeIdleMinutes(1);
    // Only the timers and the clock: IndexedDB (setImmediate) and WebCrypto run as usual. Testing Library's waiting
    // relies on the timers, so this test waits by moving the fake clock in small steps.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const until = async (shown: () => boolean) => {
      for (let step = 0; step < 500 && !shown(); step++) await act(() => vi.advanceTimersByTimeAsync(10));
      expect(shown()).toBe(true);
    };
    const { opened, render } = setup(vault);
    await render();
    fireEvent.change(screen.getByLabelText('口令', { selector: 'input' }), { target: { value: ADMIN_PASSPHRASE } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    await until(() => screen.queryByTestId('workbench') !== null);

    await act(() => vi.advanceTimersByTimeAsync(50_000));
    fireEvent.keyDown(document.body, { key: 'a' });
    await act(() => vi.advanceTimersByTimeAsync(50_000));
    expect(screen.getByTestId('workbench')).toBeTruthy();
    await act(() => vi.advanceTimersByTimeAsync(11_000));
    await until(() => screen.queryByTestId('sign-in') !== null);
    expect(screen.getByTestId('sign-in-reason').textContent).toContain('已因 1 分钟无操作自动锁定');
    expect(opened[0]?.session.active).toBe(false);
  });

  it('切换用户 offers the other account; another person starts from the dashboard, the same one where they were', async () => {
    const vault = getVault();
    const first = await admin(vault);
    must(await vault.addAccount(first, { name: '李四', passphrase: 'li-si-2026', role: 'editor' }));
    first.end();
    const { opened, render } = setup(vault);
    await render();
    window.location.hash = '#/mediation/case/7';
    await signInAs(ADMIN, ADMIN_PASSPHRASE);

    fireEvent.click(screen.getByRole('button', { name: 'lock' }));
    await screen.findByTestId('sign-in');
    expect(screen.getByRole<HTMLInputElement>('radio', { name: ADMIN }).checked).toBe(true);
    await signInAs(ADMIN, ADMIN_PASSPHRASE);
    expect(window.location.hash).toBe('#/mediation/case/7');

    fireEvent.click(screen.getByRole('button', { name: 'switch' }));
    await screen.findByTestId('sign-in');
    expect(screen.getByRole<HTMLInputElement>('radio', { name: '李四' }).checked).toBe(true);
    expect(screen.getByTestId('sign-in-reason').textContent).toContain('请选择要登录的账户');
    await signInAs('李四', 'li-si-2026');
    expect(window.location.hash).toBe('#/');
    expect(opened.map((w) => w.session.account.name)).toEqual([ADMIN, ADMIN, '李四']);
    expect(opened.slice(0, 2).every((w) => !w.session.active)).toBe(true);
  });

  it('shows the progress of encrypting an old store while it opens', async () => {
    const vault = getVault();
    (await admin(vault)).end();
    let report: (progress: MigrationProgress) => void = () => undefined;
    let finish: () => void = () => undefined;
    const openWorkspace = (_session: Session, onProgress: (progress: MigrationProgress) => void) =>
      new Promise<Workspace>((resolve) => {
        report = onProgress;
        finish = () => resolve({ close: () => Promise.resolve() });
      });
    renderUi(
      <AccountGate
        vault={vault}
        initialAccounts={await vault.accounts()}
        openWorkspace={openWorkspace}
        platform={testPlatform()}
      >
        {() => <Workbench />}
      </AccountGate>,
    );
    fireEvent.change(screen.getByLabelText('口令', { selector: 'input' }), { target: { value: ADMIN_PASSPHRASE } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    await screen.findByTestId('opening');
    act(() => report({ done: 3, total: 10 }));
    expect(screen.getByTestId('migration-progress').textContent).toBe('已完成 3 / 10（30%）');
    act(() => finish());
    await screen.findByTestId('workbench');
  });

  it('a store that cannot open says so, forgets the keys, and leads back to the sign-in', async () => {
    const vault = getVault();
    (await admin(vault)).end();
    let session: Session | null = null;
    const openWorkspace = (s: Session) => {
      session = s;
      return Promise.reject(new Error('QuotaExceededError'));
    };
    renderUi(
      <AccountGate
        vault={vault}
        initialAccounts={await vault.accounts()}
        openWorkspace={openWorkspace}
        platform={testPlatform()}
      >
        {() => <Workbench />}
      </AccountGate>,
    );
    fireEvent.change(screen.getByLabelText('口令', { selector: 'input' }), { target: { value: ADMIN_PASSPHRASE } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    expect((await screen.findByTestId('open-failed')).textContent).toContain('QuotaExceededError');
    expect((session as Session | null)?.active).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: '返回登录' }));
    await screen.findByTestId('sign-in');
  });
});
