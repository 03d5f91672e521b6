import { Alert } from '@mantine/core';
import type { DomainError } from '@shared/domain/result';
import { useT } from '../../i18n';
import { describeServiceError } from './labels';

/** A services command's refusal (or a form's own check), next to the form that caused it. */
export function ServiceError({ error, text }: { error?: DomainError | null; text?: string | null }) {
  const t = useT();
  const words = text ?? (error ? describeServiceError(t, error) : null);
  if (!words) return null;
  return (
    <Alert color="red" role="alert" p="xs" data-testid="service-error">
      {words}
    </Alert>
  );
}
