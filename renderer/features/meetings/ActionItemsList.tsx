import { Anchor, Badge, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { Link } from 'wouter';
import type * as Y from 'yjs';
import { openActionItems, type OpenActionItem } from '@shared/domain/meetings/commands';
import { chinaDate } from '@shared/domain/dates';
import type { CommunityId } from '@shared/ydoc/docName';
import { useDocValue, useStore } from '../../data/hooks';
import { useT } from '../../i18n';
import { CompleteActionItem } from './ActionItemsSection';
import { meetingsDoc, thisYear, useMeetingCommand } from './data';
import { ErrorLine } from './ErrorLine';

export interface OpenItem extends OpenActionItem {
  readonly year: number;
}

/**
 * Open action items of this year and last year, oldest deadline first. They stay until answered, whatever the
 * meeting's status (落实有回音). "Mine" is matched by the acting person's name: owners are people named on the
 * meeting, not user accounts.
 */
export function useOpenActionItems(community: CommunityId | null): OpenItem[] | undefined {
  const year = thisYear();
  const reader = useCallback((doc: Y.Doc) => openActionItems(doc, chinaDate(new Date())), []);
  const current = useDocValue(community ? meetingsDoc(community, year) : null, reader);
  const previous = useDocValue(community ? meetingsDoc(community, year - 1) : null, reader);
  if (current === undefined || previous === undefined) return undefined;
  return [...previous.map((i) => ({ ...i, year: year - 1 })), ...current.map((i) => ({ ...i, year }))].sort((a, b) =>
    a.actionItem.deadline < b.actionItem.deadline ? -1 : a.actionItem.deadline > b.actionItem.deadline ? 1 : 0,
  );
}

export function isMine(item: OpenActionItem, userName: string): boolean {
  return userName.trim() !== '' && item.actionItem.owner.name.trim() === userName.trim();
}

function Row({ item, community }: { item: OpenItem; community: CommunityId }) {
  const t = useT();
  const commands = useMeetingCommand(community, item.year);
  return (
    <Table.Tr data-testid="my-action-item">
      <Table.Td>{item.actionItem.title}</Table.Td>
      <Table.Td>{item.actionItem.owner.name}</Table.Td>
      <Table.Td>
        {item.actionItem.deadline}
        {item.overdue && (
          <Badge ml="xs" color="red" size="xs">
            {t('mtg.actions.overdue')}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} href={`/m/${item.year}/${item.meetingId}`}>
          {item.meetingTitle}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <CompleteActionItem meetingId={item.meetingId} item={item.actionItem} commands={commands} />
        <ErrorLine error={commands.error} />
      </Table.Td>
    </Table.Tr>
  );
}

/** "My action items": the acting person's open items first; a switch shows everyone's. */
export function ActionItemsList({ community }: { community: CommunityId }) {
  const t = useT();
  const store = useStore();
  const [who, setWho] = useState<'mine' | 'all'>('mine');
  const items = useOpenActionItems(community);
  const userName = store.user.userName;
  const shown = (items ?? []).filter((item) => who === 'all' || isMine(item, userName));
  return (
    <Stack>
      <Group>
        <SegmentedControl
          value={who}
          onChange={(value) => setWho(value)}
          data={[
            { value: 'mine', label: t('mtg.actions.mine', { name: userName || t('mtg.actions.me') }) },
            { value: 'all', label: t('mtg.actions.all') },
          ]}
        />
      </Group>
      {items === undefined ? (
        <Text>{t('settings.loading')}</Text>
      ) : shown.length === 0 ? (
        <Text c="dimmed">{t('mtg.actions.none')}</Text>
      ) : (
        <Table striped aria-label={t('mtg.tab.actions')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('mtg.actions.item')}</Table.Th>
              <Table.Th>{t('mtg.actions.owner')}</Table.Th>
              <Table.Th>{t('mtg.actions.deadline')}</Table.Th>
              <Table.Th>{t('mtg.actions.meeting')}</Table.Th>
              <Table.Th>{t('mtg.actions.answer')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((item) => (
              <Row key={item.actionItem.id} item={item} community={community} />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
