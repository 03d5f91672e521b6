import { describe, expect, it } from 'vitest';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { residentSearchKeys } from '@shared/domain/registry/searchKeys';
import { keyRowsJson, parseKeyRows, registryRows, type ResidentRow } from '@shared/ydoc/registryRows';

/** A row's search fields, as the key index holds them. */
function keyFields({ id, buildingId, compoundId, tags, deleted, keys }: ResidentRow) {
  return { id, buildingId, compoundId, tags, deleted, keys };
}

describe('the stored search keys of a resident bucket (keyRowsJson / parseKeyRows)', () => {
  const { doc } = generateDemoCommunity(8, { residents: 600, buildings: 5 });
  const rows = registryRows(doc, 'demo/registry', residentSearchKeys).residentBuckets.flat();

  it('gives back every row’s id, place, tags, deleted flag and keys, in order, and nothing of its record', () => {
    const tagged: ResidentRow[] = rows.slice(0, 40).map((row, i) => ({
      ...row,
      tags: i % 3 === 0 ? ['party-member', 'elderly-alone'] : row.tags,
      deleted: i % 7 === 0 ? 1 : row.deleted,
    }));
    const json = keyRowsJson(tagged);
    expect(parseKeyRows(json)).toEqual(tagged.map(keyFields));
    expect(json).not.toContain(String(tagged[1]!.record.idNumber));
    expect(json).not.toContain('createdAt');
  });

  it('names each building once per bucket: a third of the rows’ characters at most', () => {
    const json = keyRowsJson(rows);
    const buildings = new Set(rows.map((row) => row.buildingId));
    expect(json.split(rows[0]!.buildingId).length - 1).toBe(1);
    expect(buildings.size).toBeLessThan(rows.length);
    expect(json.length).toBeLessThan(JSON.stringify(rows).length / 3);
    expect(parseKeyRows(keyRowsJson([]))).toEqual([]);
  });

  it('refuses what it did not write, with a message', () => {
    expect(() => parseKeyRows('[]')).toThrow(/not a bucket of keys/);
    expect(() => parseKeyRows('{"p":[],"r":[[1,2]]}')).toThrow(/not a key row/);
    expect(() => parseKeyRows('{"p":[],"r":[["a",0,3,[],"","","",[],"","",""]]}')).toThrow(/no place/);
    expect(() => parseKeyRows('null')).toThrow(/not a bucket of keys/);
  });
});
