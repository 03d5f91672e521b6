import { Badge, Group, NativeSelect, Pagination, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { memo, useCallback, useDeferredValue, useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import { nationalCalendar, workdaysBetween, type WorkingCalendar } from '@shared/domain/calendar';
import type { Permission } from '@shared/domain/kernel';
import { clockOf } from '@shared/domain/tasks/state';
import { CARD_LEVELS, TASK_STATUSES, type CardLevel } from '@shared/domain/tasks/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useWorkingCalendars } from '../../data/calendar';
import { useCommunities, useStore } from '../../data/hooks';
import { useT } from '../../i18n';
import { useRolesVersion } from '../sync';
import { taskHref, today as todayOf, useTaskListOf, type ListedTask } from './data';
import { CARD_COLORS, dueText, dueWord, openCardLevel, STATUS_COLORS } from './labels';
import { mineReason, type Me } from './mine';

export const DUE_FILTERS = ['', 'overdue', 'soon', 'warning'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

/**
 * Rows drawn at once: a street's list of several communities holds thousands of instances (79 standing tasks × 12
 * months + 117 annual ones, per community); the rest are a page away, and the count says how many there are.
 */
export const PAGE_SIZE = 50;

const UNCLAIMED = '-';

function ownerKey(entry: ListedTask): string {
  const owner = entry.state.owner;
  return owner === null ? UNCLAIMED : (owner.ref ?? `name:${owner.name}`);
}

/**
 * What the filters ask of an instance, worked out once per change of the list, the calendars or the day (never per
 * key typed in the search box): filtering is then comparisons only.
 */
interface Row {
  readonly entry: ListedTask;
  readonly owner: string;
  readonly overdue: boolean;
  readonly warning: boolean;
  /** Open, due today or later, within 5 working days on its community's calendar. */
  readonly soon: boolean;
  readonly level: CardLevel | null;
  /** 文号, title and holder, lower-cased, for the search box. */
  readonly text: string;
}

function rowOf(entry: ListedTask, today: string, calendar: WorkingCalendar): Row {
  const s = entry.state;
  const clock = clockOf(s, today);
  const due = s.deadlines.completionDue.date;
  const open = s.status === 'published' || s.status === 'claimed';
  return {
    entry,
    owner: ownerKey(entry),
    overdue: clock.overdue,
    warning: clock.warning,
    soon: open && due >= today && workdaysBetween(calendar, today, due).days <= 5,
    level: openCardLevel(s),
    text: [s.template.docNo, s.template.title, s.owner?.name ?? ''].join('\n').toLowerCase(),
  };
}

const byDue = (a: Row, b: Row) => {
  const da = a.entry.state.deadlines.completionDue.date;
  const db = b.entry.state.deadlines.completionDue.date;
  if (da !== db) return da < db ? -1 : 1;
  const ia = a.entry.state.id;
  const ib = b.entry.state.id;
  return ia < ib ? -1 : ia > ib ? 1 : 0;
};

/**
 * The person at the keyboard in each community of the list, as the machine asks (`mineReason`): the account and what
 * its role allows there, live.
 */
function useMeIn(communities: readonly CommunityId[]): ReadonlyMap<CommunityId, Me> {
  const store = useStore();
  // Drawn again whenever a role changes; the map is made anew only when a permission it holds did.
  useRolesVersion();
  const key = JSON.stringify(communities.map((c) => [c, [...store.permissions(c)].sort()]));
  const { userId, userName } = store.user;
  return useMemo(() => {
    const held = JSON.parse(key) as [CommunityId, Permission[]][];
    return new Map(held.map(([c, p]) => [c, { userId, userName, permissions: new Set(p) }]));
  }, [key, userId, userName]);
}

/**
 * 任务列表: the instances of last year and this year, filtered by state, owner, due and card level, searched by 文号,
 * title or owner, sorted by the completion due date. With `mine`, only those waiting for the person at the keyboard.
 *
 * `communities` (a street supervising several, docs/tasks-model.md "screens") spans the list across them: a community
 * column and filter appear, each row is counted on its own community's calendar and opens in its community. With one
 * community (the default, `community` alone) the list is that community's, without the column.
 */
export function TaskList({
  community,
  communities: scope,
  mine = false,
}: {
  community: CommunityId;
  communities?: readonly CommunityId[];
  mine?: boolean;
}) {
  const t = useT();
  const [, navigate] = useLocation();
  const communities = useMemo(
    () => (scope === undefined || scope.length === 0 ? [community] : [...new Set([community, ...scope])]),
    [community, scope],
  );
  const several = communities.length > 1;
  const tasks = useTaskListOf(communities);
  const [status, setStatus] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState<DueFilter>('');
  const [card, setCard] = useState('');
  const [place, setPlace] = useState('');
  const [query, setQuery] = useState('');
  // The search runs on the text a moment behind the box: typing stays smooth while a long list filters.
  const deferredQuery = useDeferredValue(query);
  const [order, setOrder] = useState<'asc' | 'desc'>('asc');
  const today = todayOf();
  const calendars = useWorkingCalendars(communities);
  const calendarOf = useCallback((c: CommunityId) => calendars.get(c) ?? nationalCalendar(), [calendars]);
  const meIn = useMeIn(communities);
  const held = useCommunities();
  const names = useMemo(() => new Map((held ?? []).map((c) => [c.id, c.name])), [held]);
  const communityName = useCallback((c: CommunityId) => names.get(c) ?? c, [names]);

  const owners = useMemo(() => {
    const seen = new Map<string, string>();
    for (const entry of tasks ?? []) {
      if (entry.state.owner !== null) seen.set(ownerKey(entry), entry.state.owner.name);
    }
    return [...seen].sort((a, b) => a[1].localeCompare(b[1], 'zh-CN'));
  }, [tasks]);

  // Worked out when the list, the day, the calendars or the roles change; sorted once per order.
  const all = useMemo(() => {
    const out: Row[] = [];
    for (const entry of tasks ?? []) {
      const me = meIn.get(entry.community);
      if (mine && (me === undefined || mineReason(entry.state, me, today) === null)) continue;
      out.push(rowOf(entry, today, calendarOf(entry.community)));
    }
    out.sort(byDue);
    return out;
  }, [tasks, mine, meIn, today, calendarOf]);
  const sorted = useMemo(() => (order === 'asc' ? all : [...all].reverse()), [all, order]);

  const rows = useMemo(() => {
    const q = deferredQuery.trim().toLowerCase();
    return sorted.filter(
      (row) =>
        (place === '' || row.entry.community === place) &&
        (status === '' || row.entry.state.status === status) &&
        (owner === '' || row.owner === owner) &&
        (due === '' || (due === 'overdue' ? row.overdue : due === 'warning' ? row.warning : row.soon)) &&
        (card === '' ||
          (card === 'any' ? row.level !== null : card === 'none' ? row.level === null : row.level === card)) &&
        (q === '' || row.text.includes(q)),
    );
  }, [sorted, place, status, owner, due, card, deferredQuery]);

  // Any change of the filters or the order goes back to the first page.
  const filters = [place, status, owner, due, card, deferredQuery, order].join('\n');
  const [paging, setPaging] = useState({ filters, page: 1 });
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const page = paging.filters === filters ? Math.min(paging.page, pages) : 1;
  const shown = useMemo(() => rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), [rows, page]);

  const open = useCallback(
    (entry: ListedTask) =>
      navigate(taskHref(entry.year, entry.state.id, entry.community === community ? undefined : entry.community)),
    [navigate, community],
  );

  const countText =
    tasks === undefined
      ? t('task.loading')
      : rows.length > PAGE_SIZE
        ? t('task.list.window', {
            count: rows.length,
            from: (page - 1) * PAGE_SIZE + 1,
            to: (page - 1) * PAGE_SIZE + shown.length,
          })
        : t('task.list.count', { count: rows.length });

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
        {several && (
          <NativeSelect
            label={t('task.field.community')}
            value={place}
            onChange={(event) => setPlace(event.currentTarget.value)}
            data={[
              { value: '', label: t('task.filter.allCommunities', { count: communities.length }) },
              ...communities.map((value) => ({ value, label: communityName(value) })),
            ]}
          />
        )}
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
        {countText}
      </Text>
      {tasks !== undefined && rows.length === 0 ? (
        <Text size="sm">{t('task.list.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={several ? 860 : 760}>
          <Table highlightOnHover striped aria-label={t('task.list.label')}>
            <Table.Thead>
              <Table.Tr>
                {several && <Table.Th>{t('task.field.community')}</Table.Th>}
                <Table.Th>{t('task.field.docNo')}</Table.Th>
                <Table.Th>{t('task.field.title')}</Table.Th>
                <Table.Th>{t('task.field.state')}</Table.Th>
                <Table.Th>{t('task.field.owner')}</Table.Th>
                <Table.Th>{t('task.field.due')}</Table.Th>
                <Table.Th>{t('task.field.cards')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((row) => (
                <TaskRow
                  key={`${row.entry.community}|${row.entry.state.id}`}
                  row={row}
                  today={today}
                  calendar={calendarOf(row.entry.community)}
                  communityName={several ? communityName(row.entry.community) : null}
                  onOpen={open}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {pages > 1 && (
        <Pagination
          total={pages}
          value={page}
          onChange={(next) => setPaging({ filters, page: next })}
          withEdges
          aria-label={t('task.list.pages')}
          data-testid="task-pages"
          getControlProps={(control) => ({ 'aria-label': t(`task.list.page.${control}`) })}
          getItemProps={(item) => ({ 'aria-label': t('task.list.page.item', { page: item }) })}
        />
      )}
    </Stack>
  );
}

/** One row; drawn again only when its instance, its community's calendar or the day changes. */
const TaskRow = memo(function TaskRow({
  row,
  today,
  calendar,
  communityName,
  onOpen,
}: {
  row: Row;
  today: string;
  calendar: WorkingCalendar;
  /** Shown in its own column when the list spans several communities. */
  communityName: string | null;
  onOpen: (entry: ListedTask) => void;
}) {
  const t = useT();
  const s = row.entry.state;
  const word = dueWord(s, today, calendar);
  return (
    <Table.Tr
      tabIndex={0}
      style={{ cursor: 'pointer' }}
      data-testid="task-row"
      aria-label={t('task.list.open', { title: s.template.title })}
      onClick={() => onOpen(row.entry)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') onOpen(row.entry);
      }}
    >
      {communityName !== null && <Table.Td data-testid="task-community">{communityName}</Table.Td>}
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
        {row.level !== null && (
          <Badge color={CARD_COLORS[row.level]} data-testid="task-card">
            {t(`task.card.${row.level}`)}
          </Badge>
        )}
      </Table.Td>
    </Table.Tr>
  );
});
