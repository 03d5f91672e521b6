import { Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { recordVolunteerHours } from '@shared/domain/party/commands';
import { volunteerTotals } from '@shared/domain/party/rules';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../i18n';
import { thisYear, today, useActivities, usePartyCommand, usePartyEdit, useResidentNames, yearOf } from './data';
import { hoursText } from './labels';
import { PartyError } from './PartyError';
import { ResidentPick, type Picked } from './ResidentPick';

/** 小红帽志愿服务: a volunteer's hours of a day, and each volunteer's total of the year. */
export function VolunteersPage({ community }: { community: CommunityId }) {
  const t = useT();
  const edit = usePartyEdit(community);
  const year = thisYear();
  const activities = useActivities(community, year);
  const names = useResidentNames(community, activities?.volunteerHours.map((v) => v.volunteerId) ?? []);
  const { activity, error, busy } = usePartyCommand(community);
  const [volunteer, setVolunteer] = useState<Picked[]>([]);
  const [on, setOn] = useState(today());
  const [hours, setHours] = useState('');
  const [what, setWhat] = useState('');
  if (activities === undefined) return <Text c="dimmed">{t('party.loading')}</Text>;
  const totals = volunteerTotals(activities.volunteerHours, year);
  const submit = async () => {
    const id = await activity(yearOf(on), recordVolunteerHours, {
      volunteerId: volunteer[0]?.id ?? '',
      on,
      hours: hours.trim() === '' ? Number.NaN : Number(hours),
      activity: what,
    });
    if (id !== null) {
      setHours('');
      setWhat('');
    }
  };
  return (
    <Stack>
      {edit && (
        <form
          aria-label={t('party.volunteer.form')}
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Stack gap="xs">
            <Title order={4}>{t('party.volunteer.form')}</Title>
            <ResidentPick
              community={community}
              label={t('party.field.volunteer')}
              picked={volunteer}
              onChange={setVolunteer}
              single
              required
            />
            <Group grow align="end">
              <TextInput
                type="date"
                label={t('party.field.on')}
                value={on}
                max={today()}
                onChange={(e) => setOn(e.currentTarget.value)}
              />
              <TextInput
                label={t('party.field.hours')}
                description={t('party.service.hoursHint')}
                value={hours}
                inputMode="decimal"
                withAsterisk
                onChange={(e) => setHours(e.currentTarget.value)}
              />
              <TextInput
                label={t('party.field.activity')}
                value={what}
                maxLength={200}
                withAsterisk
                onChange={(e) => setWhat(e.currentTarget.value)}
              />
            </Group>
            <PartyError error={error} />
            <Group>
              <Button type="submit" loading={busy}>
                {t('party.volunteer.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      <Title order={4}>{t('party.volunteer.totals', { year })}</Title>
      {totals.length === 0 ? (
        <Text c="dimmed">{t('party.volunteer.none')}</Text>
      ) : (
        <Table striped withTableBorder data-testid="party-volunteer-totals">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('party.field.volunteer')}</Table.Th>
              <Table.Th>{t('party.volunteer.times')}</Table.Th>
              <Table.Th>{t('party.volunteer.hours')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {totals.map((row) => (
              <Table.Tr key={row.volunteerId} data-testid="party-volunteer-row">
                <Table.Td>{names.get(row.volunteerId) ?? row.volunteerId}</Table.Td>
                <Table.Td>{row.times}</Table.Td>
                <Table.Td>{hoursText(row.hours)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
