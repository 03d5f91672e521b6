import { Badge, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES } from '@shared/domain/incidents/types';
import { isOpen } from '@shared/domain/incidents/state';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../i18n';
import { FigureCard } from '../../ui/FigureCard';
import {
  useIncidentCalendar,
  incidentHref,
  today as todayOf,
  useIncidentLimits,
  useIncidentList,
  type ListedIncident,
} from './data';
import { dueOf, LIGHT_COLORS, STATUS_COLORS } from './labels';
import { usePlaceNames } from './usePlaceNames';

const LIGHT_RANK = { red: 0, yellow: 1, green: 2 } as const;

/**
 * 事件列表 (the office queue): the events of last year and this year with the light of their running stage and its
 * working days left or over, state, category and grid; filtered by state (or every open one), category and light,
 * searched by title, content or place. Open events come first, the reddest and the most overdue first. Enter opens.
 */
export function IncidentQueue({ community }: { community: CommunityId }) {
  const t = useT();
  const [, navigate] = useLocation();
  const incidents = useIncidentList(community);
  const nameOf = usePlaceNames(community);
  const [status, setStatus] = useState('open');
  const [category, setCategory] = useState('');
  const [light, setLight] = useState('');
  const [query, setQuery] = useState('');
  const today = todayOf();
  const calendar = useIncidentCalendar(community);
  const limits = useIncidentLimits(community);

  const withDue = useMemo(
    () => (incidents ?? []).map((entry) => ({ entry, due: dueOf(t, entry.state, calendar, limits, today) })),
    [incidents, t, calendar, limits, today],
  );

  const figures = useMemo(() => {
    const open = withDue.filter(({ entry }) => isOpen(entry.state));
    return {
      reported: open.filter(({ entry }) => entry.state.status === 'reported').length,
      inHand: open.filter(({ entry }) => entry.state.status === 'accepted' || entry.state.status === 'assigned').length,
      closing: open.filter(({ entry }) => entry.state.status === 'closing').length,
      red: open.filter(({ due }) => due?.light === 'red').length,
    };
  }, [withDue]);

  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    return withDue
      .filter(({ entry }) => {
        if (status === '') return true;
        if (status === 'open') return isOpen(entry.state);
        return entry.state.status === status;
      })
      .filter(({ entry }) => category === '' || entry.state.base.category === category)
      .filter(({ due }) => light === '' || due?.light === light)
      .filter(({ entry }) => {
        if (q === '') return true;
        const b = entry.state.base;
        const place = [b.place.grid, b.place.compound, b.place.building].map((id) => nameOf(id) ?? '');
        return [b.title, b.content, b.place.text, ...place].some((v) => v.toLowerCase().includes(q));
      })
      .sort((a, b) => {
        const oa = isOpen(a.entry.state) ? 0 : 1;
        const ob = isOpen(b.entry.state) ? 0 : 1;
        if (oa !== ob) return oa - ob;
        const la = a.due === null ? 3 : LIGHT_RANK[a.due.light];
        const lb = b.due === null ? 3 : LIGHT_RANK[b.due.light];
        if (la !== lb) return la - lb;
        const da = a.due?.due ?? a.entry.state.base.reportedOn;
        const db = b.due?.due ?? b.entry.state.base.reportedOn;
        if (da !== db) return da < db ? -1 : 1;
        return a.entry.state.base.id < b.entry.state.base.id ? -1 : 1;
      });
  }, [withDue, status, category, light, query, nameOf]);

  const open = (entry: ListedIncident) => navigate(incidentHref(entry.year, entry.state.base.id));

  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <FigureCard
          label={t('incident.queue.reported')}
          value={String(figures.reported)}
          testId="incident-fig-reported"
        />
        <FigureCard label={t('incident.queue.inHand')} value={String(figures.inHand)} testId="incident-fig-inhand" />
        <FigureCard label={t('incident.queue.closing')} value={String(figures.closing)} testId="incident-fig-closing" />
        <FigureCard label={t('incident.queue.red')} value={String(figures.red)} testId="incident-fig-red" />
      </SimpleGrid>
      <Group align="end" wrap="wrap">
        <TextInput
          type="search"
          label={t('incident.field.search')}
          placeholder={t('incident.field.searchHint')}
          value={query}
          onChange={(event) => setQuery(event.currentTarget.value)}
          style={{ flex: '1 1 200px' }}
        />
        <NativeSelect
          label={t('incident.field.state')}
          value={status}
          onChange={(event) => setStatus(event.currentTarget.value)}
          data={[
            { value: 'open', label: t('incident.filter.open') },
            { value: '', label: t('incident.filter.all') },
            ...INCIDENT_STATUSES.map((value) => ({ value, label: t(`incident.status.${value}`) })),
          ]}
        />
        <NativeSelect
          label={t('incident.field.category')}
          value={category}
          onChange={(event) => setCategory(event.currentTarget.value)}
          data={[
            { value: '', label: t('incident.filter.all') },
            ...INCIDENT_CATEGORIES.map((value) => ({ value, label: t(`incident.category.${value}`) })),
          ]}
        />
        <NativeSelect
          label={t('incident.field.light')}
          value={light}
          onChange={(event) => setLight(event.currentTarget.value)}
          data={[
            { value: '', label: t('incident.filter.all') },
            ...(['red', 'yellow', 'green'] as const).map((value) => ({ value, label: t(`incident.light.${value}`) })),
          ]}
        />
      </Group>
      <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid="incident-count">
        {incidents === undefined ? t('incident.loading') : t('incident.queue.count', { count: rows.length })}
      </Text>
      {incidents !== undefined && rows.length === 0 ? (
        <Text size="sm">{t('incident.queue.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table highlightOnHover striped aria-label={t('incident.queue.label')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('incident.field.light')}</Table.Th>
                <Table.Th>{t('incident.field.title')}</Table.Th>
                <Table.Th>{t('incident.field.state')}</Table.Th>
                <Table.Th>{t('incident.field.category')}</Table.Th>
                <Table.Th>{t('incident.field.grid')}</Table.Th>
                <Table.Th>{t('incident.field.assignee')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map(({ entry, due }) => {
                const s = entry.state;
                const b = s.base;
                return (
                  <Table.Tr
                    key={b.id}
                    tabIndex={0}
                    style={{ cursor: 'pointer' }}
                    data-testid="incident-row"
                    data-light={due?.light ?? ''}
                    aria-label={t('incident.queue.open', { title: b.title })}
                    onClick={() => open(entry)}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter') open(entry);
                    }}
                  >
                    <Table.Td>
                      {due !== null ? (
                        <Stack gap={2}>
                          <Badge color={LIGHT_COLORS[due.light]} data-testid="incident-light">
                            {t(`incident.light.${due.light}`)}
                          </Badge>
                          <Text size="xs" c={due.light === 'red' ? 'red' : 'dimmed'} data-testid="incident-due">
                            {due.text}
                          </Text>
                        </Stack>
                      ) : (
                        <Text size="xs" c="dimmed">
                          {t('incident.due.none')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{b.title}</Text>
                      <Text size="xs" c="dimmed">
                        {`${b.reportedOn} · ${t(`incident.urgency.${b.urgency}`)} · ${t(`incident.kind.${b.kind}`)}`}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLORS[s.status]} variant="light" data-testid="incident-status">
                        {t(`incident.status.${s.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t(`incident.category.${b.category}`)}</Text>
                      {b.subCategory !== '' && (
                        <Text size="xs" c="dimmed">
                          {b.subCategory}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{nameOf(b.place.grid) ?? ''}</Table.Td>
                    <Table.Td>{s.assignee?.name ?? ''}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
