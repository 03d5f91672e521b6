import { Alert, Button, Checkbox, Group, Loader, PasswordInput, Radio, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import type { OsKeyStatus } from '@shared/ipc/contract';
import type { Account, Session, Vault, VaultResult } from '../../data/vault';
import { useT } from '../../i18n';
import type { OsKeyBridge } from '../../platform';
import type { LockReason } from './AccountContext';
import { AccountFrame } from './AccountFrame';
import { ROLE_LABELS, VAULT_ERRORS } from './labels';

interface Props {
  vault: Pick<Vault, 'signIn' | 'rememberedAccounts' | 'remember' | 'signInRemembered' | 'forgetRemembered'>;
  /** The OS keychain for "remember on this computer" (desktop only; absent in a browser: nothing is offered). */
  osKey?: OsKeyBridge | undefined;
  accounts: readonly Account[];
  /** The account chosen when the screen opens (the one that was locked, or the last one signed in). */
  preselect: string | null;
  reason: LockReason | null;
  /** The idle time that locked, for the message. */
  idleMinutes?: number;
  onSignedIn: (session: Session) => void;
}

const REASON_TEXT = {
  idle: 'account.signIn.lockedIdle',
  system: 'account.signIn.lockedSystem',
  manual: 'account.signIn.lockedManual',
  switch: 'account.signIn.switch',
} as const;

/**
 * 登录: the accounts of this device, a passphrase, Enter. Arrows (or Tab) pick the account, the passphrase field has
 * the focus. Each attempt costs PBKDF2 600,000 rounds, so the screen says it is working; a wrong passphrase says so
 * and keeps everything (the account chosen, the screen that was open behind the lock).
 */
export function SignInScreen({ vault, osKey, accounts, preselect, reason, idleMinutes, onSignedIn }: Props) {
  const t = useT();
  const initial = accounts.find((account) => account.id === preselect)?.id ?? accounts[0]?.id ?? '';
  const [selected, setSelected] = useState(initial);
  const [passphrase, setPassphrase] = useState('');
  const [wrong, setWrong] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  /** "Remember on this computer": what the OS offers, the accounts remembered, the person's choice. */
  const [osStatus, setOsStatus] = useState<OsKeyStatus | null>(null);
  const [remembered, setRemembered] = useState<ReadonlySet<string>>(new Set());
  const [rememberMe, setRememberMe] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    input.current?.focus();
  }, []);

  useEffect(() => {
    if (osKey === undefined) return;
    let live = true;
    osKey
      .status()
      .then((status) => live && setOsStatus(status))
      .catch(() => live && setOsStatus({ available: false, reason: 'no-keychain' }));
    vault
      .rememberedAccounts()
      .then((ids) => live && setRemembered(ids))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [osKey, vault]);

  // The field is disabled while busy: it takes the focus back once it is enabled again, in an effect after that
  // render (a frame callback could run before the render and focus a disabled field, which does nothing).
  const [focusRequest, setFocusRequest] = useState(0);
  const refocus = () => setFocusRequest((n) => n + 1);
  useEffect(() => {
    if (focusRequest === 0 || busy) return;
    input.current?.focus();
    input.current?.select();
  }, [focusRequest, busy]);

  /** Shows a vault's refusal (or a thrown error) and leaves the screen as it was. */
  const showFailure = (result: VaultResult<unknown> | { error: unknown }) => {
    if ('ok' in result && result.ok) return;
    if ('ok' in result) {
      if (result.error.code === 'vault.wrong-passphrase') setWrong(true);
      else setProblem(t(VAULT_ERRORS[result.error.code], { min: '' }));
      return;
    }
    setProblem(result.error instanceof Error ? result.error.message : String(result.error));
  };

  /** A remembered account, without its passphrase: only at a start, never to come back from a lock. */
  const offerRemembered = osKey !== undefined && reason === null && remembered.has(selected);

  const signInRemembered = async () => {
    if (busy || osKey === undefined) return;
    setBusy(true);
    setWrong(false);
    setProblem(null);
    setNotice(null);
    try {
      const result = await vault.signInRemembered(selected, osKey);
      if (result.ok) {
        onSignedIn(result.value);
        return;
      }
      showFailure(result);
      if (result.error.code !== 'vault.os-keychain-unavailable') setRemembered(await vault.rememberedAccounts());
    } catch (error) {
      showFailure({ error });
    }
    setBusy(false);
    refocus();
  };

  const forget = async () => {
    const name = accounts.find((a) => a.id === selected)?.name ?? '';
    try {
      await vault.forgetRemembered(selected);
      setRemembered(await vault.rememberedAccounts());
      setNotice(t('account.remember.forgotten', { name }));
    } catch (error) {
      showFailure({ error });
    }
    refocus();
  };

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (busy || selected === '' || passphrase === '') return;
    setBusy(true);
    setWrong(false);
    setProblem(null);
    setNotice(null);
    try {
      const result = await vault.signIn(selected, passphrase);
      if (result.ok) {
        if (!(rememberMe && osKey !== undefined)) {
          onSignedIn(result.value);
          return;
        }
        // Remembered before the workstation opens: a failure is said here, and nothing opens half-remembered.
        try {
          const remembering = await vault.remember(result.value, osKey);
          if (remembering.ok) {
            onSignedIn(result.value);
            return;
          }
          result.value.end();
          setProblem(t('account.remember.failed', { message: t(VAULT_ERRORS[remembering.error.code], { min: '' }) }));
        } catch (error) {
          result.value.end();
          setProblem(t('account.remember.failed', { message: error instanceof Error ? error.message : String(error) }));
        }
      } else if (result.error.code === 'vault.wrong-passphrase') setWrong(true);
      else setProblem(t('account.signIn.unknownAccount'));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
    setBusy(false);
    // Typing again replaces what was typed; nothing else changes.
    refocus();
  };

  const account = accounts.find((a) => a.id === selected);
  return (
    <AccountFrame title={t('account.signIn.title')} testId="sign-in">
      <form onSubmit={(event) => void submit(event)} aria-label={t('account.signIn.title')} noValidate>
        <Stack gap="md">
          {reason !== null && (
            <Alert color={reason === 'switch' ? 'blue' : 'gray'} role="status" data-testid="sign-in-reason">
              {t(REASON_TEXT[reason], { minutes: idleMinutes ?? '' })}
            </Alert>
          )}
          <Radio.Group
            label={t('account.signIn.account')}
            value={selected}
            onChange={(value) => {
              setSelected(value);
              setWrong(false);
              setPassphrase('');
            }}
          >
            <Stack gap="xs" mt="xs" data-testid="sign-in-accounts">
              {accounts.map((a) => (
                <Radio key={a.id} value={a.id} label={a.name} description={t(ROLE_LABELS[a.role])} disabled={busy} />
              ))}
            </Stack>
          </Radio.Group>
          <PasswordInput
            ref={input}
            label={t('account.signIn.passphrase')}
            description={account ? t('account.signIn.passphraseFor', { name: account.name }) : undefined}
            value={passphrase}
            onChange={(event) => {
              setPassphrase(event.currentTarget.value);
              setWrong(false);
            }}
            error={wrong}
            disabled={busy}
            autoComplete="current-password"
            data-testid="sign-in-passphrase"
          />
          {osKey !== undefined && (
            <Checkbox
              checked={rememberMe && osStatus?.available === true}
              onChange={(event) => setRememberMe(event.currentTarget.checked)}
              disabled={busy || osStatus?.available !== true}
              label={t('account.remember.checkbox')}
              description={
                osStatus === null || osStatus.available
                  ? t('account.remember.hint')
                  : t(osStatus.reason === 'basic-text' ? 'account.remember.basicText' : 'account.remember.noKeychain')
              }
              data-testid="sign-in-remember"
            />
          )}
          {(wrong || problem !== null) && (
            <Alert color="red" role="alert" data-testid="sign-in-error">
              {wrong ? t('account.signIn.wrong') : problem}
            </Alert>
          )}
          {notice !== null && (
            <Alert color="teal" role="status" data-testid="sign-in-notice">
              {notice}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={busy} disabled={selected === '' || passphrase === ''}>
              {t('account.signIn.submit')}
            </Button>
            {offerRemembered && account && (
              <>
                <Button
                  variant="light"
                  onClick={() => void signInRemembered()}
                  disabled={busy}
                  data-testid="sign-in-remembered"
                >
                  {t('account.remember.signIn', { name: account.name })}
                </Button>
                <Button variant="subtle" size="compact-sm" onClick={() => void forget()} disabled={busy}>
                  {t('account.remember.forget', { name: account.name })}
                </Button>
              </>
            )}
            {busy && (
              <Group gap="xs" role="status" data-testid="sign-in-busy">
                <Loader size="xs" />
                <Text size="sm">{t('account.signIn.checking')}</Text>
              </Group>
            )}
          </Group>
          <Text size="xs" c="dimmed">
            {t('account.noRecovery')}
          </Text>
        </Stack>
      </form>
    </AccountFrame>
  );
}
