import { Alert, Button, Card, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { layersFor, type Recomputation } from '@shared/domain/calendar';
import type { CalendarLayer, CalendarScope } from '@shared/domain/calendar';
import { communityPlace } from '@shared/domain/calendar/commands';
import { chinaDate } from '@shared/domain/dates';
import { hasPermission } from '@shared/domain/kernel';
import type { DomainError } from '@shared/domain/result';
import { applyCalendar, previewCalendar } from '@shared/domain/tasks/commands';
import { listTasks } from '@shared/ydoc/tasks';
import { readCalendarLayers } from '@shared/ydoc/calendarLayers';
import { docName, isCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { calendarOf, setCalendarDayAcross, useWorkingCalendar, useWorkingCalendars } from '../../data/calendar';
import { useCommunities, useCommunityId, useRegistryValue, useStore } from '../../data/hooks';
import { describeDomainError } from '../../ui/DomainErrorText';
import { useT, type MessageKey, type Translate } from '../../i18n';
import { usePermissions, useRolesVersion } from '../sync';
import { DateField } from '../../ui/DateField';

/** Where each exception of the resolved calendar comes from: the lowest layer that sets the date, else the seed. */
function sources(layers: readonly CalendarLayer[]): Map<string, CalendarLayer> {
  const from = new Map<string, CalendarLayer>();
  for (const layer of layers) for (const date of Object.keys(layer.days)) from.set(date, layer);
  return from;
}

interface Place {
  readonly layers: CalendarLayer[];
  readonly district: string;
  readonly street: string | undefined;
}

function readPlace(community: CommunityId) {
  return (doc: Y.Doc): Place => {
    const place = communityPlace(doc, community);
    return { layers: layersFor(readCalendarLayers(doc), place), district: place.district, street: place.street };
  };
}

function sourceText(t: Translate, layer: CalendarLayer | undefined): string {
  if (layer === undefined) return t('calendar.source.national');
  if (layer.scope === 'community') return t('calendar.source.community');
  return t(`calendar.source.${layer.scope}`, { name: layer.orgId });
}

function errorText(t: Translate, error: DomainError): string {
  if (error.field === 'date') return t('calendar.error.date');
  if (error.field === 'lastYear') return t('calendar.error.lastYear');
  if (error.field === 'set.day.name') return t('calendar.error.name');
  return t('calendar.error.other', { error: describeDomainError(t, error) });
}

/** 设置 → 工作日历: the calendar the community works by, by year, with where each day comes from. */
export function CalendarCard() {
  const community = useCommunityId();
  if (community === null) return null;
  return <CalendarOf community={community} />;
}

function CalendarOf({ community }: { community: CommunityId }) {
  const t = useT();
  const calendar = useWorkingCalendar(community);
  const place = useRegistryValue(
    community,
    useMemo(() => readPlace(community), [community]),
  );
  const admin = hasPermission(usePermissions(community), 'admin');
  const scope = useRecomputeScope(community);
  const calendars = useWorkingCalendars(scope);
  const versions = [...calendars.values()].map((c) => c.version).join('|');
  const thisYear = Number(chinaDate(new Date()).slice(0, 4));
  const [year, setYear] = useState(String(thisYear));
  const from = useMemo(() => sources(place?.layers ?? []), [place]);
  const rows = useMemo(
    () =>
      Object.entries(calendar.days)
        .filter(([date]) => date.startsWith(`${year}-`))
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    [calendar, year],
  );
  // Years a person may look at: the covered ones, the one after (a notice being entered) and this one.
  const years = useMemo(() => {
    const last = Math.max(calendar.lastYear + 1, thisYear + 1);
    const out: string[] = [];
    for (let y = last; y >= Math.max(calendar.firstYear, thisYear - 5); y--) out.push(String(y));
    return out;
  }, [calendar, thisYear]);

  return (
    <Card withBorder data-testid="calendar-card">
      <Title order={3} size="h4" mb="xs">
        {t('calendar.title')}
      </Title>
      <Stack gap="sm">
        <Text size="sm" data-testid="calendar-version">
          {t('calendar.version', { version: calendar.version })}
        </Text>
        <Text size="sm" c="dimmed">
          {t('calendar.covered', { first: calendar.firstYear, last: calendar.lastYear })}
        </Text>
        <NativeSelect
          label={t('calendar.year')}
          value={year}
          onChange={(event) => setYear(event.currentTarget.value)}
          data={years}
          w={140}
        />
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('calendar.none')}
          </Text>
        ) : (
          <Table data-testid="calendar-days" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('calendar.col.date')}</Table.Th>
                <Table.Th>{t('calendar.col.kind')}</Table.Th>
                <Table.Th>{t('calendar.col.name')}</Table.Th>
                <Table.Th>{t('calendar.col.source')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map(([date, day]) => (
                <Table.Tr key={date} data-testid="calendar-day">
                  <Table.Td>{date}</Table.Td>
                  <Table.Td>{t(`calendar.kind.${day.kind}`)}</Table.Td>
                  <Table.Td>{day.name}</Table.Td>
                  <Table.Td>{sourceText(t, from.get(date))}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {admin && place !== undefined && <CalendarEditor community={community} place={place} />}
        {/* Keyed by the calendars' versions: a preview made before an edit (here or by sync) is dropped, never applied
            as if it were the new calendar's. */}
        {admin && <Recompute key={versions} communities={scope} />}
      </Stack>
    </Card>
  );
}

type SetAs = 'holiday' | 'workday' | 'plain' | 'inherit';

function CalendarEditor({ community, place }: { community: CommunityId; place: Place }) {
  const t = useT();
  const store = useStore();
  const [scope, setScope] = useState<CalendarScope>('community');
  const [date, setDate] = useState('');
  const [as, setAs] = useState<SetAs>('holiday');
  const [name, setName] = useState('');
  const [lastYear, setLastYear] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const communities = useCommunities();
  const names = useMemo(() => new Map((communities ?? []).map((c) => [c.id, c.name])), [communities]);
  const orgId = scope === 'district' ? place.district : scope === 'street' ? (place.street ?? '') : community;
  const missing: MessageKey | null =
    orgId === '' ? (scope === 'district' ? 'calendar.edit.noDistrict' : 'calendar.edit.noStreet') : null;

  const save = async () => {
    if (busy || missing !== null) return;
    setBusy(true);
    setMessage(null);
    try {
      const set =
        as === 'holiday' || as === 'workday'
          ? { as: 'day' as const, day: { kind: as, name } }
          : { as: as === 'plain' ? ('plain' as const) : ('inherit' as const) };
      // The district's and the street's layers reach every community of theirs this device holds
      // (renderer/data/calendar.ts `setCalendarDayAcross`).
      const results = await setCalendarDayAcross(store, community, {
        scope,
        orgId,
        date,
        set,
        ...(scope === 'district' && lastYear.trim() !== '' ? { lastYear: Number(lastYear) } : {}),
      });
      const here = results[0]?.result;
      if (here === undefined || !here.ok) {
        setMessage({ ok: false, text: here === undefined ? '' : errorText(t, here.error) });
        return;
      }
      const failed = results.filter((r) => !r.result.ok).map((r) => names.get(r.community) ?? r.community);
      const saved = t('calendar.edit.saved', { revision: here.value.revision });
      const reached = results.length - failed.length;
      setMessage({
        ok: failed.length === 0,
        text: [
          saved,
          ...(reached > 1 ? [t('calendar.edit.reached', { count: reached })] : []),
          ...(failed.length > 0 ? [t('calendar.edit.notReached', { names: failed.join('、') })] : []),
        ].join(''),
      });
    } finally {
      setBusy(false);
    }
  };

  const levels: { value: CalendarScope; label: string }[] = [
    { value: 'district', label: t('calendar.source.district', { name: place.district || '—' }) },
    { value: 'street', label: t('calendar.source.street', { name: place.street ?? '—' }) },
    { value: 'community', label: t('calendar.source.community') },
  ];
  return (
    <form
      aria-label={t('calendar.edit.title')}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <Stack gap="xs">
        <Title order={4} size="h5">
          {t('calendar.edit.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('calendar.edit.hint')}
        </Text>
        {scope !== 'community' && (communities?.length ?? 0) > 1 && (
          <Text size="sm" c="dimmed">
            {t('calendar.edit.across')}
          </Text>
        )}
        <Group align="end" wrap="wrap">
          <NativeSelect
            label={t('calendar.edit.layer')}
            value={scope}
            onChange={(event) => setScope(event.currentTarget.value as CalendarScope)}
            data={levels}
          />
          <DateField label={t('calendar.edit.date')} value={date} onChange={setDate} />
          <NativeSelect
            label={t('calendar.edit.set')}
            value={as}
            onChange={(event) => setAs(event.currentTarget.value as SetAs)}
            data={(['holiday', 'workday', 'plain', 'inherit'] as const).map((value) => ({
              value,
              label: t(`calendar.set.${value}`),
            }))}
          />
          {(as === 'holiday' || as === 'workday') && (
            <TextInput
              label={t('calendar.edit.name')}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
            />
          )}
          {scope === 'district' && (
            <TextInput
              label={t('calendar.edit.lastYear')}
              inputMode="numeric"
              value={lastYear}
              onChange={(event) => setLastYear(event.currentTarget.value)}
              w={180}
            />
          )}
          <Button type="submit" loading={busy} disabled={missing !== null}>
            {t('calendar.edit.save')}
          </Button>
        </Group>
        {missing !== null && (
          <Text size="sm" c="orange">
            {t(missing)}
          </Text>
        )}
        {message && (
          <Text
            size="sm"
            c={message.ok ? 'teal' : 'red'}
            role={message.ok ? 'status' : 'alert'}
            data-testid="calendar-message"
          >
            {message.text}
          </Text>
        )}
      </Stack>
    </form>
  );
}

/** The task documents whose open deadlines a calendar change may move: last year's and this year's. */
function taskDocs(community: CommunityId): string[] {
  const year = Number(chinaDate(new Date()).slice(0, 4));
  return [year - 1, year].map((y) => docName({ community, collection: 'tasks', year: y }));
}

/**
 * The communities 按新日历重算 looks at: the open one, and every other held here where the person is an admin (a
 * district or street edit reaches them all: renderer/data/calendar.ts `setCalendarDayAcross`). Each is recomputed on
 * its own calendar; a community whose calendar did not change lists nothing.
 */
function useRecomputeScope(community: CommunityId): CommunityId[] {
  const store = useStore();
  const held = useCommunities();
  // Drawn again when a role changes, so the permissions below are read again; the list changes only with them.
  useRolesVersion();
  const key = [
    community,
    ...(held ?? [])
      .map((row) => row.id)
      .filter(isCommunityId)
      .filter((id) => id !== community && hasPermission(store.permissions(id), 'admin'))
      .sort(),
  ].join('\n');
  return useMemo(() => key.split('\n') as CommunityId[], [key]);
}

interface Preview {
  readonly byDoc: {
    readonly community: CommunityId;
    readonly name: string;
    readonly preview: Recomputation;
    readonly titles: Map<string, string>;
  }[];
  readonly changed: number;
  readonly restamped: number;
}

/** 按新日历重算: what a calendar change does to the open tasks' deadlines, then the recomputation itself. */
function Recompute({ communities }: { communities: readonly CommunityId[] }) {
  const t = useT();
  const store = useStore();
  const held = useCommunities();
  const names = useMemo(() => new Map((held ?? []).map((c) => [c.id, c.name])), [held]);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const look = useCallback(async () => {
    const byDoc = (
      await Promise.all(
        communities.map(async (community) => {
          const current = await calendarOf(store, community);
          return Promise.all(
            taskDocs(community).map(async (name) => {
              const doc = await store.document(name);
              const titles = new Map(listTasks(doc).map((s) => [s.id as string, s.template.title]));
              return { community, name, preview: previewCalendar(doc, current), titles };
            }),
          );
        }),
      )
    ).flat();
    const count = (key: keyof Recomputation) =>
      new Set(byDoc.flatMap((d) => d.preview[key].map((c) => `${d.name}|${c.recordId}|${c.field}`))).size;
    setPreview({ byDoc, changed: count('changed'), restamped: count('restamped') });
  }, [store, communities]);

  const apply = async () => {
    if (busy) return;
    setBusy(true);
    try {
      let tasks = 0;
      for (const community of communities) {
        const env = { calendar: await calendarOf(store, community) };
        for (const name of taskDocs(community)) {
          const result = await store.runOn(
            name,
            (doc, ctx, input: Record<string, never>) => applyCalendar(doc, ctx, input, env),
            {},
          );
          if (result.ok)
            tasks += new Set([...result.value.changed, ...result.value.restamped].map((c) => c.recordId)).size;
        }
      }
      setDone(t('calendar.recompute.applied', { count: tasks }));
      await look();
    } finally {
      setBusy(false);
    }
  };

  const due = (value: { date: string; uncovered: boolean } | null) =>
    value === null ? '—' : `${value.date}${value.uncovered ? t('calendar.recompute.uncovered') : ''}`;
  const pending = preview !== null && preview.changed + preview.restamped > 0;
  return (
    <Stack gap="xs" data-testid="calendar-recompute">
      <Title order={4} size="h5">
        {t('calendar.recompute.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('calendar.recompute.hint')}
      </Text>
      <Group>
        <Button variant="default" onClick={() => void look()}>
          {t('calendar.recompute.title')}
        </Button>
        {pending && (
          <Button onClick={() => void apply()} loading={busy}>
            {t('calendar.recompute.apply')}
          </Button>
        )}
      </Group>
      {done && (
        <Alert color="teal" role="status" data-testid="calendar-applied">
          {done}
        </Alert>
      )}
      {preview !== null && (
        <Text size="sm" data-testid="calendar-preview">
          {pending
            ? t('calendar.recompute.summary', { changed: preview.changed, restamped: preview.restamped })
            : t('calendar.recompute.nothing')}
        </Text>
      )}
      {preview !== null && preview.changed > 0 && (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('calendar.recompute.col.task')}</Table.Th>
              <Table.Th>{t('calendar.recompute.col.field')}</Table.Th>
              <Table.Th>{t('calendar.recompute.col.before')}</Table.Th>
              <Table.Th>{t('calendar.recompute.col.after')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.byDoc.flatMap(({ community, name, preview: p, titles }) =>
              p.changed.map((c) => (
                <Table.Tr key={`${name}|${c.recordId}|${c.field}`} data-testid="calendar-change">
                  <Table.Td>
                    {communities.length > 1 ? `${names.get(community) ?? community} ` : ''}
                    {titles.get(c.recordId) ?? c.recordId}
                  </Table.Td>
                  <Table.Td>{t(`calendar.recompute.field.${c.field as 'claimDue'}`)}</Table.Td>
                  <Table.Td>{due(c.before)}</Table.Td>
                  <Table.Td>{due(c.after)}</Table.Td>
                </Table.Tr>
              )),
            )}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
