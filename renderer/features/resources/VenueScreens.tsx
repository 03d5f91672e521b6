import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Radio,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { Link, Route, Switch, useLocation, useParams } from 'wouter';
import { hasPermission } from '@shared/domain/kernel';
import type { DomainError } from '@shared/domain/result';
import { FEE_KINDS, type Booking, type FeeKind, type Venue } from '@shared/domain/resources/types';
import {
  bookSeries,
  cancelBooking,
  cancelSeries,
  createVenue,
  heldOn,
  moveBooking,
  moveSeries,
  occasions,
  openHoursOf,
  recordAttendance,
  seriesKey,
  updateVenue,
  type BookingConflict,
} from '@shared/domain/resources/venues';
import type { CommunityId } from '@shared/ydoc/docName';
import { useStore } from '../../data/hooks';
import { useT, type MessageKey, type Translate } from '../../i18n';
import { DateField } from '../../ui/DateField';
import { SubNav } from '../../ui/SubNav';
import { usePermissions } from '../sync';
import {
  conflictPartners,
  describeResourceError,
  runBooking,
  thisYear,
  today,
  useBookings,
  useVenues,
  type YearBookings,
} from './data';
import { runOnYears, spanOf, useHeldBookings, type HeldBookings } from './venueData';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export function ResourceError({ error }: { error: DomainError | string | null }) {
  const t = useT();
  if (error === null) return null;
  return (
    <Alert color="red" role="alert" p="xs" data-testid="resources-error">
      {typeof error === 'string' ? error : describeResourceError(t, error)}
    </Alert>
  );
}

export function useCanEdit(community: CommunityId): { edit: boolean; admin: boolean } {
  const permissions = usePermissions(community);
  return { edit: hasPermission(permissions, 'resources.edit'), admin: hasPermission(permissions, 'admin') };
}

export function feeLabel(t: Translate, fee: FeeKind): string {
  return t(`resources.fee.${fee}` as MessageKey);
}

function weekdayNames(t: Translate, days: readonly number[]): string {
  return days.map((d) => t(`resources.weekday.${d}` as MessageKey)).join(t('resources.enumSep'));
}

/** When a booking is held, in words: a day and hours, or the weekly pattern over its range. */
export function whenText(t: Translate, b: Pick<Booking, 'date' | 'start' | 'end' | 'repeat'>): string {
  if (b.repeat === null) return t('resources.booking.when', { date: b.date, start: b.start, end: b.end });
  return t('resources.booking.weekly', {
    days: weekdayNames(t, b.repeat.weekdays),
    start: b.start,
    end: b.end,
    from: b.date,
    until: b.repeat.until,
  });
}

/** 阵地: the rooms, the year's bookings with their conflicts, a new booking, a room's own page. */
export function VenuesPages({ community }: { community: CommunityId }) {
  const t = useT();
  const { edit } = useCanEdit(community);
  const links = [
    { path: '/', label: t('resources.venues.nav.rooms') },
    { path: '/bookings', label: t('resources.venues.nav.bookings') },
    ...(edit ? [{ path: '/book', label: t('resources.venues.nav.book') }] : []),
  ];
  return (
    <Stack>
      <SubNav label={t('resources.venues.nav.label')} links={links} />
      <Switch>
        <Route path="/bookings/conflicts">
          <BookingList key="conflict" community={community} initial="conflict" />
        </Route>
        <Route path="/bookings">
          <BookingList key="all" community={community} initial="all" />
        </Route>
        {edit && (
          <Route path="/book">
            <BookingForm community={community} />
          </Route>
        )}
        <Route path="/room/:id">
          <VenuePage community={community} />
        </Route>
        <Route>
          <VenueList community={community} />
        </Route>
      </Switch>
    </Stack>
  );
}

