import { Alert, Button, Group, Loader, PasswordInput, Radio, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import type { Account, Session, Vault } from '../../data/vault';
import { useT } from '../../i18n';
import type { LockReason } from './AccountContext';
import { AccountFrame } from './AccountFrame';
import { ROLE_LABELS } from './labels';

interface Props {
  vault: Pick<Vault, 'signIn'>;
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
export function SignInScreen({ vault, accounts, preselect, reason, idleMinutes, onSignedIn }: Props) {
  const t = useT();
  const initial = accounts.find((account) => account.id === preselect)?.id ?? accounts[0]?.id ?? '';
  const [selected, setSelected] = useState(initial);
  const [passphrase, setPassphrase] = useState('');
  const [wrong, setWrong] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
  }, []);

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (busy || selected === '' || passphrase === '') return;
    setBusy(true);
    setWrong(false);
    setProblem(null);
    try {
      const result = await vault.signIn(selected, passphrase);
      if (result.ok) {
        onSignedIn(result.value);
        return;
      }
      if (result.error.code === 'vault.wrong-passphrase') setWrong(true);
      else setProblem(t('account.signIn.unknownAccount'));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
    setBusy(false);
    // Typing again replaces what was typed; nothing else changes.
    requestAnimationFrame(() => {
      input.current?.focus();
      input.current?.select();
    });
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
          {(wrong || problem !== null) && (
            <Alert color="red" role="alert" data-testid="sign-in-error">
              {wrong ? t('account.signIn.wrong') : problem}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={busy} disabled={selected === '' || passphrase === ''}>
              {t('account.signIn.submit')}
            </Button>
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
