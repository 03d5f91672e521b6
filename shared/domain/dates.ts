/**
 * Calendar dates as `YYYY-MM-DD` strings. Dates of birth and check-in are calendar days, not instants, so they are kept
 * as strings and compared as strings (the format sorts correctly), never through `Date` objects in local time.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day (rejects 2023-02-29, 2024-13-01, ...). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (match === null) return false;
  const [, y, m, d] = match;
  return isCalendarDay(Number(y), Number(m), Number(d));
}

export function isCalendarDay(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Today's date where the offices are. China uses one fixed offset (UTC+8, no daylight saving since 1991), so the
 * calendar day is the UTC instant shifted by 8 hours; using the device's zone would make a laptop set to UTC refuse a
 * baby registered before 08:00.
 */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The China wall-clock minute of an instant, `YYYY-MM-DD HH:MM` (Asia/Shanghai, UTC+8 all year). */
export function chinaMinute(instant: Date): string {
  const shifted = new Date(instant.getTime() + 8 * 3_600_000);
  return `${shifted.toISOString().slice(0, 10)} ${shifted.toISOString().slice(11, 16)}`;
}

const DAY_MS = 86_400_000;

function utcDay(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** The day `days` calendar days after `date` (negative: before), both `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  return new Date(utcDay(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole calendar days from `a` to `b` (`YYYY-MM-DD`; negative when `b` is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((utcDay(b) - utcDay(a)) / DAY_MS);
}

/** Whole years between a birth date and a day (both `YYYY-MM-DD`), as a person counts their age. */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}