function ConflictAlert({
  data,
  venues,
}: {
  data: { readonly conflicts: readonly BookingConflict[] };
  venues: readonly Venue[];
}) {
  const t = useT();
  if (data.conflicts.length === 0) return null;
  const room = (id: string) => venues.find((v) => v.id === id)?.name ?? id;
  return (
    <Alert
      color="orange"
      title={t('resources.conflict.title', { count: data.conflicts.length })}
      data-testid="venue-conflicts"
    >
      <Stack gap={4}>
        {data.conflicts.map(({ a, b, date }) => (
          <Text size="sm" key={`${a.id}-${b.id}`} data-testid="venue-conflict">
            {t('resources.conflict.line', {
              room: room(a.venueId),
              date,
              a: t('resources.conflict.booking', { purpose: a.purpose, start: a.start, end: a.end, by: a.createdBy }),
              b: t('resources.conflict.booking', { purpose: b.purpose, start: b.start, end: b.end, by: b.createdBy }),
            })}
          </Text>
        ))}
        <Text size="sm">
          <Link href="/bookings/conflicts">{t('resources.conflict.resolve')}</Link>
        </Text>
      </Stack>
    </Alert>
  );
}

function VenueList({ community }: { community: CommunityId }) {
  const t = useT();
  const venues = useVenues(community);
  const data = useBookings(community, thisYear());
  const { edit } = useCanEdit(community);
  if (venues === undefined) return <Text c="dimmed">{t('resources.loading')}</Text>;
  const partners = data ? conflictPartners(data.conflicts) : new Map<string, string[]>();
  return (
    <Stack>
      <Title order={3}>{t('resources.venues.title')}</Title>
      {data && <ConflictAlert data={data} venues={venues} />}
      {venues.length === 0 ? (
        <Text c="dimmed">{t('resources.venues.none')}</Text>
      ) : (
        <Table data-testid="venue-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('resources.field.name')}</Table.Th>
              <Table.Th>{t('resources.field.capacity')}</Table.Th>
              <Table.Th>{t('resources.field.equipment')}</Table.Th>
              <Table.Th>{t('resources.field.openHours')}</Table.Th>
              <Table.Th>{t('resources.venues.bookings')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {venues.map((venue) => {
              const mine = data?.bookings.filter((b) => b.venueId === venue.id && b.status === 'active') ?? [];
              const clashes = mine.filter((b) => partners.has(b.id)).length;
              return (
                <Table.Tr key={venue.id} data-testid="venue-row">
                  <Table.Td>
                    <Link href={`/room/${venue.id}`}>{venue.name}</Link>
                  </Table.Td>
                  <Table.Td>{t('resources.venues.seats', { count: venue.capacity })}</Table.Td>
                  <Table.Td>{venue.equipment.join(t('resources.enumSep'))}</Table.Td>
                  <Table.Td>{t('resources.venues.hours', { ...openHoursOf(venue) })}</Table.Td>
                  <Table.Td>
                    {mine.length}
                    {clashes > 0 && (
                      <Badge color="orange" ml="xs">
                        {t('resources.conflict.badge')} {clashes}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {edit && <NewVenue community={community} />}
    </Stack>
  );
}

function NewVenue({ community }: { community: CommunityId }) {
  const t = useT();
  const store = useStore();
  const [name, setName] = useState('');
  const [capacity, setCapacity] = useState('');
  const [equipment, setEquipment] = useState('');
  const [error, setError] = useState<DomainError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setDone(null);
    const result = await store.run(community, createVenue, {
      name,
      capacity: Number(capacity) || 0,
      equipment: equipment
        .split(/[,，、\n]/)
        .map((s) => s.trim())
        .filter(Boolean),
    });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    setDone(name);
    setName('');
    setCapacity('');
    setEquipment('');
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('resources.venues.new')} data-testid="venue-form">
      <Stack gap="xs" maw={520}>
        <Title order={4}>{t('resources.venues.new')}</Title>
        <TextInput label={t('resources.field.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <TextInput
          label={t('resources.field.capacity')}
          inputMode="numeric"
          value={capacity}
          onChange={(e) => setCapacity(e.currentTarget.value)}
        />
        <TextInput
          label={t('resources.field.equipment')}
          description={t('resources.venues.equipmentHint')}
          value={equipment}
          onChange={(e) => setEquipment(e.currentTarget.value)}
        />
        <ResourceError error={error} />
        {done && <Text c="green">{t('resources.venues.added', { name: done })}</Text>}
        <Group>
          <Button type="submit">{t('resources.save')}</Button>
        </Group>
      </Stack>
    </form>
  );
}

function VenuePage({ community }: { community: CommunityId }) {
  const t = useT();
  const { id } = useParams<{ id: string }>();
  const venues = useVenues(community);
  const data = useHeldBookings(community, thisYear());
  const { edit } = useCanEdit(community);
  if (venues === undefined || data === undefined) return <Text c="dimmed">{t('resources.loading')}</Text>;
  const venue = venues.find((v) => v.id === id);
  if (!venue) return <Alert color="yellow">{t('resources.venues.gone')}</Alert>;
  const conflicts = data.conflicts.filter((c) => c.a.venueId === id);
  return (
    <Stack>
      <Title order={3}>{venue.name}</Title>
      <Text>
        {t('resources.venues.seats', { count: venue.capacity })} · {venue.equipment.join(t('resources.enumSep'))} ·{' '}
        <span data-testid="venue-hours">{t('resources.venues.hours', { ...openHoursOf(venue) })}</span>
      </Text>
      {edit && <OpenHoursForm key={venue.id} community={community} venue={venue} />}
      <ConflictAlert data={{ conflicts }} venues={venues} />
      <BookingTable community={community} data={data} venues={venues} only={(b) => b.venueId === id} />
    </Stack>
  );
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** A room's opening hours, one daily span typed as `HH:MM` (24 hours, whatever the browser's language). */
function OpenHoursForm({ community, venue }: { community: CommunityId; venue: Venue }) {
  const t = useT();
  const store = useStore();
  const hours = openHoursOf(venue);
  const [start, setStart] = useState(hours.start);
  const [end, setEnd] = useState(hours.end);
  const [error, setError] = useState<DomainError | string | null>(null);
  const [saved, setSaved] = useState(false);
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setSaved(false);
    const typed = [start, end].map((x) => x.trim().replace('：', ':').padStart(5, '0'));
    if (!typed.every((x) => HHMM.test(x))) {
      setError(t('resources.venues.hoursTyped'));
      return;
    }
    const [from = '', to = ''] = typed;
    const result = await store.run(community, updateVenue, { id: venue.id, openHours: { start: from, end: to } });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    setSaved(true);
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('resources.field.openHours')} data-testid="venue-hours-form">
      <Group align="end">
        <TextInput
          label={t('resources.field.openStart')}
          placeholder="08:00"
          maw={120}
          value={start}
          onChange={(e) => setStart(e.currentTarget.value)}
        />
        <TextInput
          label={t('resources.field.openEnd')}
          placeholder="20:00"
          maw={120}
          value={end}
          onChange={(e) => setEnd(e.currentTarget.value)}
        />
        <Button type="submit" variant="light">
          {t('resources.venues.hoursSave')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {t('resources.venues.hoursHint')}
      </Text>
      <ResourceError error={error} />
      {saved && <Text c="green">{t('resources.venues.hoursSaved')}</Text>}
    </form>
  );
}

type Filter = 'all' | 'conflict' | 'regular' | 'cancelled';

function BookingList({ community, initial }: { community: CommunityId; initial: Filter }) {
  const t = useT();
  const venues = useVenues(community);
  const data = useHeldBookings(community, thisYear());
  const [filter, setFilter] = useState<Filter>(initial);
  if (venues === undefined || data === undefined) return <Text c="dimmed">{t('resources.loading')}</Text>;
  const partners = seriesPartners(data.conflicts);
  const only = (b: Booking) =>
    filter === 'all'
      ? b.status === 'active'
      : filter === 'conflict'
        ? partners.has(seriesKey(b))
        : filter === 'regular'
          ? b.status === 'active' && b.repeat !== null
          : b.status === 'cancelled';
  return (
    <Stack>
      <Title order={3}>{t('resources.bookings.title', { year: thisYear() })}</Title>
      <ConflictAlert data={data} venues={venues} />
      <NativeSelect
        label={t('resources.bookings.filter')}
        maw={240}
        value={filter}
        onChange={(e) => setFilter(e.currentTarget.value as Filter)}
        data={(['all', 'conflict', 'regular', 'cancelled'] as const).map((f) => ({
          value: f,
          label: t(`resources.bookings.filter.${f}`),
        }))}
      />
      <BookingTable community={community} data={data} venues={venues} only={only} />
    </Stack>
  );
}

function BookingTable({
  community,
  data,
  venues,
  only,
}: {
  community: CommunityId;
  data: HeldBookings;
  venues: readonly Venue[];
  only: (b: Booking) => boolean;
}) {
  const t = useT();
  const { edit } = useCanEdit(community);
  const partners = seriesPartners(data.conflicts);
  // One row per series and slot: a series' parts in one room at the same hours are one row (with the whole span); a
  // series moved from a day on shows its two slots apart, each with its own span.
  const slotKey = (b: Booking) => `${seriesKey(b)}|${b.venueId}|${b.start}|${b.end}|${b.status}`;
  const seen = new Set<string>();
  const shown = data.current.bookings.filter((b) => {
    if (!only(b) || seen.has(slotKey(b))) return false;
    seen.add(slotKey(b));
    return true;
  });
  const room = (id: string) => venues.find((v) => v.id === id)?.name ?? id;
  if (shown.length === 0) return <Text c="dimmed">{t('resources.bookings.none')}</Text>;
  return (
    <Table data-testid="booking-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('resources.field.when')}</Table.Th>
          <Table.Th>{t('resources.field.venue')}</Table.Th>
          <Table.Th>{t('resources.field.purpose')}</Table.Th>
          <Table.Th>{t('resources.field.organiser')}</Table.Th>
          <Table.Th>{t('resources.field.fee')}</Table.Th>
          <Table.Th>{t('resources.field.attendance')}</Table.Th>
          <Table.Th>{t('resources.field.status')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {shown.map((b) => {
          const series = data.series.get(seriesKey(b)) ?? [b];
          const parts = series.filter((p) => slotKey(p) === slotKey(b));
          const ids = new Set(parts.map((p) => p.id));
          return (
            <BookingRow
              key={b.id}
              community={community}
              booking={b}
              parts={parts}
              room={room(b.venueId)}
              venues={venues}
              clashWith={partners.get(seriesKey(b)) ?? []}
              attendance={data.attendance.filter((a) => ids.has(a.bookingId))}
              edit={edit}
            />
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

/** For each series (or booking of its own), the purposes of the bookings it clashes with. */
function seriesPartners(conflicts: readonly BookingConflict[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (key: string, purpose: string) => {
    const list = out.get(key) ?? [];
    if (!list.includes(purpose)) list.push(purpose);
    out.set(key, list);
  };
  for (const { a, b } of conflicts) {
    add(seriesKey(a), b.purpose);
    add(seriesKey(b), a.purpose);
  }
  return out;
}

function BookingRow({
  community,
  booking: b,
  parts,
  room,
  venues,
  clashWith,
  attendance,
  edit,
}: {
  community: CommunityId;
  booking: Booking;
  /** Its series' parts held on this device in the same room and hours (itself included), by first day. */
  parts: readonly Booking[];
  room: string;
  venues: readonly Venue[];
  clashWith: readonly string[];
  attendance: YearBookings['attendance'];
  edit: boolean;
}) {
  const t = useT();
  const store = useStore();
  const [open, setOpen] = useState<'move' | 'cancel' | 'count' | null>(null);
  const [error, setError] = useState<DomainError | null>(null);
  const [date, setDate] = useState(b.date);
  const [start, setStart] = useState(b.start);
  const [end, setEnd] = useState(b.end);
  const [venueId, setVenueId] = useState(b.venueId);
  const [reason, setReason] = useState('');
  const [from, setFrom] = useState('');
  const [moveFrom, setMoveFrom] = useState('');
  const active = parts.filter((p) => p.status === 'active');
  const held = active.flatMap((p) => occasions(p)).filter((d) => d <= today());
  const [day, setDay] = useState(held.at(-1) ?? b.date);
  const [count, setCount] = useState('');
  const year = Number(b.date.slice(0, 4));
  const isSeries = typeof b.series === 'string' || parts.length > 1;
  const span = spanOf(parts);
  // The documents of a series' parts: the year before, this one and the next (a series spans two at most).
  const years = [year - 1, year, year + 1];
  const total = attendance.reduce((sum, a) => sum + a.count, 0);
  const finish = (result: { ok: boolean; error?: DomainError }) => {
    if (!result.ok) {
      setError(result.error ?? null);
      return;
    }
    setError(null);
    setOpen(null);
  };
  const move = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (b.repeat !== null) {
      // A regular service (a series' every part, or one booking) as a whole, or from a day on.
      const result = await runOnYears(store, community, years, (docs, ctx, env) =>
        moveSeries(
          docs,
          ctx,
          { series: seriesKey(b), venueId, start, end, from: moveFrom === '' ? null : moveFrom },
          env,
        ),
      );
      finish(result.ok ? { ok: true } : { ok: false, error: result.error });
      return;
    }
    const result = await runBooking(store, community, year, moveBooking, {
      id: b.id,
      venueId,
      date,
      start,
      end,
      repeat: null,
    });
    finish(result.ok ? { ok: true } : { ok: false, error: result.error });
  };
  const cancel = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (b.repeat !== null) {
      // A regular service (a series' every part, or one booking) as a whole, or from a day on.
      const result = await runOnYears(store, community, years, (docs, ctx) =>
        cancelSeries(docs, ctx, { series: seriesKey(b), reason, from: from === '' ? null : from }),
      );
      finish(result.ok ? { ok: true } : { ok: false, error: result.error });
      return;
    }
    const result = await runBooking(
      store,
      community,
      year,
      (doc, ctx, input: { id: string; reason: string }) => cancelBooking(doc, ctx, input),
      {
        id: b.id,
        reason,
      },
    );
    finish(result.ok ? { ok: true } : { ok: false, error: result.error });
  };
  const countIt = async (event: SyntheticEvent) => {
    event.preventDefault();
    // The occasion is counted on the part that holds it, in its year's document.
    const part = active.find((p) => heldOn(p, day)) ?? b;
    const result = await runBooking(
      store,
      community,
      Number(part.date.slice(0, 4)),
      (doc, ctx, input: { bookingId: string; date: string; count: number }) => recordAttendance(doc, ctx, input),
      { bookingId: part.id, date: day, count: count.trim() === '' ? -1 : Number(count) },
    );
    finish(result.ok ? { ok: true } : { ok: false, error: result.error });
  };
  return (
    <>
      <Table.Tr data-testid="booking-row" data-conflict={clashWith.length > 0 ? 'yes' : 'no'}>
        <Table.Td>
          {whenText(t, b.repeat === null ? b : { ...b, date: span.from, repeat: { ...b.repeat, until: span.until } })}
          {isSeries && (
            <Text size="xs" c="dimmed" data-testid="booking-series">
              {t('resources.booking.series', { count: parts.length })}
            </Text>
          )}
        </Table.Td>
        <Table.Td>{room}</Table.Td>
        <Table.Td>
          {b.purpose}
          {b.provider && (
            <Text size="xs" c="dimmed">
              {t('resources.booking.provider', { provider: b.provider })}
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          {b.organiser}
          <Text size="xs" c="dimmed">
            {t('resources.booking.by', { name: b.createdBy })}
          </Text>
        </Table.Td>
        <Table.Td>{feeLabel(t, b.fee)}</Table.Td>
        <Table.Td data-testid="booking-attendance">
          {t('resources.booking.attendance', { expected: b.expected, actual: attendance.length > 0 ? total : '—' })}
        </Table.Td>
        <Table.Td>
          {b.status === 'cancelled' ? (
            <Badge color="gray">{t('resources.booking.cancelled', { reason: b.cancelReason })}</Badge>
          ) : clashWith.length > 0 ? (
            <Badge color="orange" data-testid="booking-conflict">
              {t('resources.conflict.with', { other: clashWith.join(t('resources.enumSep')) })}
            </Badge>
          ) : (
            <Badge color="green" variant="light">
              {t('resources.booking.ok')}
            </Badge>
          )}
          {edit && b.status === 'active' && (
            <Group gap={4} mt={4}>
              <Button size="compact-xs" variant="light" onClick={() => setOpen(open === 'move' ? null : 'move')}>
                {t('resources.booking.move')}
              </Button>
              <Button
                size="compact-xs"
                variant="light"
                color="red"
                onClick={() => setOpen(open === 'cancel' ? null : 'cancel')}
              >
                {t('resources.booking.cancel')}
              </Button>
              {held.length > 0 && (
                <Button size="compact-xs" variant="light" onClick={() => setOpen(open === 'count' ? null : 'count')}>
                  {t('resources.booking.count')}
                </Button>
              )}
            </Group>
          )}
        </Table.Td>
      </Table.Tr>
      {open !== null && (
        <Table.Tr>
          <Table.Td colSpan={7}>
            {open === 'move' && (
              <form onSubmit={(e) => void move(e)} aria-label={t('resources.booking.move')}>
                <Group align="end">
                  <NativeSelect
                    label={t('resources.field.venue')}
                    value={venueId}
                    onChange={(e) => setVenueId(e.currentTarget.value)}
                    data={venues.map((v) => ({ value: v.id, label: v.name }))}
                  />
                  {b.repeat === null && (
                    <TextInput
                      type="date"
                      label={t('resources.field.date')}
                      value={date}
                      onChange={(e) => setDate(e.currentTarget.value)}
                    />
                  )}
                  {b.repeat !== null && (
                    <DateField
                      label={t('resources.booking.moveFrom')}
                      description={t('resources.booking.moveFromHint')}
                      value={moveFrom}
                      onChange={setMoveFrom}
                      minDate={span.from}
                      maxDate={span.until}
                    />
                  )}
                  <TextInput
                    type="time"
                    label={t('resources.field.start')}
                    value={start}
                    onChange={(e) => setStart(e.currentTarget.value)}
                  />
                  <TextInput
                    type="time"
                    label={t('resources.field.end')}
                    value={end}
                    onChange={(e) => setEnd(e.currentTarget.value)}
                  />
                  <Button type="submit">{t('resources.booking.moveSubmit')}</Button>
                </Group>
              </form>
            )}
            {open === 'cancel' && (
              <form onSubmit={(e) => void cancel(e)} aria-label={t('resources.booking.cancel')}>
                <Group align="end">
                  <TextInput
                    label={t('resources.field.reason')}
                    value={reason}
                    onChange={(e) => setReason(e.currentTarget.value)}
                  />
                  {b.repeat !== null && (
                    <DateField
                      label={t('resources.booking.cancelFrom')}
                      description={t('resources.booking.cancelFromHint')}
                      value={from}
                      onChange={setFrom}
                      minDate={span.from}
                      maxDate={span.until}
                    />
                  )}
                  <Button type="submit" color="red">
                    {t('resources.booking.cancelSubmit')}
                  </Button>
                </Group>
              </form>
            )}
            {open === 'count' && (
              <form onSubmit={(e) => void countIt(e)} aria-label={t('resources.booking.count')}>
                <Group align="end">
                  <NativeSelect
                    label={t('resources.field.occasion')}
                    value={day}
                    onChange={(e) => setDay(e.currentTarget.value)}
                    data={held.sort().slice(-30).reverse()}
                  />
                  <TextInput
                    label={t('resources.field.count')}
                    inputMode="numeric"
                    value={count}
                    onChange={(e) => setCount(e.currentTarget.value)}
                  />
                  <Button type="submit">{t('resources.save')}</Button>
                </Group>
              </form>
            )}
            <ResourceError error={error} />
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

function BookingForm({ community }: { community: CommunityId }) {
  const t = useT();
  const store = useStore();
  const venues = useVenues(community);
  const [, navigate] = useLocation();
  const [kind, setKind] = useState<'single' | 'regular'>('single');
  const [venueId, setVenueId] = useState('');
  const [date, setDate] = useState(today());
  const [start, setStart] = useState('09:00');
  const [end, setEnd] = useState('11:00');
  const [weekdays, setWeekdays] = useState<number[]>([1, 2, 3, 4, 5]);
  const [until, setUntil] = useState(`${thisYear()}-12-31`);
  const [purpose, setPurpose] = useState('');
  const [organiser, setOrganiser] = useState('');
  const [provider, setProvider] = useState('');
  const [fee, setFee] = useState<FeeKind>('free');
  const [expected, setExpected] = useState('');
  const [error, setError] = useState<DomainError | string | null>(null);
  if (venues === undefined) return <Text c="dimmed">{t('resources.loading')}</Text>;
  if (venues.length === 0) return <Alert color="blue">{t('resources.venues.none')}</Alert>;
  const room = venueId || venues[0]?.id || '';
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      setError(t('resources.booking.dateMissing'));
      return;
    }
    const year = Number(date.slice(0, 4));
    // A regular service into next year is booked as one part per year (`bookSeries`): both documents are opened.
    const years = kind === 'regular' && until.slice(0, 4) === String(year + 1) ? [year, year + 1] : [year];
    const result = await runOnYears(store, community, years, (docs, ctx, env) =>
      bookSeries(
        docs,
        ctx,
        {
          venueId: room,
          date,
          start,
          end,
          repeat: kind === 'regular' ? { weekdays, until } : null,
          purpose,
          organiser,
          provider: kind === 'regular' ? provider : '',
          fee,
          expected: expected.trim() === '' ? 0 : Number(expected),
        },
        env,
      ),
    );
    if (!result.ok) {
      setError(result.error);
      return;
    }
    navigate(`/room/${room}`);
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('resources.venues.nav.book')} data-testid="booking-form">
      <Stack gap="xs" maw={560}>
        <Title order={3}>{t('resources.venues.nav.book')}</Title>
        <NativeSelect
          label={t('resources.field.venue')}
          value={room}
          onChange={(e) => setVenueId(e.currentTarget.value)}
          data={venues.map((v) => ({
            value: v.id,
            label: t('resources.venues.option', { name: v.name, count: v.capacity }),
          }))}
        />
        <Radio.Group
          label={t('resources.booking.kind')}
          value={kind}
          onChange={(v) => setKind(v === 'regular' ? 'regular' : 'single')}
        >
          <Group>
            <Radio value="single" label={t('resources.booking.single')} />
            <Radio value="regular" label={t('resources.booking.regular')} />
          </Group>
        </Radio.Group>
        <TextInput
          type="date"
          label={kind === 'regular' ? t('resources.field.firstDay') : t('resources.field.date')}
          value={date}
          onChange={(e) => setDate(e.currentTarget.value)}
        />
        <Group grow>
          <TextInput
            type="time"
            label={t('resources.field.start')}
            value={start}
            onChange={(e) => setStart(e.currentTarget.value)}
          />
          <TextInput
            type="time"
            label={t('resources.field.end')}
            value={end}
            onChange={(e) => setEnd(e.currentTarget.value)}
          />
        </Group>
        {kind === 'regular' && (
          <>
            <Checkbox.Group
              label={t('resources.field.weekdays')}
              value={weekdays.map(String)}
              onChange={(v) => setWeekdays(v.map(Number).sort())}
            >
              <Group>
                {WEEKDAYS.map((d) => (
                  <Checkbox key={d} value={String(d)} label={t(`resources.weekday.${d}` as MessageKey)} />
                ))}
              </Group>
            </Checkbox.Group>
            <TextInput
              type="date"
              label={t('resources.field.until')}
              description={t('resources.booking.untilHint')}
              value={until}
              onChange={(e) => setUntil(e.currentTarget.value)}
            />
            <TextInput
              label={t('resources.field.provider')}
              value={provider}
              onChange={(e) => setProvider(e.currentTarget.value)}
            />
          </>
        )}
        <TextInput
          label={t('resources.field.purpose')}
          value={purpose}
          onChange={(e) => setPurpose(e.currentTarget.value)}
        />
        <TextInput
          label={t('resources.field.organiser')}
          value={organiser}
          onChange={(e) => setOrganiser(e.currentTarget.value)}
        />
        <NativeSelect
          label={t('resources.field.fee')}
          value={fee}
          onChange={(e) => setFee(e.currentTarget.value as FeeKind)}
          data={FEE_KINDS.map((f) => ({ value: f, label: feeLabel(t, f) }))}
        />
        <TextInput
          label={t('resources.field.expected')}
          inputMode="numeric"
          value={expected}
          onChange={(e) => setExpected(e.currentTarget.value)}
        />
        <ResourceError error={error} />
        <Group>
          <Button type="submit">{t('resources.booking.submit')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
