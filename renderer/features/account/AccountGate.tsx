import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Account, Session, Vault } from '../../data/vault';
import { useT } from '../../i18n';
import type { Platform } from '../../platform';
import { AccountProvider, type AccountValue, type LockReason } from './AccountContext';
import { AccountFrame } from './AccountFrame';
import { FirstAccountScreen } from './FirstAccountScreen';
import { useIdleMinutes } from './idleSetting';
import { OpeningScreen, type MigrationProgress } from './OpeningScreen';
import { SignInScreen } from './SignInScreen';
import { useIdleLock } from './useIdleLock';

/** What opens after sign-in (the store and the sync manager, see renderer/main.tsx) and closes at the lock. */
export interface Workspace {
  /** Writes out what is pending and closes the store. The session's keys are forgotten after it. */
  close(): Promise<void>;
}

export type OpenWorkspace<W extends Workspace> = (
  session: Session,
  onProgress: (progress: MigrationProgress) => void,
) => Promise<W>;

type Phase<W> =
  | { readonly kind: 'first-run' }
  | {
      readonly kind: 'sign-in';
      readonly accounts: readonly Account[];
      readonly preselect: string | null;
      readonly reason: LockReason | null;
    }
  | { readonly kind: 'opening'; readonly account: Account; readonly progress: MigrationProgress | null }
  | {
      readonly kind: 'open';
      readonly session: Session;
      readonly workspace: W;
      readonly generation: number;
      /** The account is remembered on this computer (the menu offers to forget it). */
      readonly remembered: boolean;
    }
  | { readonly kind: 'locking'; readonly account: Account }
  | { readonly kind: 'failed'; readonly error: unknown };

const LAST_ACCOUNT_KEY = 'cgw.last-account';

/** The account last signed in on this device (an id: names nobody), chosen first on the sign-in screen. */
function lastAccount(): string | null {
  try {
    return globalThis.localStorage.getItem(LAST_ACCOUNT_KEY);
  } catch {
    return null;
  }
}

function rememberLastAccount(id: string): void {
  try {
    globalThis.localStorage.setItem(LAST_ACCOUNT_KEY, id);
  } catch {
    // Storage unavailable: the sign-in screen then offers the first account.
  }
}

/** The signed-in person for the screens below (useAccount). */
function SignedIn({
  vault,
  session,
  remembered,
  onLock,
  children,
}: {
  vault: Vault;
  session: Session;
  remembered: boolean;
  onLock: (reason: LockReason) => void;
  children: ReactNode;
}) {
  const value = useMemo<AccountValue>(
    () => ({
      vault,
      session,
      account: session.account,
      lock: () => onLock('manual'),
      switchUser: () => onLock('switch'),
      remembered,
      forgetAndLock: () => {
        // Forgotten first: the lock must not leave the account openable without its passphrase.
        void vault
          .forgetRemembered(session.account.id)
          .catch((error: unknown) => console.error('lock: could not forget the remembered sign-in', error))
          .finally(() => onLock('manual'));
      },
    }),
    [vault, session, remembered, onLock],
  );
  return <AccountProvider value={value}>{children}</AccountProvider>;
}

interface Props<W extends Workspace> {
  vault: Vault;
  /** The device's accounts when the app started (none: the first-account screen). */
  initialAccounts: readonly Account[];
  openWorkspace: OpenWorkspace<W>;
  platform: Pick<Platform, 'onSystemLock' | 'osKey'>;
  children: (workspace: W) => ReactNode;
}

/**
 * Who is at the keyboard (PIPL, shared office desktops): the store opens only after sign-in, with the Session as its
 * KeyRing, and closes at the lock: after the idle time (设置 → 自动锁定), when the OS locks the screen or sleeps
 * (desktop), on 锁定 or 切换用户 in the header. Locking writes out what is pending, closes the store and forgets
 * the keys; the sign-in screen then has the locked account chosen, and signing in again reopens the screen the person
 * was on (the location stays in the address). Another person starts from the dashboard.
 */
