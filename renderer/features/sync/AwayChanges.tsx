import { Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
import type * as Y from 'yjs';
import { isRegistryCollection, readRecord } from '@shared/ydoc/registry';
import { isCommunityId } from '@shared/ydoc/docName';
import { useLiveQuery, useRegistryValue, useStore } from '../../data/hooks';
import { awayChangesQuery, clearAwayChanges, type AwayChange } from '../../data/syncState';
import { useT, type MessageKey } from '../../i18n';

const COLLECTIONS: Record<string, MessageKey> = {
  residents: 'syncui.collection.residents',
  households: 'syncui.collection.households',
  buildings: 'syncui.collection.buildings',
};
const ACTIONS: Record<string, MessageKey> = {
  create: 'syncui.action.create',
  update: 'syncui.action.update',
  delete: 'syncui.action.delete',
  move: 'syncui.action.move',
  import: 'syncui.action.import',
};

/** A record's readable name from the registry (a resident's name, a household's address), or its id. */
function recordName(doc: Y.Doc, change: AwayChange): string {
  if (!isRegistryCollection(change.collection)) return change.recordId;
  const record = readRecord(doc, change.collection, change.recordId) as Record<string, unknown> | null;
  const name = record?.name ?? record?.address;
  return typeof name === 'string' && name !== '' ? name : change.recordId;
}

/** "What changed while I was away": records changed by others, found while catching up after a reconnect. */
export function AwayChanges({ community }: { community: string }) {
  const t = useT();
  const store = useStore();
  const changes = useLiveQuery(awayChangesQuery(store, community), [store, community]) ?? [];
  const read = useCallback((doc: Y.Doc) => doc, []);
  const doc = useRegistryValue(isCommunityId(community) ? community : null, read);

  return (
    <Card withBorder data-testid="away-changes">
      <Stack>
        <Group justify="space-between">
          <Title order={3} size="h4">
            {t('syncui.away.title')}
          </Title>
          {changes.length > 0 && (
            <Button size="xs" variant="default" onClick={() => void clearAwayChanges(store, community)}>
              {t('syncui.away.clear')}
            </Button>
          )}
        </Group>
        {changes.length === 0 ? (
          <Text c="dimmed">{t('syncui.away.empty')}</Text>
        ) : (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('syncui.away.record')}</Table.Th>
                <Table.Th>{t('syncui.away.action')}</Table.Th>
                <Table.Th>{t('syncui.away.by')}</Table.Th>
                <Table.Th>{t('syncui.away.at')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {changes.map((change) => (
                <Table.Tr key={`${change.docName}/${change.collection}/${change.recordId}`} data-testid="away-change">
                  <Table.Td>
                    {t(COLLECTIONS[change.collection] ?? 'syncui.collection.other')} ·{' '}
                    {doc ? recordName(doc, change) : change.recordId}
                  </Table.Td>
                  <Table.Td>{t(ACTIONS[change.action] ?? 'syncui.action.other')}</Table.Td>
                  <Table.Td>{change.userName}</Table.Td>
                  <Table.Td>{new Date(change.at).toLocaleString()}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
