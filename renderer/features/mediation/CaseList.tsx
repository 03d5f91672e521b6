import {
  Alert,
  Badge,
  Checkbox,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import { chinaDate } from '@shared/domain/dates';
import { deadlineState, effectiveDueDate, type DeadlineState } from '@shared/domain/mediation/deadline';
import {
  CASE_CATEGORIES,
  CASE_STATUSES,
  MEDIATION_LEVELS,
  OPEN_STATUSES,
  RISK_LEVELS,
  type MediationCase,
} from '@shared/domain/mediation/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useMyPerson, useRecords, useStore } from '../../data/hooks';
import { useT } from '../../i18n';
import { formatDay, partiesLine } from './labels';
import { caseNumberText, currentHead, isAssignedTo, useAllCases, useRegistryInfo } from './useCases';
import { naturalCompare } from '@shared/domain/naturalOrder';

export const DEADLINE_COLOR: Record<DeadlineState, string> = { ok: 'gray', yellow: 'yellow', red: 'red' };
export const RISK_COLOR = { red: 'red', yellow: 'yellow', blue: 'blue' } as const;

const OPEN: ReadonlySet<string> = new Set(OPEN_STATUSES);

interface Filters {
  status: string;
  category: string;
  level: string;
  zone: string;
  risk: string;
  overdue: boolean;
  mine: boolean;
}

/** The last renumbering of a case, for "原第 5 号，现第 7 号". */
export function lastRenumber(c: MediationCase): { from: number; to: number } | null {
  for (let i = c.timeline.length - 1; i >= 0; i--) {
    const event = c.timeline[i];
    if (event?.kind === 'renumber') return { from: Number(event.detail.from), to: Number(event.detail.to) };
  }
  return null;
}

/**
 * How "assigned to me" matches: by the linked registry person, or (not linked yet) by name, with the way to link
 * oneself. The link is made in 设置 → 我的身份 (renderer/features/settings).
 */
function MineHint({ linkedName, userName }: { linkedName: string | null; userName: string }) {
  const t = useT();
  if (linkedName !== null) {
    return (
      <Text size="sm" c="dimmed" data-testid="mine-hint" data-match="person">
        {t('case.list.minePerson', { name: linkedName })}
      </Text>
    );
  }
  return (
    <Alert color="blue" p="xs" data-testid="mine-hint" data-match="name">
      <Text size="sm">{userName.trim() ? t('case.list.mineHint', { name: userName }) : t('case.list.mineNoName')}</Text>
      <Text size="sm">{t('case.list.mineLink')}</Text>
    </Alert>
  );
}

/** How long a renumbering stays in the notice above the list. */
const RENUMBER_NOTICE_DAYS = 14;

/**
 * 案件列表 (and 我的案件 with `mine`): filters, search as you type, deadline colours; Enter or a click on a row opens
 * the case page.
 */
export function CaseList({ community, mine = false }: { community: CommunityId; mine?: boolean }) {
  const t = useT();
  const store = useStore();
  const [, navigate] = useLocation();
  const cases = useAllCases(community);
  const info = useRegistryInfo(community);
  const zones = useRecords(community, 'zones');
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 150);
  const [filters, setFilters] = useState<Filters>({
    status: mine ? 'open' : '',
    category: '',
    level: '',
    zone: '',
    risk: '',
    overdue: false,
    mine,
  });
  const today = chinaDate(new Date());
  const userName = store.user.userName;
  const person = useMyPerson(community);
  const me = useMemo(() => ({ person, userName }), [person, userName]);
  const personName = person ? info?.person(person)?.name : undefined;

  const shown = useMemo(() => {
    if (!cases) return [];
    const q = debounced.trim().toLowerCase();
    return cases.filter((c) => {
      if (filters.status === 'open' ? !OPEN.has(c.status) : filters.status && c.status !== filters.status) return false;
      if (filters.category && c.category !== filters.category) return false;
      if (filters.level && c.level !== filters.level) return false;
      if (filters.risk && c.risk !== filters.risk) return false;
      if (filters.zone && !c.chain.some((link) => link.nodeId === filters.zone)) return false;
      if (filters.overdue && deadlineState(c, today) !== 'red') return false;
      if (filters.mine && !isAssignedTo(c, me, info)) return false;
      if (q === '') return true;
      const haystack = [
        caseNumberText(c, info),
        String(c.number),
        c.place.address,
        c.facts,
        ...c.parties.flatMap((p) => [p.name, p.phone ?? '', p.address]),
      ]
        .join(' ')
        .toLowerCase();
      return haystack.includes(q);
    });
  }, [cases, debounced, filters, today, me, info]);

  const [since] = useState(() => new Date(Date.now() - RENUMBER_NOTICE_DAYS * 86_400_000).toISOString());
  const renumbered = useMemo(() => {
    return (cases ?? []).flatMap((c) => {
      const event = c.timeline.findLast((e) => e.kind === 'renumber');
      return event && event.at >= since ? [{ c, from: Number(event.detail.from), to: Number(event.detail.to) }] : [];
    });
  }, [cases, since]);

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setFilters((f) => ({ ...f, [key]: value }));
  const all = { value: '', label: t('case.list.all') };

  return (
    <Stack>
      <Title order={2}>{mine ? t('case.list.mineTitle') : t('case.list.title')}</Title>
      {(mine || filters.mine) && person !== undefined && (
        <MineHint linkedName={person ? (personName ?? '…') : null} userName={userName} />
      )}
      {renumbered.length > 0 && (
        <Alert color="yellow" data-testid="renumber-notice">
          {t('case.list.renumberNotice', {
            list: renumbered.map((r) => t('case.list.renumbered', { from: r.from, to: r.to })).join('；'),
          })}
        </Alert>
      )}
      <TextInput
        label={t('case.list.search')}
        placeholder={t('case.list.searchHint')}
        value={query}
        onChange={(event) => setQuery(event.currentTarget.value)}
      />
      <SimpleGrid cols={{ base: 2, md: 5 }}>
        <NativeSelect
          label={t('case.list.status')}
          value={filters.status}
          onChange={(event) => set('status', event.currentTarget.value)}
          data={[
            all,
            { value: 'open', label: t('case.list.openOnly') },
            ...CASE_STATUSES.map((value) => ({ value, label: t(`case.status.${value}`) })),
          ]}
        />
        <NativeSelect
          label={t('case.list.category')}
          value={filters.category}
          onChange={(event) => set('category', event.currentTarget.value)}
          data={[all, ...CASE_CATEGORIES.map((value) => ({ value, label: t(`case.category.${value}`) }))]}
        />
        <NativeSelect
          label={t('case.list.level')}
          value={filters.level}
          onChange={(event) => set('level', event.currentTarget.value)}
          data={[all, ...MEDIATION_LEVELS.map((value) => ({ value, label: t(`case.level.${value}`) }))]}
        />
        <NativeSelect
          label={t('case.list.zone')}
          value={filters.zone}
          onChange={(event) => set('zone', event.currentTarget.value)}
          data={[
            all,
            ...(zones ?? [])
              .map((z) => ({ value: z.id, label: z.name }))
              .sort((a, b) => naturalCompare(a.label, b.label)),
          ]}
        />
        <NativeSelect
          label={t('case.list.risk')}
          value={filters.risk}
          onChange={(event) => set('risk', event.currentTarget.value)}
          data={[all, ...RISK_LEVELS.map((value) => ({ value, label: t(`case.risk.${value}`) }))]}
        />
      </SimpleGrid>
      <Group>
        <Checkbox
          label={t('case.list.overdue')}
          checked={filters.overdue}
          onChange={(event) => set('overdue', event.currentTarget.checked)}
        />
        <Checkbox
          label={t('case.list.assigned')}
          checked={filters.mine}
          onChange={(event) => set('mine', event.currentTarget.checked)}
        />
      </Group>
      {cases === undefined ? (
        <Text c="dimmed">{t('case.loading')}</Text>
      ) : (
        <>
          <Text size="sm" data-testid="case-count">
            {t('case.list.count', { count: shown.length })}
          </Text>
          {shown.length === 0 ? (
            <Text c="dimmed">{t('case.list.empty')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={800}>
              <Table highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('case.list.col.number')}</Table.Th>
                    <Table.Th>{t('case.list.col.parties')}</Table.Th>
                    <Table.Th>{t('case.list.col.category')}</Table.Th>
                    <Table.Th>{t('case.list.col.status')}</Table.Th>
                    <Table.Th>{t('case.list.col.level')}</Table.Th>
                    <Table.Th>{t('case.list.col.risk')}</Table.Th>
                    <Table.Th>{t('case.list.col.deadline')}</Table.Th>
                    <Table.Th>{t('case.list.col.registered')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shown.map((c) => {
                    const state = deadlineState(c, today);
                    const open = () => navigate(`/case/${c.year}/${c.id}`);
                    const renumber = lastRenumber(c);
                    const head = currentHead(c, info);
                    return (
                      <Table.Tr
                        key={c.id}
                        data-testid="case-row"
                        data-deadline={state}
                        tabIndex={0}
                        style={{ cursor: 'pointer' }}
                        onClick={open}
                        onKeyDown={(event) => {
                          if (event.key === 'Enter' || event.key === ' ') {
                            event.preventDefault();
                            open();
                          }
                        }}
                      >
                        <Table.Td>
                          <a
                            href={`#/mediation/case/${c.year}/${c.id}`}
                            tabIndex={-1}
                            onClick={(event) => event.preventDefault()}
                          >
                            {caseNumberText(c, info)}
                          </a>
                          {renumber && (
                            <Text size="xs" c="orange">
                              {t('case.list.renumbered', renumber)}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>{partiesLine(c)}</Table.Td>
                        <Table.Td>{t(`case.category.${c.category}`)}</Table.Td>
                        <Table.Td>{t(`case.status.${c.status}`)}</Table.Td>
                        <Table.Td>
                          {t(`case.level.${c.level}`)} {head?.name ?? ''}
                        </Table.Td>
                        <Table.Td>
                          <Badge color={RISK_COLOR[c.risk]} variant="light">
                            {t(`case.riskShort.${c.risk}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          {OPEN.has(c.status) ? (
                            <Badge color={DEADLINE_COLOR[state]} variant={state === 'ok' ? 'light' : 'filled'}>
                              {state === 'ok'
                                ? t('case.deadline.due', { date: effectiveDueDate(c) })
                                : `${t(`case.deadline.${state}`)} · ${effectiveDueDate(c)}`}
                            </Badge>
                          ) : (
                            '—'
                          )}
                        </Table.Td>
                        <Table.Td>{formatDay(c.registeredAt)}</Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </>
      )}
    </Stack>
  );
}
