/**
 * The working-day calendar as data (docs/tasks-model.md, "working-day calendar"). China's working days are fixed each
 * year by the State Council (调休): weekends become working days and weekdays become days off. The calendar is a
 * value, not a library call: the national seed (seed.generated.ts) plus layers a district, a street or a community
 * edits, each inheriting from the one above. Dates are `YYYY-MM-DD` calendar days in China time.
 */
import { z } from 'zod';
import { isIsoDate } from '../dates';

/** An exceptional day: a day off (法定假日 or a local closure) or a 调休 working day on a weekend. */
export interface CalendarDay {
  readonly kind: 'holiday' | 'workday';
  /** What it is for (春节, 国庆节, a local name); shown beside the date. */
  readonly name: string;
}

/**
 * A resolved calendar: every exceptional date, the years whose exceptions are known (outside them only weekends count
 * as days off, and every answer says `uncovered`), and the version id every computed deadline records.
 */
export interface WorkingCalendar {
  readonly version: string;
  readonly firstYear: number;
  readonly lastYear: number;
  readonly days: Readonly<Record<string, CalendarDay>>;
}

export const CALENDAR_SCOPES = ['district', 'street', 'community'] as const;
export type CalendarScope = (typeof CALENDAR_SCOPES)[number];

const isoDate = z.string().refine(isIsoDate, { error: 'date' });

export const calendarDaySchema = z.object({
  kind: z.enum(['holiday', 'workday']),
  name: z.string().trim().min(1).max(40),
});

/**
 * One office's edits on top of the calendar above it. A date set to a day replaces the inherited answer; a date set
 * to `null` removes an inherited exception (the day is again a plain weekday or weekend). `lastYear` extends the
 * covered years and is read from the district layer only: the district enters the State Council's notice for the
 * next year, a street or a community only adds local days. `revision` goes up with every edit, so the version id of
 * the resolved calendar changes whenever any layer does.
 */
export const calendarLayerSchema = z.object({
  scope: z.enum(CALENDAR_SCOPES),
  orgId: z.string().trim().min(1).max(60),
  revision: z.number().int().min(1),
  lastYear: z.number().int().min(2004).max(2100).optional(),
  days: z.record(isoDate, calendarDaySchema.nullable()),
});
export type CalendarLayer = z.infer<typeof calendarLayerSchema>;

/** Where an office sits: its district, its street (if any) and its community (if any). */
export interface CalendarPlace {
  readonly district: string;
  readonly street?: string;
  readonly community?: string;
}

/** A computed date and what it was computed with. */
export interface DueDate {
  readonly date: string;
  readonly calendarVersion: string;
  /** True when a day counted lies outside the calendar's covered years: computed on weekends only (日历未覆盖). */
  readonly uncovered: boolean;
}

/** A count of working days and what it was counted with. */
export interface WorkdayCount {
  readonly days: number;
  readonly calendarVersion: string;
  readonly uncovered: boolean;
}
