import { describe, expect, it } from 'vitest';
import { addDays, chinaDate, chinaMinute, daysBetween } from '@shared/domain/dates';

describe('China time of an instant', () => {
  it('gives the China day and minute, eight hours ahead of UTC, across midnight', () => {
    const lateUtc = new Date('2026-12-01T15:45:30Z');
    expect(chinaDate(lateUtc)).toBe('2026-12-01');
    expect(chinaMinute(lateUtc)).toBe('2026-12-01 23:45');
    const pastMidnight = new Date('2026-12-31T16:05:00Z');
    expect(chinaDate(pastMidnight)).toBe('2027-01-01');
    expect(chinaMinute(pastMidnight)).toBe('2027-01-01 00:05');
  });
});

describe('calendar day arithmetic', () => {
  it('adds days across months, leap days and years, backwards too', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-05-10', 0)).toBe('2026-05-10');
  });

  it('counts whole days from one day to another, negative when the second is earlier', () => {
    expect(daysBetween('2026-02-13', '2026-02-25')).toBe(12);
    expect(daysBetween('2026-02-25', '2026-02-13')).toBe(-12);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2026-05-10', '2026-05-10')).toBe(0);
    expect(daysBetween('2026-02-13', addDays('2026-02-13', 400))).toBe(400);
  });
});
