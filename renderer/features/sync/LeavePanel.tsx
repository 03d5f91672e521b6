import { Alert, Button, Card, Checkbox, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, useSyncExternalStore } from 'react';
import { useCommunities } from '../../data/hooks';
import { useT } from '../../i18n';
import { useSync, useSyncManager } from '../../sync/react';

/**
 * Names of the communities whose data the last leave removed from this computer, for the page that follows. Kept
 * outside the components: leaving changes the role, and the app renders its screens anew for it (App.tsx keys them by
 * role), before the removal has finished.
 */
let removedByLastLeave: readonly string[] = [];
const removedListeners = new Set<() => void>();

function tellRemoved(names: readonly string[]): void {
  removedByLastLeave = names;
  for (const listener of removedListeners) listener();
}

/** The names of the communities the last leave removed from this computer (live). */
export function useRemovedByLastLeave(): readonly string[] {
  return useSyncExternalStore(
    (listener) => {
      removedListeners.add(listener);
      return () => removedListeners.delete(listener);
    },
    () => removedByLastLeave,
  );
}

/**
 * 退出同步, with the offer to remove a community's data from this computer (从本机删除本社区数据: every row and its key,
 * data/removeCommunity.ts). Removing needs the community's name typed, so that a slip of the keyboard cannot wipe
 * it; the server's copy stays either way.
 */
export function LeavePanel({ onCancel }: { onCancel: () => void }) {
  const t = useT();
  const sync = useSync();
  const manager = useSyncManager();
  const rows = useCommunities();
  const [remove, setRemove] = useState<ReadonlySet<string>>(new Set());
  const [typed, setTyped] = useState<Readonly<Record<string, string>>>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const nameOf = (id: string) => rows?.find((row) => row.id === id)?.name ?? id;
  const confirmed = [...remove].every((id) => (typed[id] ?? '').trim() === nameOf(id));

  const toggle = (id: string, checked: boolean) => {
    const next = new Set(remove);
    if (checked) next.add(id);
    else next.delete(id);
    setRemove(next);
  };

  const leave = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const names = [...remove].map(nameOf);
      tellRemoved([]);
      await manager.leave({ remove: [...remove] });
      tellRemoved(names);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder role="group" aria-labelledby="sync-leave-title" data-testid="sync-leave">
      <Stack>
        <Title order={3} size="h4" id="sync-leave-title">
          {t('syncui.leave.title')}
        </Title>
        <Text size="sm">{t('syncui.leave.body')}</Text>
        {sync.communities.map((id, index) => (
          <Stack key={id} gap="xs">
            <Checkbox
              // Keyboard: the panel opens with its first choice focused (Tab then reaches the name and the buttons).
              autoFocus={index === 0}
              label={t('syncui.remove.option', { name: nameOf(id) })}
              checked={remove.has(id)}
              onChange={(event) => toggle(id, event.currentTarget.checked)}
            />
            {remove.has(id) && (
              <>
                <Alert color="red" role="status">
                  {t('syncui.remove.warning', { name: nameOf(id) })}
                  {sync.pending > 0 && ` ${t('syncui.remove.pending', { n: sync.pending })}`}
                </Alert>
                <TextInput
                  label={t('syncui.remove.typeName', { name: nameOf(id) })}
                  value={typed[id] ?? ''}
                  onChange={(event) => setTyped({ ...typed, [id]: event.currentTarget.value })}
                  autoComplete="off"
                />
              </>
            )}
          </Stack>
        ))}
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <Group>
          <Button color="red" onClick={() => void leave()} loading={busy} disabled={!confirmed}>
            {remove.size > 0 ? t('syncui.leaveAndRemove') : t('syncui.leave')}
          </Button>
          <Button variant="default" onClick={onCancel} disabled={busy}>
            {t('syncui.cancel')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
