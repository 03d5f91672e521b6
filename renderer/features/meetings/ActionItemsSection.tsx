import { Badge, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { addActionItem, completeActionItem } from '@shared/domain/meetings/commands';
import { chinaDate } from '@shared/domain/dates';
import type { ActionItem, MeetingId, Person } from '@shared/domain/meetings/types';
import { useStore } from '../../data/hooks';
import { useT } from '../../i18n';
import { useMeetingCommand, type MeetingCommands } from './data';
import { ErrorLine } from './ErrorLine';
import type { MeetingContext } from './meetingContext';
import { cleanPerson, PersonField, useMyMeetingPerson } from './PersonField';
import { DateField } from '../../ui/DateField';

/** 落实有回音: the answer field and its button, for one open action item. */
export function CompleteActionItem({
  meetingId,
  item,
  commands,
}: {
  meetingId: MeetingId;
  item: ActionItem;
  commands: MeetingCommands;
}) {
  const t = useT();
  const [answer, setAnswer] = useState('');
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    await commands.run(completeActionItem, { meetingId, actionItemId: item.id, answer });
  };
  return (
    <form onSubmit={(event) => void submit(event)}>
      <Group gap={4} wrap="nowrap" align="end">
        <TextInput
          size="xs"
          required
          aria-label={t('mtg.action.answerOf', { title: item.title })}
          placeholder={t('mtg.action.answer')}
          value={answer}
          onChange={(event) => setAnswer(event.currentTarget.value)}
        />
        <Button size="compact-sm" type="submit">
          {t('mtg.action.complete')}
        </Button>
      </Group>
    </form>
  );
}

/** Action items of one meeting: owner, deadline, done with the answer given; added from the meeting on. */
export function ActionItemsSection({ ctx }: { ctx: MeetingContext }) {
  const t = useT();
  const store = useStore();
  const commands = useMeetingCommand(ctx.community, ctx.year);
  const { meeting } = ctx;
  const today = chinaDate(new Date());
  const [title, setTitle] = useState('');
  // Until the owner is edited, it is the person at this device: linked in the registry if they are, else by name.
  const myself = useMyMeetingPerson(ctx.community);
  const [edited, setOwner] = useState<Person | null>(null);
  const owner = edited ?? myself ?? { name: store.user.userName, ref: null };
  const [deadline, setDeadline] = useState('');
  const [agendaItemId, setAgendaItemId] = useState('');
  if (!ctx.may('add-action-item') && meeting.actionItems.length === 0) return null;
  // Suggestions: the people of the meeting (with their registry references); the registry and any typed name too.
  const people: Person[] = [meeting.convener, meeting.chair, meeting.recorder]
    .concat(meeting.attendees.map((a) => ({ name: a.name, ref: a.ref })))
    .filter((p) => p.name.trim() !== '');
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const id = await commands.run(addActionItem, {
      meetingId: meeting.id,
      agendaItemId: meeting.agenda.find((i) => i.id === agendaItemId)?.id ?? null,
      title,
      owner: cleanPerson(owner),
      deadline,
    });
    if (id !== null) setTitle('');
  };
  return (
    <Stack component="section" aria-labelledby="mtg-actions">
      <Title order={3} id="mtg-actions">
        {t('mtg.actions.title')}
      </Title>
      {meeting.actionItems.length > 0 && (
        <Table striped aria-label={t('mtg.actions.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('mtg.actions.item')}</Table.Th>
              <Table.Th>{t('mtg.actions.owner')}</Table.Th>
              <Table.Th>{t('mtg.actions.deadline')}</Table.Th>
              <Table.Th>{t('mtg.actions.state')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {meeting.actionItems.map((item) => (
              <Table.Tr key={item.id} data-testid="action-item">
                <Table.Td>{item.title}</Table.Td>
                <Table.Td>{item.owner.name}</Table.Td>
                <Table.Td>
                  {item.deadline}
                  {!item.done && item.deadline < today && (
                    <Badge ml="xs" color="red" size="xs">
                      {t('mtg.actions.overdue')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {item.done ? (
                    <Text size="sm">{t('mtg.actions.doneWith', { answer: item.answer })}</Text>
                  ) : ctx.may('complete-action-item') ? (
                    <CompleteActionItem meetingId={meeting.id} item={item} commands={commands} />
                  ) : (
                    t('mtg.actions.open')
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {ctx.may('add-action-item') && (
        <form onSubmit={(event) => void submit(event)} aria-label={t('mtg.actions.add')}>
          <Group align="end" wrap="wrap">
            <TextInput
              required
              label={t('mtg.actions.item')}
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
            />
            <PersonField
              required
              community={ctx.community}
              label={t('mtg.actions.owner')}
              value={owner}
              onChange={setOwner}
              suggestions={people}
            />
            <DateField required label={t('mtg.actions.deadline')} value={deadline} onChange={setDeadline} />
            <NativeSelect
              label={t('mtg.actions.agendaItem')}
              value={agendaItemId}
              onChange={(event) => setAgendaItemId(event.currentTarget.value)}
              data={[
                { value: '', label: t('mtg.none') },
                ...meeting.agenda.map((i) => ({ value: i.id, label: i.title })),
              ]}
            />
            <Button type="submit">{t('mtg.actions.add')}</Button>
          </Group>
        </form>
      )}
      <ErrorLine error={commands.error} />
    </Stack>
  );
}
