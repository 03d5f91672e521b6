import { describe, expect, it } from 'vitest';
import { generateDemoCommunity, mulberry32 } from '@shared/domain/registry/demo';
import { actingHead, headChain } from '@shared/domain/registry/fiveHeads';
import { parseIdNumber } from '@shared/domain/registry/idNumber';
import { parsePhone } from '@shared/domain/registry/phone';
import { REGISTRY_COLLECTIONS, listRecords, readMeta, snapshotRegistry } from '@shared/ydoc/registry';
import { ageOn } from '@shared/domain/dates';

const TODAY = '2026-03-01';

function content(doc: ReturnType<typeof generateDemoCommunity>['doc']) {
  return Object.fromEntries(
    REGISTRY_COLLECTIONS.map((c) => [c, listRecords(doc, c).sort((a, b) => (a.id < b.id ? -1 : 1))]),
  );
}

describe('demo community', () => {
  const demo = generateDemoCommunity(7, { residents: 3000 });
  const snapshot = snapshotRegistry(demo.doc);
  const residents = [...snapshot.residents.values()];

  it('is deterministic for a seed and different for another seed', () => {
    expect(content(generateDemoCommunity(7, { residents: 300 }).doc)).toEqual(
      content(generateDemoCommunity(7, { residents: 300 }).doc),
    );
    const a = listRecords(generateDemoCommunity(7, { residents: 50 }).doc, 'residents').map((r) => r.name);
    const b = listRecords(generateDemoCommunity(8, { residents: 50 }).doc, 'residents').map((r) => r.name);
    expect(a).not.toEqual(b);
    expect(mulberry32(1)()).toBe(mulberry32(1)());
  });

  it('has the requested residents, all with valid unique ID numbers from Nanchong and valid phones', () => {
    expect(residents).toHaveLength(3000);
    expect(new Set(residents.map((r) => r.idNumber)).size).toBe(3000);
    for (const r of residents) {
      const id = parseIdNumber(r.idNumber, TODAY);
      expect(id.ok && id.value.sex === r.sex && id.value.birthDate === r.birthDate).toBe(true);
      expect(r.idNumber.startsWith('5113')).toBe(true);
      if (r.phone !== null) expect(parsePhone(r.phone).ok).toBe(true);
    }
  });

  it('spreads ages and tags: minors, elderly living alone, party members with check-ins', () => {
    const ages = residents.map((r) => ageOn(r.birthDate, TODAY));
    expect(ages.filter((a) => a < 18).length).toBeGreaterThan(100);
    expect(ages.filter((a) => a >= 70).length).toBeGreaterThan(100);
    expect(residents.every((r) => r.tags.includes('minor') === ageOn(r.birthDate, TODAY) < 18)).toBe(true);
    expect(residents.filter((r) => r.tags.includes('elderly-alone')).length).toBeGreaterThan(5);
    const members = residents.filter((r) => r.tags.includes('party-member'));
    expect(members.length).toBeGreaterThan(100);
    expect(members.filter((r) => r.partyCheckIn !== null).length).toBeGreaterThan(members.length / 3);
  });

  it('builds 3 compounds, 40 buildings, a five-heads tree, 4 grids and a party tree', () => {
    expect(readMeta(demo.doc).communityName).toBe('西河社区');
    const compounds = [...snapshot.compounds.values()];
    expect(compounds.map((c) => c.kind).sort()).toEqual(['commercial', 'old', 'old']);
    const commercial = compounds.find((c) => c.kind === 'commercial')!;
    expect(commercial.propertyCompany).not.toBeNull();
    expect(commercial.ownersCommittee).toHaveLength(5);
    expect(snapshot.buildings.size).toBe(40);
    expect(snapshot.entrances.size).toBeGreaterThanOrEqual(40);
    expect([...snapshot.households.values()].some((h) => h.floorArea === null)).toBe(true);
    expect(new Set([...snapshot.zones.values()].map((z) => z.level))).toEqual(
      new Set(['area', 'street', 'lane', 'courtyard']),
    );
    expect(snapshot.grids.size).toBe(4);
    expect([...snapshot.buildings.values()].every((b) => b.gridId !== null)).toBe(true);
    const kinds = [...snapshot.partyOrgs.values()].map((o) => o.kind);
    expect(kinds.filter((k) => k === 'committee')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'branch')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'group').length).toBeGreaterThan(0);
  });

  it('leaves some buildings without a head, and someone up the chain steps in', () => {
    expect(demo.buildingsWithoutHead.length).toBeGreaterThanOrEqual(2);
    for (const id of demo.buildingsWithoutHead) {
      const acting = actingHead(headChain(snapshot, id));
      expect(acting?.steppingIn).toBe(true);
    }
  });

  it('scales: 20,000 residents generate (about 2-4 s when idle; the time is measured by npm run bench:store)', () => {
    const big = generateDemoCommunity(11, { residents: 20_000 });
    expect(big.counts.residents).toBe(20_000);
  }, 60_000);
});