export function AccountGate<W extends Workspace>({
  vault,
  initialAccounts,
  openWorkspace,
  platform,
  children,
}: Props<W>) {
  const t = useT();
  const [phase, setPhaseState] = useState<Phase<W>>(() =>
    initialAccounts.length === 0
      ? { kind: 'first-run' }
      : { kind: 'sign-in', accounts: initialAccounts, preselect: lastAccount(), reason: null },
  );
  const phaseRef = useRef(phase);
  const setPhase = useCallback((next: Phase<W>) => {
    phaseRef.current = next;
    setPhaseState(next);
  }, []);
  /** Whom the workstation was last open for in this window. */
  const shownFor = useRef<string | null>(null);
  const generation = useRef(0);
  /** A lock asked for while the store was still opening: applied as soon as it is open. */
  const pendingLock = useRef<LockReason | null>(null);
  const [idleMinutes] = useIdleMinutes();
  /** The lock asked for while opening (read after awaits: a function, so the compiler does not assume it unchanged). */
  const takePendingLock = useCallback((): LockReason | null => {
    const asked = pendingLock.current;
    pendingLock.current = null;
    return asked;
  }, []);

  const lock = useCallback(
    async (reason: LockReason) => {
      const current = phaseRef.current;
      if (current.kind === 'opening') pendingLock.current = reason;
      if (current.kind !== 'open') return;
      const { session, workspace } = current;
      // The data leaves the screen at once; writing out and closing follow behind the locking screen.
      setPhase({ kind: 'locking', account: session.account });
      try {
        await workspace.close();
      } catch (error) {
        console.error('lock: the store did not close cleanly', error);
      } finally {
        session.end();
      }
      let accounts: readonly Account[] = [session.account];
      try {
        accounts = await vault.accounts();
      } catch (error) {
        console.error('lock: could not list the accounts', error);
      }
      const other = accounts.find((account) => account.id !== session.account.id);
      setPhase({
        kind: 'sign-in',
        accounts,
        preselect: reason === 'switch' && other !== undefined ? other.id : session.account.id,
        reason,
      });
    },
    [vault, setPhase],
  );

  const enter = useCallback(
    async (session: Session) => {
      rememberLastAccount(session.account.id);
      // Another person starts from the dashboard, not on the case the previous one had open.
      if (shownFor.current !== null && shownFor.current !== session.account.id) window.location.hash = '#/';
      pendingLock.current = null;
      setPhase({ kind: 'opening', account: session.account, progress: null });
      try {
        const workspace = await openWorkspace(session, (progress) => {
          const current = phaseRef.current;
          if (current.kind === 'opening') setPhase({ ...current, progress });
        });
        shownFor.current = session.account.id;
        generation.current += 1;
        const remembered =
          platform.osKey !== undefined &&
          (await vault.rememberedAccounts().catch(() => new Set<string>())).has(session.account.id);
        setPhase({ kind: 'open', session, workspace, generation: generation.current, remembered });
        const asked = takePendingLock();
        if (asked !== null) await lock(asked);
      } catch (error) {
        session.end();
        setPhase({ kind: 'failed', error });
      }
    },
    [openWorkspace, setPhase, lock, takePendingLock, vault, platform.osKey],
  );

  const backToSignIn = useCallback(async () => {
    const accounts = await vault.accounts();
    setPhase(
      accounts.length === 0
        ? { kind: 'first-run' }
        : { kind: 'sign-in', accounts, preselect: lastAccount(), reason: null },
    );
  }, [vault, setPhase]);

  useEffect(() => platform.onSystemLock?.(() => void lock('system')), [platform, lock]);
  useIdleLock(
    phase.kind === 'open',
    idleMinutes,
    useCallback(() => void lock('idle'), [lock]),
  );

  const onLock = useCallback((reason: LockReason) => void lock(reason), [lock]);

  switch (phase.kind) {
    case 'first-run':
      return <FirstAccountScreen vault={vault} onCreated={(session) => void enter(session)} />;
    case 'sign-in':
      return (
        <SignInScreen
          vault={vault}
          osKey={platform.osKey}
          accounts={phase.accounts}
          preselect={phase.preselect}
          reason={phase.reason}
          idleMinutes={idleMinutes}
          onSignedIn={(session) => void enter(session)}
        />
      );
    case 'opening':
      return <OpeningScreen name={phase.account.name} progress={phase.progress} />;
    case 'locking':
      return (
        <AccountFrame title={t('account.locking.title')} testId="locking">
          <Group gap="sm" role="status">
            <Loader size="sm" />
            <Text>{t('account.locking.body')}</Text>
          </Group>
        </AccountFrame>
      );
    case 'failed':
      return (
        <AccountFrame title={t('startup.failed.title')} testId="open-failed">
          <Stack>
            <Alert color="red" role="alert">
              {t('startup.failed.body')}
              <Text size="sm" mt="xs" ff="monospace">
                {phase.error instanceof Error ? `${phase.error.name}: ${phase.error.message}` : String(phase.error)}
              </Text>
            </Alert>
            <Group>
              <Button onClick={() => void backToSignIn()}>{t('account.failed.back')}</Button>
            </Group>
          </Stack>
        </AccountFrame>
      );
    case 'open':
      return (
        // A new sign-in mounts the workstation afresh: nothing of the previous person's screens is kept.
        <SignedIn
          key={phase.generation}
          vault={vault}
          session={phase.session}
          remembered={phase.remembered}
          onLock={onLock}
        >
          {children(phase.workspace)}
        </SignedIn>
      );
  }
}
