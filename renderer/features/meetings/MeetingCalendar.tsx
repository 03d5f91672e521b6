import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import { chinaDate, isoDate } from '@shared/domain/dates';
import { heldOn, isUpcoming } from '@shared/domain/meetings/machine';
import type { CommunityId } from '@shared/ydoc/docName';
import { useI18n } from '../../i18n';
import { useMeetingList, type ListedMeeting } from './data';
import { formatWhen } from './labels';

/** Weeks of a month as rows of seven days (Monday first, as Chinese calendars print), `null` outside the month. */
export function monthGrid(year: number, month: number): (string | null)[][] {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const cells: (string | null)[] = [
    ...Array.from({ length: lead }, () => null),
    ...Array.from({ length: days }, (_, i) => isoDate(year, month, i + 1)),
  ];
  while (cells.length % 7 !== 0) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * A month of meetings (Mantine's core has no calendar and @mantine/dates is not needed for one grid). Each meeting
 * is a link, so Tab walks through them; the month buttons change the month.
 */
export function MeetingCalendar({ community }: { community: CommunityId }) {
  const { t } = useI18n();
  const today = chinaDate(new Date());
  const [month, setMonth] = useState(() => ({ year: Number(today.slice(0, 4)), month: Number(today.slice(5, 7)) }));
  const meetings = useMeetingList(community);
  const byDay = useMemo(() => {
    const map = new Map<string, ListedMeeting[]>();
    for (const entry of meetings ?? []) {
      // A meeting started early sits on the day it was held, not the day it was scheduled for.
      const day = heldOn(entry.meeting);
      map.set(day, [...(map.get(day) ?? []), entry]);
    }
    return map;
  }, [meetings]);
  const upcoming = (meetings ?? [])
    .filter((entry) => isUpcoming(entry.meeting, today))
    .sort((a, b) => (a.meeting.startsAt < b.meeting.startsAt ? -1 : 1))
    .slice(0, 10);
  const shift = (delta: number) =>
    setMonth((m) => {
      const index = m.year * 12 + (m.month - 1) + delta;
      return { year: Math.floor(index / 12), month: (index % 12) + 1 };
    });

  return (
    <Stack>
      <Group>
        <Button variant="default" onClick={() => shift(-1)} aria-label={t('mtg.calendar.previous')}>
          ‹
        </Button>
        <Title order={3} size="h4" aria-live="polite" data-testid="calendar-month">
          {t('mtg.calendar.month', { year: month.year, month: month.month })}
        </Title>
        <Button variant="default" onClick={() => shift(1)} aria-label={t('mtg.calendar.next')}>
          ›
        </Button>
      </Group>
      <Table withTableBorder withColumnBorders layout="fixed" aria-label={t('mtg.tab.calendar')}>
        <Table.Thead>
          <Table.Tr>
            {WEEKDAYS.map((day) => (
              <Table.Th key={day}>{t(`mtg.weekday.${day}`)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {monthGrid(month.year, month.month).map((week, w) => (
            <Table.Tr key={w}>
              {week.map((day, d) => (
                <Table.Td
                  key={day ?? `empty-${d}`}
                  style={{ verticalAlign: 'top', height: 84 }}
                  bg={day === today ? 'var(--mantine-color-blue-light)' : undefined}
                  data-day={day ?? undefined}
                >
                  {day !== null && (
                    <Stack gap={2}>
                      <Text size="xs" c="dimmed">
                        {Number(day.slice(8))}
                      </Text>
                      {(byDay.get(day) ?? []).map((entry) => (
                        <Anchor
                          key={entry.meeting.id}
                          component={Link}
                          href={`/m/${entry.year}/${entry.meeting.id}`}
                          size="xs"
                          lineClamp={2}
                        >
                          {`${formatWhen(entry.meeting.startedAt ?? entry.meeting.startsAt).slice(11)} ${entry.meeting.title}`}
                        </Anchor>
                      ))}
                    </Stack>
                  )}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={3} size="h5">
        {t('mtg.calendar.upcoming')}
      </Title>
      {upcoming.length === 0 ? (
        <Text c="dimmed">{t('mtg.calendar.none')}</Text>
      ) : (
        <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0 }}>
          {upcoming.map((entry) => (
            <li key={entry.meeting.id}>
              <Anchor component={Link} href={`/m/${entry.year}/${entry.meeting.id}`}>
                {`${formatWhen(entry.meeting.startsAt)} ${entry.meeting.title} · ${entry.meeting.place}`}
              </Anchor>
            </li>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
