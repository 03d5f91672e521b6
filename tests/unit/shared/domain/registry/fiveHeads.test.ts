import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createBuilding, moveZone, setBuildingHead, setZoneHead } from '@shared/domain/registry/commands';
import { actingHead, buildingsUnder, descendants, headChain, zoneTree } from '@shared/domain/registry/fiveHeads';
import { collectionMap, snapshotRegistry } from '@shared/ydoc/registry';
import { addResident, makeCtx, smallRegistry, unwrap } from './fixtures';

function withHeads() {
  const reg = smallRegistry();
  const laneHead = unwrap(addResident(reg.doc, reg.ctx, reg.household, { name: '巷长' }));
  unwrap(setZoneHead(reg.doc, reg.ctx, { id: reg.lane, head: { kind: 'resident', id: laneHead } }));
  unwrap(setZoneHead(reg.doc, reg.ctx, { id: reg.area, head: { kind: 'volunteer', id: reg.volunteer } }));
  return { ...reg, laneHead };
}

describe('headChain and actingHead', () => {
  it('lists the building then each zone up to the area, in order', () => {
    const { doc, building } = withHeads();
    const chain = headChain(snapshotRegistry(doc), building);
    expect(chain.map((l) => [l.level, l.nodeName])).toEqual([
      ['building', '3栋'],
      ['courtyard', '1号院'],
      ['lane', '和平街一巷'],
      ['street', '和平街'],
      ['area', '东片区'],
    ]);
    // The same chain straight from the document.
    expect(headChain(doc, building)).toEqual(chain);
  });

  it('a building with no head shows the lane head stepping in when the courtyard has none either', () => {
    const { doc, building, laneHead } = withHeads();
    const acting = actingHead(headChain(doc, building));
    expect(acting).toMatchObject({
      head: { kind: 'resident', id: laneHead },
      steppingIn: true,
      link: { level: 'lane' },
    });
  });

  it('the building head acts when there is one', () => {
    const { doc, ctx, building, volunteer } = withHeads();
    unwrap(setBuildingHead(doc, ctx, { id: building, head: { kind: 'volunteer', id: volunteer } }));
    expect(actingHead(headChain(doc, building))).toMatchObject({ steppingIn: false, link: { level: 'building' } });
  });

  it('returns an empty chain for an unknown building and no acting head for an empty chain', () => {
    const { doc } = withHeads();
    expect(headChain(doc, 'nope')).toEqual([]);
    expect(actingHead([])).toBeNull();
  });

  it('stops instead of looping when two offline moves merged into a cycle', () => {
    const { doc, ctx, street, area, building } = withHeads();
    // Two devices each made a legal move; merged they form a cycle. Simulate the merged state directly.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    unwrap(moveZone(doc, ctx, { id: street, parentId: area }));
    other.transact(() => collectionMap(other, 'zones').get(area)?.set('parentId', street));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    const chain = headChain(doc, building);
    expect(chain.map((l) => l.level)).toEqual(['building', 'courtyard', 'lane', 'street', 'area']);
    const tree = zoneTree(doc);
    const count = (nodes: readonly { children: readonly unknown[] }[]): number =>
      nodes.reduce((n, node) => n + 1 + count(node.children as { children: readonly unknown[] }[]), 0);
    expect(count(tree.roots)).toBe(4);
    expect(descendants(doc, street)).toContain(area);
  });
});

describe('zoneTree and descendants', () => {
  it('nests zones with their buildings, sorted numerically by name', () => {
    const { doc, ctx, compound, courtyard, street, area } = withHeads();
    unwrap(createBuilding(doc, ctx, { compoundId: compound, name: '10栋', zoneId: courtyard }));
    unwrap(createBuilding(doc, ctx, { compoundId: compound, name: '2栋', zoneId: courtyard }));
    unwrap(createBuilding(doc, ctx, { compoundId: compound, name: '9栋' }));
    const tree = zoneTree(snapshotRegistry(doc));
    expect(tree.roots.map((r) => r.zone.name)).toEqual(['东片区']);
    const yard = tree.roots[0]!.children[0]!.children[0]!.children[0]!;
    expect(yard.zone.name).toBe('1号院');
    expect(yard.buildings.map((b) => b.name)).toEqual(['2栋', '3栋', '10栋']);
    expect(tree.unplacedBuildings.map((b) => b.name)).toEqual(['9栋']);
    expect(descendants(doc, area)).toHaveLength(3);
    expect(descendants(doc, street)).toHaveLength(2);
    expect(
      buildingsUnder(doc, street)
        .map((b) => b.name)
        .sort(),
    ).toEqual(['10栋', '2栋', '3栋']);
  });

  it('works on a plain projection, not only a document', () => {
    const ctx = makeCtx();
    const { doc, building } = smallRegistry(ctx);
    const snapshot = snapshotRegistry(doc);
    const projection = { zones: new Map(snapshot.zones), buildings: new Map(snapshot.buildings) };
    expect(headChain(projection, building)).toHaveLength(5);
  });
});
