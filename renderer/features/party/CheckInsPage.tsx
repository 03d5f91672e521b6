import { Anchor, Badge, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import { recordCheckIn } from '@shared/domain/party/commands';
import { checkInsOf, checkInState } from '@shared/domain/party/rules';
import { CHANNELS, type CheckInChannel } from '@shared/domain/party/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../i18n';
import { thisYear, today, useActivities, usePartyCommand, usePartyEdit, usePartyMembers, yearOf } from './data';
import { PartyError } from './PartyError';

/**
 * 党员报到: the party members of the registry with their first and last check-in and the half-yearly re-check-in due,
 * and the form that records a check-in (the command decides whether it is the first or a re-check-in).
 */
export function CheckInsPage({ community }: { community: CommunityId }) {
  const t = useT();
  const edit = usePartyEdit(community);
  const members = usePartyMembers(community);
  const year = thisYear();
  const current = useActivities(community, year);
  const last = useActivities(community, year - 1);
  const { activity, error, busy } = usePartyCommand(community);
  const [memberId, setMemberId] = useState('');
  const [on, setOn] = useState(today());
  const [channel, setChannel] = useState<CheckInChannel>('offline');
  const [workplace, setWorkplace] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const checkIns = useMemo(() => [...(last?.checkIns ?? []), ...(current?.checkIns ?? [])], [last, current]);

  if (members === undefined || current === undefined || last === undefined) {
    return <Text c="dimmed">{t('party.loading')}</Text>;
  }
  const day = today();
  const submit = async () => {
    setDone(null);
    const id = await activity(yearOf(on), recordCheckIn, {
      subject: { kind: 'member', id: memberId },
      on,
      channel,
      workplace,
    });
    if (id !== null) {
      setDone(members.find((m) => m.id === memberId)?.name ?? '');
      setWorkplace('');
    }
  };
  return (
    <Stack>
      {edit && (
        <form
          aria-label={t('party.checkIn.form')}
          data-testid="party-checkin-form"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Stack gap="xs">
            <Title order={4}>{t('party.checkIn.form')}</Title>
            <Group grow align="end">
              <NativeSelect
                label={t('party.field.member')}
                value={memberId}
                onChange={(event) => setMemberId(event.currentTarget.value)}
                data={[
                  { value: '', label: t('party.choose') },
                  ...members.map((m) => ({
                    value: m.id,
                    label: t('party.withNote', { text: m.name, note: m.address }),
                  })),
                ]}
                withAsterisk
              />
              <TextInput
                type="date"
                label={t('party.field.on')}
                value={on}
                max={day}
                onChange={(event) => setOn(event.currentTarget.value)}
              />
              <NativeSelect
                label={t('party.field.channel')}
                value={channel}
                onChange={(event) => setChannel(event.currentTarget.value as CheckInChannel)}
                data={CHANNELS.map((value) => ({ value, label: t(`party.channel.${value}`) }))}
              />
              <TextInput
                label={t('party.field.workplace')}
                value={workplace}
                maxLength={100}
                onChange={(event) => setWorkplace(event.currentTarget.value)}
              />
            </Group>
            <PartyError error={error} />
            {done !== null && (
              <Text size="sm" c="green" role="status">
                {t('party.checkIn.done', { name: done })}
              </Text>
            )}
            <Group>
              <Button type="submit" loading={busy} disabled={memberId === ''}>
                {t('party.checkIn.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      <Title order={4}>{t('party.checkIn.list', { count: members.length })}</Title>
      {members.length === 0 ? (
        <Text c="dimmed">{t('party.checkIn.noMembers')}</Text>
      ) : (
        <Table striped withTableBorder data-testid="party-members">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('party.field.member')}</Table.Th>
              <Table.Th>{t('party.col.address')}</Table.Th>
              <Table.Th>{t('party.col.first')}</Table.Th>
              <Table.Th>{t('party.col.last')}</Table.Th>
              <Table.Th>{t('party.col.recheck')}</Table.Th>
              <Table.Th>{t('party.field.workplace')}</Table.Th>
              <Table.Th>{t('party.col.feedback')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.map((m) => {
              const mine = checkInsOf(checkIns, { kind: 'member', id: m.id });
              const state = checkInState(m.partyCheckIn, mine, day);
              const workplace = [...mine].reverse().find((c) => c.workplace !== '')?.workplace ?? '';
              return (
                <Table.Tr key={m.id} data-testid="party-member-row">
                  <Table.Td>{m.name}</Table.Td>
                  <Table.Td>{m.address}</Table.Td>
                  <Table.Td>{state.first ?? '—'}</Table.Td>
                  <Table.Td>{state.last ?? '—'}</Table.Td>
                  <Table.Td>
                    {state.status === 'never' ? (
                      <Badge color="gray" variant="light">
                        {t('party.status.never')}
                      </Badge>
                    ) : (
                      <Badge color={state.status === 'due' ? 'red' : 'green'} variant="light">
                        {t(state.status === 'due' ? 'party.status.due' : 'party.status.ok', { date: state.due ?? '' })}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{workplace}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} href={`/feedback/${encodeURIComponent(m.id)}`}>
                      {t('party.feedback.open')}
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
