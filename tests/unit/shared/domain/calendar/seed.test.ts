import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { nationalCalendar } from '@shared/domain/calendar';
import { SEED_SOURCE } from '@shared/domain/calendar/seed.generated';
import { packageDays, type PackageCalendar } from './seedSource';

const require = createRequire(import.meta.url);
const json = JSON.parse(
  readFileSync(require.resolve('chinese-days/dist/chinese-days.json'), 'utf8'),
) as PackageCalendar;
const pkg = JSON.parse(readFileSync(require.resolve('chinese-days/package.json'), 'utf8')) as {
  version: string;
  license: string;
};

describe('the generated seed', () => {
  it('matches the installed chinese-days package date for date (regenerate with generateSeed.ts)', () => {
    expect(SEED_SOURCE).toBe(`chinese-days@${pkg.version}`);
    expect(pkg.license).toBe('MIT');
    const expected = Object.fromEntries([...packageDays(json).entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    const actual = Object.fromEntries(Object.entries(nationalCalendar().days).sort(([a], [b]) => (a < b ? -1 : 1)));
    expect(actual).toEqual(expected);
    expect(Object.keys(actual).length).toBeGreaterThan(700);
  });

  it('holds every year 2004-2026 and a Spring Festival in each', () => {
    const days = nationalCalendar().days;
    for (let year = 2004; year <= 2026; year++) {
      expect(
        Object.entries(days).some(([d, day]) => d.startsWith(`${year}-`) && day.name === '春节'),
        String(year),
      ).toBe(true);
    }
  });
});
