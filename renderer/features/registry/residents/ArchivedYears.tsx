import { Button, Group, Loader, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import type * as Y from 'yjs';
import { auditArchiveName, type CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../../i18n';
import { useSyncManagerIfAny } from '../../../sync/react';

/**
 * The registry's audit of closed years, which the sync server moved to `<community>/audit/<year>` (docs/registry-model.md,
 * "Where the audit lives"): read on demand, when the person asks for it, so that the drawer never waits on the network.
 */
export type ArchivedAudit =
  | { readonly status: 'idle' }
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly docs: readonly Y.Doc[] }
  | { readonly status: 'failed'; readonly error: string };

const NONE: readonly Y.Doc[] = [];

export function useArchivedAudit(
  community: CommunityId,
  years: readonly number[],
): { state: ArchivedAudit; docs: readonly Y.Doc[]; load: () => void } {
  const manager = useSyncManagerIfAny();
  const key = years.join(',');
  const of = `${community}|${key}`;
  // Kept with what it was read for: another community or a newly archived year reads as idle, read again when asked.
  const [kept, setKept] = useState<{ readonly of: string; readonly state: ArchivedAudit }>({
    of: '',
    state: { status: 'idle' },
  });
  const state: ArchivedAudit = kept.of === of ? kept.state : { status: 'idle' };
  const load = useCallback(() => {
    if (manager === null) {
      setKept({ of, state: { status: 'failed', error: 'no sync server' } });
      return;
    }
    setKept({ of, state: { status: 'loading' } });
    const names = key === '' ? [] : key.split(',').map((year) => auditArchiveName(community, Number(year)));
    Promise.all(names.map((name) => manager.readArchive(name))).then(
      (docs) => setKept({ of, state: { status: 'loaded', docs } }),
      (error: unknown) =>
        setKept({ of, state: { status: 'failed', error: error instanceof Error ? error.message : String(error) } }),
    );
  }, [manager, community, key, of]);
  return { state, docs: state.status === 'loaded' ? state.docs : NONE, load };
}

function span(years: readonly number[]): string {
  const first = years[0];
  const last = years[years.length - 1];
  return first === undefined || last === undefined ? '' : first === last ? String(first) : `${first}–${last}`;
}

/** The line above a history or an access log saying what of the archived years it holds, with the way to load them. */
export function ArchivedYears({
  years,
  state,
  onLoad,
}: {
  years: readonly number[];
  state: ArchivedAudit;
  onLoad: () => void;
}) {
  const t = useT();
  if (years.length === 0) return null;
  const text = { years: span(years) };
  if (state.status === 'loading') {
    return (
      <Group gap="xs" role="status">
        <Loader size="xs" />
        <Text size="sm" c="dimmed">
          {t('registry.archive.loading', text)}
        </Text>
      </Group>
    );
  }
  if (state.status === 'loaded') {
    return (
      <Text size="sm" c="dimmed">
        {t('registry.archive.loaded', text)}
      </Text>
    );
  }
  return (
    <Group gap="xs">
      <Text size="sm" c={state.status === 'failed' ? 'red' : 'dimmed'}>
        {state.status === 'failed'
          ? t('registry.archive.failed', { error: state.error })
          : t('registry.archive.held', text)}
      </Text>
      <Button size="compact-xs" variant="light" onClick={onLoad}>
        {t('registry.archive.load')}
      </Button>
    </Group>
  );
}
