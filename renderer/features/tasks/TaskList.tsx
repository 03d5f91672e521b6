import { Badge, Group, NativeSelect, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import { workdaysBetween } from '@shared/domain/calendar';
import { clockOf } from '@shared/domain/tasks/state';
import { CARD_LEVELS, TASK_STATUSES } from '@shared/domain/tasks/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../i18n';
import { useTaskCalendar, taskHref, today as todayOf, useMe, useTaskList, type ListedTask } from './data';
import { CARD_COLORS, dueText, dueWord, openCardLevel, STATUS_COLORS } from './labels';
import { mineReason } from './mine';

export const DUE_FILTERS = ['', 'overdue', 'soon', 'warning'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

const UNCLAIMED = '-';

function ownerKey(entry: ListedTask): string {
  const owner = entry.state.owner;
  return owner === null ? UNCLAIMED : (owner.ref ?? `name:${owner.name}`);
}

/**
 * 任务列表: the instances of last year and this year, filtered by state, owner, due and card level, searched by 文号,
 * title or owner, sorted by the completion due date. With `mine`, only those waiting for the person at the keyboard.
 */
export function TaskList({ community, mine = false }: { community: CommunityId; mine?: boolean }) {
  const t = useT();
  const [, navigate] = useLocation();
  const tasks = useTaskList(community);
  const [status, setStatus] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState<DueFilter>('');
  const [card, setCard] = useState('');
  const [query, setQuery] = useState('');
  const [order, setOrder] = useState<'asc' | 'desc'>('asc');
  const today = todayOf();
  const calendar = useTaskCalendar(community);
  const me = useMe(community);

  const owners = useMemo(() => {
    const seen = new Map<string, string>();
    for (const entry of tasks ?? []) {
      if (entry.state.owner !== null) seen.set(ownerKey(entry), entry.state.owner.name);
    }
    return [...seen].sort((a, b) => a[1].localeCompare(b[1], 'zh-CN'));
  }, [tasks]);

  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    const soon = (entry: ListedTask) => {
      const d = entry.state.deadlines.completionDue.date;
      return (
        (entry.state.status === 'published' || entry.state.status === 'claimed') &&
        d >= today &&
        workdaysBetween(calendar, today, d).days <= 5
      );
    };
    return (tasks ?? [])
      .filter((entry) => !mine || mineReason(entry.state, me, today) !== null)
      .filter((entry) => status === '' || entry.state.status === status)
      .filter((entry) => owner === '' || ownerKey(entry) === owner)
      .filter((entry) => {
        const clock = clockOf(entry.state, today);
        switch (due) {
          case '':
            return true;
          case 'overdue':
            return clock.overdue;
          case 'warning':
            return clock.warning;
          case 'soon':
            return soon(entry);
        }
      })
      .filter((entry) => {
        const level = openCardLevel(entry.state);
        if (card === '') return true;
        if (card === 'any') return level !== null;
        if (card === 'none') return level === null;
        return level === card;
      })
      .filter((entry) => {
        if (q === '') return true;
        const s = entry.state;
        return [s.template.docNo, s.template.title, s.owner?.name ?? ''].some((v) => v.toLowerCase().includes(q));
      })
      .sort((a, b) => {
        const da = a.state.deadlines.completionDue.date;
        const db = b.state.deadlines.completionDue.date;
        const by = da < db ? -1 : da > db ? 1 : a.state.id < b.state.id ? -1 : 1;
        return order === 'asc' ? by : -by;
      });
  }, [tasks, mine, me, status, owner, due, card, query, order, today, calendar]);

  const open = (entry: ListedTask) => navigate(taskHref(entry.year, entry.state.id));

  return (
    <Stack>
      <Group align="end" wrap="wrap">
        <TextInput
          type="search"
          label={t('task.filter.search')}
          placeholder={t('task.filter.searchHint')}
          value={query}
          onChange={(event) => setQuery(event.currentTarget.value)}
          style={{ flex: '1 1 200px' }}
        />
        <NativeSelect
          label={t('task.field.state')}
          value={status}
          onChange={(event) => setStatus(event.currentTarget.value)}
          data={[
            { value: '', label: t('task.filter.all') },
            ...TASK_STATUSES.map((value) => ({ value, label: t(`task.status.${value}`) })),
          ]}
        />
        <NativeSelect
          label={t('task.field.owner')}
          value={owner}
          onChange={(event) => setOwner(event.currentTarget.value)}
          data={[
            { value: '', label: t('task.filter.all') },
            { value: UNCLAIMED, label: t('task.filter.unclaimed') },
            ...owners.map(([value, label]) => ({ value, label })),
          ]}
        />
        <NativeSelect
          label={t('task.field.due')}
          value={due}
          onChange={(event) => setDue(event.currentTarget.value as DueFilter)}
          data={[
            { value: '', label: t('task.filter.all') },
            { value: 'overdue', label: t('task.filter.dueOverdue') },
            { value: 'soon', label: t('task.filter.dueSoon') },
            { value: 'warning', label: t('task.filter.dueWarning') },
          ]}
        />
        <NativeSelect
          label={t('task.field.cards')}
          value={card}
          onChange={(event) => setCard(event.currentTarget.value)}
          data={[
            { value: '', label: t('task.filter.all') },
            { value: 'any', label: t('task.filter.cardAny') },
            { value: 'none', label: t('task.filter.cardNone') },
            ...CARD_LEVELS.map((value) => ({ value, label: t(`task.card.${value}`) })),
          ]}
        />
        <NativeSelect
          label={t('task.sort.label')}
          value={order}
          onChange={(event) => setOrder(event.currentTarget.value === 'desc' ? 'desc' : 'asc')}
          data={[
            { value: 'asc', label: t('task.sort.asc') },
            { value: 'desc', label: t('task.sort.desc') },
          ]}
        />
      </Group>
      <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid="task-count">
        {tasks === undefined ? t('task.loading') : t('task.list.count', { count: rows.length })}
      </Text>
      {tasks !== undefined && rows.length === 0 ? (
        <Text size="sm">{t('task.list.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table highlightOnHover striped aria-label={t('task.list.label')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('task.field.docNo')}</Table.Th>
                <Table.Th>{t('task.field.title')}</Table.Th>
                <Table.Th>{t('task.field.state')}</Table.Th>
                <Table.Th>{t('task.field.owner')}</Table.Th>
                <Table.Th>{t('task.field.due')}</Table.Th>
                <Table.Th>{t('task.field.cards')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((entry) => {
                const s = entry.state;
                const word = dueWord(s, today, calendar);
                const level = openCardLevel(s);
                return (
                  <Table.Tr
                    key={s.id}
                    tabIndex={0}
                    style={{ cursor: 'pointer' }}
                    data-testid="task-row"
                    aria-label={t('task.list.open', { title: s.template.title })}
                    onClick={() => open(entry)}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter') open(entry);
                    }}
                  >
                    <Table.Td>{s.template.docNo}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{s.template.title}</Text>
                      <Text size="xs" c="dimmed">
                        {s.period}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        <Badge color={STATUS_COLORS[s.status]} variant="light">
                          {t(`task.status.${s.status}`)}
                        </Badge>
                        {s.claimLate && (
                          <Badge color="orange" variant="outline" size="xs">
                            {t('task.flag.claimLate')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>{s.owner?.name ?? t('task.filter.unclaimed')}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{s.deadlines.completionDue.date}</Text>
                      <Text size="xs" c={word.kind === 'over' ? 'red' : 'dimmed'} data-testid="task-due">
                        {dueText(t, word)}
                      </Text>
                      {s.deadlines.completionDue.uncovered && (
                        <Tooltip label={t('task.due.uncoveredHint')}>
                          <Badge color="gray" variant="outline" size="xs" tabIndex={0}>
                            {t('task.due.uncovered')}
                          </Badge>
                        </Tooltip>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {level !== null && (
                        <Badge color={CARD_COLORS[level]} data-testid="task-card">
                          {t(`task.card.${level}`)}
                        </Badge>
                      )}
                    </Table.Td>
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
