import { Alert, Button, Group, Loader, Stack, Text, TextInput } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { MIN_PASSPHRASE_LENGTH, type Session, type Vault } from '../../data/vault';
import { useT } from '../../i18n';
import { AccountFrame } from './AccountFrame';
import { VAULT_ERRORS } from './labels';
import { EMPTY_PAIR, PassphrasePair, pairProblem } from './PassphrasePair';

/**
 * First start (no account on this device): the first account, which is the device's admin and makes its device key.
 * Linking the account to the registry person comes later, in 设置 → 我的身份 (there is no registry yet).
 */
export function FirstAccountScreen({
  vault,
  onCreated,
}: {
  vault: Pick<Vault, 'createFirstAccount'>;
  onCreated: (session: Session) => void;
}) {
  const t = useT();
  const [name, setName] = useState('');
  const [pair, setPair] = useState(EMPTY_PAIR);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (busy) return;
    const local = name.trim() === '' ? 'account.error.name-required' : pairProblem(pair);
    if (local !== null) {
      setProblem(t(local, { min: MIN_PASSPHRASE_LENGTH }));
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      const result = await vault.createFirstAccount({ name, passphrase: pair.first });
      if (result.ok) {
        onCreated(result.value);
        return;
      }
      setProblem(t(VAULT_ERRORS[result.error.code], { min: 'min' in result.error ? result.error.min : '' }));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
    setBusy(false);
  };

  return (
    <AccountFrame title={t('account.first.title')} testId="first-account">
      <form onSubmit={(event) => void submit(event)} aria-label={t('account.first.title')} noValidate>
        <Stack gap="md">
          <Text size="sm">{t('account.first.body')}</Text>
          <TextInput
            label={t('account.field.name')}
            description={t('account.field.nameHint')}
            required
            autoFocus
            value={name}
            disabled={busy}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <PassphrasePair value={pair} onChange={setPair} disabled={busy} />
          <Alert color="yellow" title={t('account.noRecovery.title')} role="note">
            {t('account.first.noRecovery')}
          </Alert>
          <Text size="xs" c="dimmed">
            {t('account.first.personLater')}
          </Text>
          {problem !== null && (
            <Alert color="red" role="alert" data-testid="first-account-error">
              {problem}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={busy}>
              {t('account.first.submit')}
            </Button>
            {busy && (
              <Group gap="xs" role="status">
                <Loader size="xs" />
                <Text size="sm">{t('account.first.making')}</Text>
              </Group>
            )}
          </Group>
        </Stack>
      </form>
    </AccountFrame>
  );
}
