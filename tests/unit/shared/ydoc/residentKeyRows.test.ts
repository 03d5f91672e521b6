import { describe, expect, it } from 'vitest';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { residentSearchKeys } from '@shared/domain/registry/searchKeys';
import { maskIdNumber, maskPhone } from '@shared/domain/registry/mask';
import { keyRowsJson, parseKeyRows, registryRows, type ResidentRow } from '@shared/ydoc/registryRows';

/** A row's search fields and list card, as the key index holds them (written out here, not by `listRowOf`). */
function keyFields({ id, buildingId, compoundId, tags, deleted, keys, record }: ResidentRow) {
  const phone = record.phone as string | null;
  const card = {
    name: record.name,
    sex: record.sex,
    birthDate: record.birthDate,
    idMasked: maskIdNumber(record.idNumber as string),
    phoneMasked: phone ? maskPhone(phone) : '',
  };
  return { id, buildingId, compoundId, tags, deleted, keys, card };
}

describe('the stored search keys of a resident bucket (keyRowsJson / parseKeyRows)', () => {
  const { doc } = generateDemoCommunity(8, { residents: 600, buildings: 5 });
  const rows = registryRows(doc, 'demo/registry', residentSearchKeys).residentBuckets.flat();

  it('gives back every row’s id, place, tags, deleted flag, keys and card, in order, and no more of its record', () => {
    const tagged: ResidentRow[] = rows.slice(0, 40).map((row, i) => ({
      ...row,
      tags: i % 3 === 0 ? ['party-member', 'elderly-alone'] : row.tags,
      deleted: i % 7 === 0 ? 1 : row.deleted,
      // A name typed with a space: searched without it, shown as typed.
      record: i === 5 ? { ...row.record, name: '欧阳 修' } : i === 6 ? { ...row.record, phone: null } : row.record,
    }));
    const json = keyRowsJson(tagged);
    const parsed = parseKeyRows(json);
    expect(parsed).toEqual(tagged.map(keyFields));
    expect(parsed[5]!.card.name).toBe('欧阳 修');
    expect(parsed[6]!.card.phoneMasked).toBe('');
    expect(parsed[1]!.card.idMasked).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    // Neither an ID number nor a phone number in clear, nor the record's other fields.
    for (const row of tagged) {
      expect(json).not.toContain(row.record.idNumber as string);
      if (typeof row.record.phone === 'string') expect(json).not.toContain(row.record.phone);
    }
    expect(json).not.toContain('createdAt');
  });

  it('names each building once per bucket: under a third of the rows’ characters', () => {
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
    expect(() => parseKeyRows('{"p":[],"r":[["a",0,3,[],"","","",[],"","","","","","","",""]]}')).toThrow(/no place/);
    expect(() => parseKeyRows('null')).toThrow(/not a bucket of keys/);
  });
});
