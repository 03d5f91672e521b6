import { Alert, Anchor, Badge, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { Link } from 'wouter';
import type * as Y from 'yjs';
import { openActionItems, type OpenActionItem } from '@shared/domain/meetings/commands';
import { chinaDate } from '@shared/domain/dates';
import { isOwnedBy } from '@shared/domain/meetings/types';
import type { HeadRef } from '@shared/domain/registry/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useMyPerson, useStore } from '../../data/hooks';
import { useT } from '../../i18n';
import { CompleteActionItem } from './ActionItemsSection';
import { useMeetingCommand, useYearsValue } from './data';
import { ErrorLine } from './ErrorLine';

export interface OpenItem extends OpenActionItem {
  readonly year: number;
}

/**
 * Open action items of last year, this year and next year, oldest deadline first. They stay until answered,
 * whatever the meeting's status (落实有回音).
 */
export function useOpenActionItems(community: CommunityId | null): OpenItem[] | undefined {
  const reader = useCallback((doc: Y.Doc) => openActionItems(doc, chinaDate(new Date())), []);
  return useYearsValue(community, reader)
    ?.map(({ year, value }) => ({ ...value, year }))
    .sort((a, b) =>
      a.actionItem.deadline < b.actionItem.deadline ? -1 : a.actionItem.deadline > b.actionItem.deadline ? 1 : 0,
    );
}

/** Who "me" is for the owner's list: the registry person linked in 设置 → 我的身份, else the user's name. */
export interface Me {
  readonly ref: HeadRef | null;
  readonly name: string;
}

/**
 * The acting person for "my action items": `undefined` while the link loads. Linked, items match by the owner's
 * registry reference; not linked, by the name typed as owner (the hint asks the person to link themselves).
 */
export function useMe(community: CommunityId | null): Me | undefined {
  const store = useStore();
  const ref = useMyPerson(community);
  return ref === undefined ? undefined : { ref, name: store.user.userName };
}

export function isMine(item: OpenActionItem, me: Me | undefined): boolean {
  return me !== undefined && isOwnedBy(item.actionItem.owner, me);
}

/** Shown while the person is matched by name only: names repeat and get retyped, a registry link does not. */
export function LinkHint({ me }: { me: Me | undefined }) {
  const t = useT();
  if (me === undefined || me.ref !== null) return null;
  return (
    <Alert variant="light" color="blue" p="xs" data-testid="link-person-hint">
      {t('mtg.actions.linkHint', { name: me.name || t('mtg.actions.me') })}
    </Alert>
  );
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
  const me = useMe(community);
  const userName = store.user.userName;
  const shown = (items ?? []).filter((item) => who === 'all' || isMine(item, me));
  return (
    <Stack>
      <LinkHint me={me} />
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
      {items === undefined || me === undefined ? (
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
