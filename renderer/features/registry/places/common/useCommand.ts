import { useCallback, useState } from 'react';
import type { DomainError } from '@shared/domain/result';
import type { CommunityId } from '@shared/ydoc/docName';
import { useStore } from '../../../../data/hooks';
import type { Command } from '../../../../data/store';

/**
 * Runs registry commands for one community and keeps the last refusal, so a form can show it next to its fields.
 * Resolves to the command's value, or `null` when the domain refused (the error is then in `error`).
 */
export function useCommand(community: CommunityId) {
  const store = useStore();
  const [error, setError] = useState<DomainError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <I, T>(command: Command<I, T>, input: NoInfer<I>): Promise<T | null> => {
      setBusy(true);
      try {
        const result = await store.run(community, command, input);
        if (!result.ok) {
          setError(result.error);
          return null;
        }
        setError(null);
        return result.value;
      } finally {
        setBusy(false);
      }
    },
    [store, community],
  );
  const clear = useCallback(() => setError(null), []);
  return { run, error, busy, clear };
}
