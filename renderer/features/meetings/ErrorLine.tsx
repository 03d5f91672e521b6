import { Alert } from '@mantine/core';
import type { DomainError } from '@shared/domain/result';
import { DomainErrorText } from '../../ui/DomainErrorText';

/** A command's refusal, in the current language, next to the control that caused it. */
export function ErrorLine({ error }: { error: DomainError | null }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert" p="xs">
      <DomainErrorText error={error} />
    </Alert>
  );
}
