import { Anchor, Badge, Group, ScrollArea, SegmentedControl, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import { APPLICATION_STATUSES, type ApplicationStatus } from '@shared/domain/services/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../i18n';
import { applicationHref, useServicesCalendar, today as todayOf, useApplications } from './data';
import { gradeText, promiseText, STATUS_COLORS } from './labels';

type Filter = 'all' | ApplicationStatus;

/**
 * 办件列表: this year's and last year's applications by state, open ones first by their promised day, each with the
 * working days left (or over) on its promise, counted on the working-day calendar.
 */
export function ApplicationList({ community }: { community: CommunityId }) {
  const t = useT();
  const list = useApplications(community);
  const [filter, setFilter] = useState<Filter>('all');
  const calendar = useServicesCalendar(community);
  const today = todayOf();
  const rows = useMemo(() => {
    if (list === undefined) return undefined;
    const chosen = list.filter((a) => filter === 'all' || a.state.status === filter);
    return chosen
      .map((a) => ({ ...a, promise: promiseText(t, a.state, calendar, today) }))
      .sort((a, b) => {
        const openA = a.state.status === 'accepted' ? 0 : 1;
        const openB = b.state.status === 'accepted' ? 0 : 1;
        if (openA !== openB) return openA - openB;
        if (openA === 0 && a.promise.due !== b.promise.due) return a.promise.due < b.promise.due ? -1 : 1;
        return a.state.base.acceptedOn > b.state.base.acceptedOn ? -1 : 1;
      });
  }, [list, filter, t, calendar, today]);
  const counts = useMemo(() => {
    const out = new Map<Filter, number>([['all', list?.length ?? 0]]);
    for (const a of list ?? []) out.set(a.state.status, (out.get(a.state.status) ?? 0) + 1);
    return out;
  }, [list]);
  return (
    <Stack>
      <Stack gap={4}>
        <Text size="sm" fw={500} id="service-filter">
          {t('service.list.filter')}
        </Text>
        <SegmentedControl
          aria-labelledby="service-filter"
          value={filter}
          onChange={(value) => setFilter(value)}
          data={(['all', ...APPLICATION_STATUSES] as const).map((s) => ({
            value: s,
            label: `${s === 'all' ? t('service.list.all') : t(`service.status.${s}`)} (${counts.get(s) ?? 0})`,
          }))}
        />
      </Stack>
      {rows === undefined ? (
        <Text c="dimmed">{t('service.loading')}</Text>
      ) : rows.length === 0 ? (
        <Text c="dimmed">{t('service.list.empty')}</Text>
      ) : (
        <ScrollArea>
          <Table striped withTableBorder fz="sm" data-testid="service-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('service.field.item')}</Table.Th>
                <Table.Th>{t('service.field.applicant')}</Table.Th>
                <Table.Th>{t('service.field.channel')}</Table.Th>
                <Table.Th>{t('service.field.acceptedOn')}</Table.Th>
                <Table.Th>{t('service.field.status')}</Table.Th>
                <Table.Th>{t('service.field.due')}</Table.Th>
                <Table.Th>{t('service.field.left')}</Table.Th>
                <Table.Th>{t('service.field.rating')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map(({ year, state, promise }) => (
                <Table.Tr key={state.base.id} data-testid="service-row">
                  <Table.Td>
                    <Anchor component={Link} href={applicationHref(year, state.base.id)}>
                      {state.base.itemName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{state.base.applicant.name}</Table.Td>
                  <Table.Td>{t(`service.channel.${state.base.channel}`)}</Table.Td>
                  <Table.Td>{state.base.acceptedOn}</Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLORS[state.status]} variant="light">
                      {t(`service.status.${state.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {promise.due}
                      {promise.uncovered && (
                        <Tooltip label={t('service.uncoveredHint')}>
                          <Badge size="xs" color="gray" variant="outline">
                            {t('service.uncovered')}
                          </Badge>
                        </Tooltip>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td c={promise.over ? 'red' : undefined} data-testid="service-left">
                    {promise.text}
                  </Table.Td>
                  <Table.Td>{state.ratings[0] === undefined ? '' : gradeText(t, state.ratings[0].rating)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Stack>
  );
}
