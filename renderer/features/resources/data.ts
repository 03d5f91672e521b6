/**
 * Data access of venues, projects and the three funds (docs/resources-model.md). Venues, projects and fund entries
 * are registry records, read live from the community's registry document (a few hundred at most); bookings,
 * attendance and receipts live in the yearly activities document (`<community>/activities/<year>`), read live too.
 */
import { useCallback } from 'react';
import type * as Y from 'yjs';
import { chinaDate } from '@shared/domain/dates';
import type { CommandContext, CommandResult } from '@shared/domain/kernel';
import type { DomainError } from '@shared/domain/result';
import { listFundEntries } from '@shared/domain/resources/funds';
import { sortProjects } from '@shared/domain/resources/projects';
import { RULE, type ResourceRule } from '@shared/domain/resources/rules';
import { FUND_CATEGORIES, FUNDS, INCOME_CATEGORIES, type Fund, type Venue } from '@shared/domain/resources/types';
import { bookingConflicts, venuesEnv, type BookingConflict, type VenuesEnv } from '@shared/domain/resources/venues';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { listRecords, readRecord, type StoredRecord } from '@shared/ydoc/registry';
import { listAttendance, listBookings } from '@shared/ydoc/resources';
import { useDocValue, useRegistryValue } from '../../data/hooks';
import type { WorkstationStore } from '../../data/store';
import type { MessageKey, Translate } from '../../i18n';
import { describeDomainError } from '../../ui/DomainErrorText';

export function today(): string {
  return chinaDate(new Date());
}

export function thisYear(): number {
  return Number(today().slice(0, 4));
}

export function activitiesDoc(community: CommunityId, year: number): string {
  return docName({ community, collection: 'activities', year });
}

const readVenues = (doc: Y.Doc): Venue[] =>
  listRecords(doc, 'venues').sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
const readProjects = (doc: Y.Doc): StoredRecord<'projects'>[] =>
  sortProjects(listRecords(doc, 'projects')) as StoredRecord<'projects'>[];

export function useVenues(community: CommunityId): Venue[] | undefined {
  return useRegistryValue(community, readVenues);
}

export function useProjects(community: CommunityId): StoredRecord<'projects'>[] | undefined {
  return useRegistryValue(community, readProjects);
}

export function useProject(community: CommunityId, id: string): StoredRecord<'projects'> | null | undefined {
  const reader = useCallback((doc: Y.Doc) => readRecord(doc, 'projects', id), [id]);
  return useRegistryValue(community, reader);
}

export function useFundEntries(community: CommunityId) {
  return useRegistryValue(community, listFundEntries);
}

/** The names of residents by id (those asked for), live. */
export function useResidentNames(community: CommunityId, ids: readonly string[]): ReadonlyMap<string, string> {
  const key = [...new Set(ids)].sort().join(',');
  const reader = useCallback(
    (doc: Y.Doc) =>
      new Map(
        key
          .split(',')
          .filter(Boolean)
          .map((id) => [id, readRecord(doc, 'residents', id)?.name ?? id]),
      ),
    [key],
  );
  return useRegistryValue(community, reader) ?? new Map();
}

const readBookings = (doc: Y.Doc) => {
  const bookings = listBookings(doc);
  return { bookings, conflicts: bookingConflicts(bookings), attendance: listAttendance(doc) };
};

export type YearBookings = ReturnType<typeof readBookings>;

/** This year's bookings with their conflicts and attendance, live. */
export function useBookings(community: CommunityId, year: number): YearBookings | undefined {
  return useDocValue(activitiesDoc(community, year), readBookings);
}

/** Runs a booking command on a year's activities document with the venues as the registry holds them now. */
export async function runBooking<I, T>(
  store: WorkstationStore,
  community: CommunityId,
  year: number,
  command: (doc: Y.Doc, ctx: CommandContext, input: I, env: VenuesEnv) => CommandResult<T>,
  input: I,
): Promise<CommandResult<T>> {
  const { doc: registry } = await store.registry(community);
  const env = venuesEnv(registry);
  return store.runOn(activitiesDoc(community, year), (doc, ctx, i: I) => command(doc, ctx, i, env), input);
}

export function conflictPartners(conflicts: readonly BookingConflict[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { a, b } of conflicts) {
    out.set(a.id, [...(out.get(a.id) ?? []), b.id]);
    out.set(b.id, [...(out.get(b.id) ?? []), a.id]);
  }
  return out;
}

// --- money ---------------------------------------------------------------------------------------------------

/** Fen as yuan with two decimals (`1234.50`). */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

/** Yuan as typed (`12`, `12.5`, `12.50`, `1,200`) to fen; null when it is not an amount. */
export function parseYuan(text: string): number | null {
  const clean = text.replace(/[,，\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return null;
  const [whole = '0', part = ''] = clean.split('.');
  return Number(whole) * 100 + Number(part.padEnd(2, '0'));
}

// --- errors ---------------------------------------------------------------------------------------------------

const RULES: ReadonlySet<string> = new Set(Object.values(RULE));

const FIELDS: Partial<Record<string, MessageKey>> = {
  name: 'resources.field.name',
  capacity: 'resources.field.capacity',
  venueId: 'resources.field.venue',
  date: 'resources.field.date',
  start: 'resources.field.start',
  end: 'resources.field.end',
  purpose: 'resources.field.purpose',
  organiser: 'resources.field.organiser',
  expected: 'resources.field.expected',
  until: 'resources.field.until',
  weekdays: 'resources.field.weekdays',
  reason: 'resources.field.reason',
  title: 'resources.field.title',
  need: 'resources.field.need',
  text: 'resources.field.comment',
  residentId: 'resources.field.resident',
  provider: 'resources.field.provider',
  from: 'resources.field.from',
  to: 'resources.field.to',
  commitments: 'resources.field.commitments',
  amount: 'resources.field.amount',
  category: 'resources.field.category',
  memberId: 'resources.field.member',
  note: 'resources.field.note',
  score: 'resources.field.score',
  count: 'resources.field.count',
};

/** A resources command's refusal in words: the resources' own rules, else the generic field messages. */
export function describeResourceError(t: Translate, error: DomainError): string {
  const params = error.params ?? {};
  const rule = params.rule;
  if (typeof rule === 'string' && RULES.has(rule)) {
    return t(`resources.rule.${rule as ResourceRule}`, {
      ...params,
      balance: typeof params.balance === 'number' ? yuan(params.balance) : '',
    });
  }
  const part = [...(error.field?.split('.') ?? [])].reverse().find((p) => p in FIELDS);
  const label = part === undefined ? undefined : FIELDS[part];
  if (label === undefined) return describeDomainError(t, error);
  return t(`error.${error.code}`, { ...params, field: t(label) });
}

// --- funds' words ---------------------------------------------------------------------------------------------

const KNOWN_CATEGORIES: readonly string[] = [
  ...new Set([...INCOME_CATEGORIES, ...FUNDS.flatMap((f) => FUND_CATEGORIES[f] as readonly string[])]),
];

export function fundLabel(t: Translate, fund: Fund): string {
  return t(`resources.fund.${fund}` as MessageKey);
}

export function categoryLabel(t: Translate, category: string): string {
  const key = `resources.category.${category}`;
  return KNOWN_CATEGORIES.includes(category) ? t(key as MessageKey) : category;
}
