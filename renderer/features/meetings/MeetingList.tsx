import { Badge, Button, Group, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import { chinaDate } from '@shared/domain/dates';
import { isLocked, MEETING_STATUSES, MEETING_TYPES } from '@shared/domain/meetings/types';
import { hasStarted, heldOn } from '@shared/domain/meetings/machine';
import type { CommunityId } from '@shared/ydoc/docName';
import { useRecords } from '../../data/hooks';
import { useT } from '../../i18n';
import { useMeetingList, type ListedMeeting } from './data';
import { formatWhen, STATUS_LABELS, TYPE_LABELS } from './labels';
import { naturalCompare } from '@shared/domain/naturalOrder';

export const PERIODS = ['all', 'upcoming', 'this-month', 'past', 'this-year', 'last-year', 'next-year'] as const;
export type Period = (typeof PERIODS)[number];

/**
 * Whether a meeting on `day` (China date) falls in a period seen from `today`. `started`: the meeting has been
 * started (machine.ts `hasStarted`), so it is held (已召开) whatever day it was scheduled for, and no longer upcoming.
 */
export function inPeriod(day: string, period: Period, today: string, started = false): boolean {
  switch (period) {
    case 'all':
      return true;
    case 'upcoming':
      return !started && day >= today;
    case 'past':
      return started || day < today;
    case 'this-month':
      return day.slice(0, 7) === today.slice(0, 7);
    case 'this-year':
      return day.slice(0, 4) === today.slice(0, 4);
    case 'last-year':
      return Number(day.slice(0, 4)) === Number(today.slice(0, 4)) - 1;
    case 'next-year':
      return Number(day.slice(0, 4)) === Number(today.slice(0, 4)) + 1;
  }
}

/** Compound of a meeting's scope, if it has one (owners' meetings, three platforms). */
function compoundOf(entry: ListedMeeting): string | null {
  return entry.meeting.scope.kind === 'compound' ? entry.meeting.scope.compoundId : null;
}

/** The meeting list: filters by type, compound, period and status, and a search over title, place and people. */
export function MeetingList({ community }: { community: CommunityId }) {
  const t = useT();
  const [, navigate] = useLocation();
  const meetings = useMeetingList(community);
  const compounds = useRecords(community, 'compounds');
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 80);
  const [type, setType] = useState('');
  const [compound, setCompound] = useState('');
  const [period, setPeriod] = useState<Period>('all');
  const [status, setStatus] = useState('');
  const today = chinaDate(new Date());

  const rows = useMemo(() => {
    const q = debounced.trim().toLowerCase();
    return (meetings ?? [])
      .filter((entry) => type === '' || entry.meeting.type === type)
      .filter((entry) => compound === '' || compoundOf(entry) === compound)
      .filter((entry) => status === '' || entry.meeting.status === status)
      .filter((entry) => inPeriod(heldOn(entry.meeting), period, today, hasStarted(entry.meeting.status)))
      .filter((entry) => {
        if (q === '') return true;
        const m = entry.meeting;
        const hay = [m.title, m.place, m.convener.name, m.chair.name, m.recorder.name, ...m.agenda.map((i) => i.title)];
        return hay.some((value) => value.toLowerCase().includes(q));
      })
      .sort((a, b) => (a.meeting.startsAt < b.meeting.startsAt ? 1 : -1));
  }, [meetings, debounced, type, compound, status, period, today]);

  const open = (entry: ListedMeeting) => navigate(`/m/${entry.year}/${entry.meeting.id}`);
  const compoundName = new Map((compounds ?? []).map((c) => [c.id as string, c.name]));

  return (
    <Stack>
      <Group align="end" wrap="wrap">
        <TextInput
          type="search"
          label={t('mtg.list.search')}
          placeholder={t('mtg.list.searchHint')}
          value={query}
          onChange={(event) => setQuery(event.currentTarget.value)}
          style={{ flex: '1 1 240px' }}
        />
        <NativeSelect
          label={t('mtg.field.type')}
          value={type}
          onChange={(event) => setType(event.currentTarget.value)}
          data={[
            { value: '', label: t('mtg.filter.all') },
            ...MEETING_TYPES.map((value) => ({ value, label: t(TYPE_LABELS[value]) })),
          ]}
        />
        <NativeSelect
          label={t('mtg.field.compound')}
          value={compound}
          onChange={(event) => setCompound(event.currentTarget.value)}
          data={[
            { value: '', label: t('mtg.filter.all') },
            ...(compounds ?? [])
              .map((c) => ({ value: c.id, label: c.name }))
              .sort((a, b) => naturalCompare(a.label, b.label)),
          ]}
        />
        <NativeSelect
          label={t('mtg.filter.period')}
          value={period}
          onChange={(event) => setPeriod(event.currentTarget.value as Period)}
          data={PERIODS.map((value) => ({ value, label: t(`mtg.period.${value}`) }))}
        />
        <NativeSelect
          label={t('mtg.field.status')}
          value={status}
          onChange={(event) => setStatus(event.currentTarget.value)}
          data={[
            { value: '', label: t('mtg.filter.all') },
            ...MEETING_STATUSES.map((value) => ({ value, label: t(STATUS_LABELS[value]) })),
          ]}
        />
        <Button onClick={() => navigate('/new')}>{t('mtg.create')}</Button>
      </Group>
      <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid="meeting-count">
        {meetings === undefined ? t('settings.loading') : t('mtg.list.count', { count: rows.length })}
      </Text>
      <Table.ScrollContainer minWidth={720}>
        <Table highlightOnHover striped aria-label={t('mtg.list.label')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('mtg.field.title')}</Table.Th>
              <Table.Th>{t('mtg.field.type')}</Table.Th>
              <Table.Th>{t('mtg.field.startsAt')}</Table.Th>
              <Table.Th>{t('mtg.field.place')}</Table.Th>
              <Table.Th>{t('mtg.field.compound')}</Table.Th>
              <Table.Th>{t('mtg.field.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((entry) => {
              const m = entry.meeting;
              const scopeCompound = compoundOf(entry);
              return (
                <Table.Tr
                  key={m.id}
                  tabIndex={0}
                  style={{ cursor: 'pointer' }}
                  data-testid="meeting-row"
                  aria-label={t('mtg.list.open', { title: m.title })}
                  onClick={() => open(entry)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      open(entry);
                    }
                  }}
                >
                  <Table.Td>{m.title}</Table.Td>
                  <Table.Td>{t(TYPE_LABELS[m.type])}</Table.Td>
                  <Table.Td>{formatWhen(m.startsAt)}</Table.Td>
                  <Table.Td>{m.place}</Table.Td>
                  <Table.Td>{scopeCompound ? (compoundName.get(scopeCompound) ?? '') : ''}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={isLocked(m.status) ? 'gray' : 'blue'}>
                      {t(STATUS_LABELS[m.status])}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {meetings !== undefined && rows.length === 0 && <Text c="dimmed">{t('mtg.list.empty')}</Text>}
    </Stack>
  );
}
