/** What every action form of the case page shares: its props, the form frame, dates for inputs, changed fields. */
import { Alert, Button, Group, Stack } from '@mantine/core';
import type { ReactNode, SyntheticEvent } from 'react';
import type { MediationCase } from '@shared/domain/mediation/types';
import type { DomainError } from '@shared/domain/result';
import { CaseErrorText } from './CaseErrorText';
import type { CaseRun, RegistryInfo } from './useCases';

export interface ActionProps {
  readonly c: MediationCase;
  readonly run: CaseRun;
  readonly busy: boolean;
  readonly error: DomainError | null;
  readonly userName: string;
  readonly info: RegistryInfo | undefined;
  readonly done: () => void;
}

/** `YYYY-MM-DDTHH:mm` in local time for a datetime-local input. */
export function localInput(instant: Date): string {
  return new Date(instant.getTime() - instant.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function localNow(): string {
  return localInput(new Date());
}

/**
 * The fields of `next` that differ from the draft: an edit writes only what the person changed, so a change made to
 * another field on another device meanwhile is not overwritten with the old value shown here.
 */
export function changedFields<T extends object>(draft: object, next: T): Partial<T> {
  const before = new Map(Object.entries(draft));
  const changed: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T & string)[]) {
    if (JSON.stringify(next[key]) !== JSON.stringify(before.get(key))) changed[key] = next[key];
  }
  return changed;
}

export function FormShell({
  label,
  busy,
  error,
  submitLabel,
  onSubmit,
  children,
}: {
  label: string;
  busy: boolean;
  error: DomainError | null;
  submitLabel: string;
  onSubmit: () => Promise<unknown>;
  children: ReactNode;
}) {
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (!busy) void onSubmit();
  };
  return (
    <form onSubmit={submit} aria-label={label}>
      <Stack gap="xs">
        {children}
        {error && (
          <Alert color="red" role="alert" p="xs">
            <CaseErrorText error={error} />
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export async function finish(result: Promise<unknown>, done: () => void) {
  if ((await result) !== null) done();
}
