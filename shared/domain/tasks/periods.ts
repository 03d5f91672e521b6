/**
 * Periods of standing tasks and the ids of instances (docs/tasks-model.md, "templates and instances"). A standing
 * task makes one instance per community and period; an annual task one per community for the year. The instance id
 * is built from the template, the community and the period, so two street devices publishing the same round offline
 * write the same record instead of two.
 */
import { isoDate } from '../dates';
import type { RepeatRule, Schedule, TaskId } from './types';

const PERIOD = /^(\d{4})(?:-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$/;

/** The periods of a year for a schedule: `2026`; `2026-H1`, `2026-H2`; `2026-Q1`..`Q4`; `2026-01`..`12`. */
export function periodsOf(schedule: Schedule, year: number): string[] {
  const rule: RepeatRule = schedule.type === 'annual' ? 'yearly' : schedule.repeat;
  switch (rule) {
    case 'yearly':
      return [String(year)];
    case 'half-yearly':
      return [`${year}-H1`, `${year}-H2`];
    case 'quarterly':
      return [1, 2, 3, 4].map((q) => `${year}-Q${q}`);
    case 'monthly':
      return Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  }
}

/** The first and last day of a period, or null for a malformed period. */
export function periodRange(period: string): { readonly from: string; readonly to: string } | null {
  const match = PERIOD.exec(period);
  if (match === null) return null;
  const year = Number(match[1]);
  const part = match[2];
  const months: [number, number] =
    part === undefined
      ? [1, 12]
      : part.startsWith('H')
        ? part === 'H1'
          ? [1, 6]
          : [7, 12]
        : part.startsWith('Q')
          ? [(Number(part[1]) - 1) * 3 + 1, Number(part[1]) * 3]
          : [Number(part), Number(part)];
  const lastDay = new Date(Date.UTC(year, months[1], 0)).getUTCDate();
  return { from: isoDate(year, months[0], 1), to: isoDate(year, months[1], lastDay) };
}

/** Whether a period fits a schedule (a monthly task takes `2026-07`, not `2026-Q3`). */
export function periodFits(schedule: Schedule, period: string): boolean {
  const year = Number(period.slice(0, 4));
  return Number.isInteger(year) && periodsOf(schedule, year).includes(period);
}

/** The period a day falls in for a schedule. */
export function periodOn(schedule: Schedule, date: string): string {
  const year = Number(date.slice(0, 4));
  return periodsOf(schedule, year).find((p) => {
    const range = periodRange(p);
    return range !== null && range.from <= date && date <= range.to;
  }) as string;
}

export function taskIdOf(templateId: string, community: string, period: string): TaskId {
  return `${templateId}:${community}:${period}` as TaskId;
}

/**
 * The day an instance is published from (its limits count from it): the publishing day, or the period's first day
 * when a round is published ahead of its period.
 */
export function publishedOnFor(period: string, publishDay: string): string {
  const range = periodRange(period);
  return range !== null && range.from > publishDay ? range.from : publishDay;
}
