/** The demo community's party records (shared/domain/party/demo.ts): made through the commands, every kind present. */
import { describe, expect, it } from 'vitest';
import { generateDemoParty } from '@shared/domain/party/demo';
import { appraisalRows, volunteerTotals } from '@shared/domain/party/rules';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { listPartyRecords, type PartyMap, type PartyRecords } from '@shared/ydoc/party';
import { listRecords } from '@shared/ydoc/registry';

describe('generateDemoParty', () => {
  for (const today of ['2026-11-18', '2027-01-10']) {
    it(`writes units, posts, platforms and every kind of dated record (today ${today})`, () => {
      const { doc: registry } = generateDemoCommunity(7, { residents: 600, today });
      const party = generateDemoParty(7, { registry, today });
      expect(listRecords(registry, 'units')).toHaveLength(3);
      expect(listRecords(registry, 'posts')).toHaveLength(6);
      expect(listRecords(registry, 'platforms').length).toBeGreaterThanOrEqual(6);
      const all = <M extends PartyMap>(name: M): PartyRecords[M][] =>
        [...party.docs.values()].flatMap((doc) => listPartyRecords(doc, name));
      for (const name of [
        'checkIns',
        'claims',
        'serviceRecords',
        'patrols',
        'concerns',
        'volunteerHours',
        'sessions',
        'linkRecords',
      ] as const) {
        expect(all(name).length, name).toBeGreaterThan(0);
      }
      expect(all('sessions').map((s) => s.kind)).toEqual(expect.arrayContaining(['lecture', 'stage', 'teahouse']));
      expect(all('linkRecords').map((s) => s.kind)).toEqual(
        expect.arrayContaining(['information', 'deliberation', 'environment', 'activity']),
      );
      expect(all('checkIns').map((c) => c.kind)).toEqual(expect.arrayContaining(['first', 'recheck']));
      // Some members never check in: the 民主评议 list of the year of today flags them.
      const year = Number(today.slice(0, 4));
      const doc = party.docs.get(year);
      const members = listRecords(registry, 'residents')
        .filter((r) => r.tags.includes('party-member'))
        .slice(0, 24)
        .map((r) => r.id);
      const rows = appraisalRows(
        year,
        members,
        doc ? listPartyRecords(doc, 'checkIns') : [],
        doc ? listPartyRecords(doc, 'serviceRecords') : [],
        today,
      );
      expect(rows.some((r) => r.neverCheckedIn)).toBe(true);
      expect(
        volunteerTotals(all('volunteerHours'), year).length + volunteerTotals(all('volunteerHours'), year - 1).length,
      ).toBeGreaterThan(0);
    });
  }
});
