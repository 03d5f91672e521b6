import { Alert } from '@mantine/core';
import type { DomainError } from '@shared/domain/result';
import { useT } from '../../i18n';
import { describePartyError } from './labels';

/** A party command's refusal (or a form's own check), beside the form that caused it. */
export function PartyError({ error, text }: { error?: DomainError | null; text?: string | null }) {
  const t = useT();
  const words = text ?? (error ? describePartyError(t, error) : null);
  if (!words) return null;
  return (
    <Alert color="red" role="alert" p="xs" data-testid="party-error">
      {words}
    </Alert>
  );
}
