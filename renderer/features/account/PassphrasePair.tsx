import { PasswordInput, Stack } from '@mantine/core';
import { MIN_PASSPHRASE_LENGTH } from '../../data/vault';
import { useT } from '../../i18n';

export interface PassphrasePairValue {
  readonly first: string;
  readonly second: string;
}

export const EMPTY_PAIR: PassphrasePairValue = { first: '', second: '' };

/** What is wrong with a new passphrase typed twice, as a message key; `null` when it may be used. */
export function pairProblem(
  pair: PassphrasePairValue,
): 'account.error.passphrase-too-short' | 'account.passphrase.mismatch' | null {
  if (pair.first.length < MIN_PASSPHRASE_LENGTH) return 'account.error.passphrase-too-short';
  if (pair.first !== pair.second) return 'account.passphrase.mismatch';
  return null;
}

/**
 * A new passphrase, typed twice (there is no way to recover one, so a typo must not become the passphrase). The
 * mismatch is said under the second field once it is as long as the first.
 */
export function PassphrasePair({
  value,
  onChange,
  disabled,
  labels = { first: 'account.passphrase.new', second: 'account.passphrase.again' },
}: {
  value: PassphrasePairValue;
  onChange: (value: PassphrasePairValue) => void;
  disabled?: boolean;
  labels?: { first: 'account.passphrase.new' | 'account.passphrase.initial'; second: 'account.passphrase.again' };
}) {
  const t = useT();
  const mismatch = value.second.length >= value.first.length && value.second !== '' && value.first !== value.second;
  return (
    <Stack gap="sm">
      <PasswordInput
        label={t(labels.first)}
        description={t('account.passphrase.hint', { min: MIN_PASSPHRASE_LENGTH })}
        required
        autoComplete="new-password"
        value={value.first}
        disabled={disabled}
        onChange={(event) => onChange({ ...value, first: event.currentTarget.value })}
      />
      <PasswordInput
        label={t(labels.second)}
        required
        autoComplete="new-password"
        value={value.second}
        disabled={disabled}
        error={mismatch ? t('account.passphrase.mismatch') : undefined}
        onChange={(event) => onChange({ ...value, second: event.currentTarget.value })}
      />
    </Stack>
  );
}
