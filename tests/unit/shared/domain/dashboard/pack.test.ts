/**
 * The compact form of the figure rows on disk (shared/domain/dashboard/pack.ts) gives back exactly what plain JSON
 * gives, strings that look like its references included, and is smaller when shapes, strings and whole objects
 * repeat; a repeated object is made once, the same frozen object wherever it stood; rows packed before shared values
 * existed still unpack.
 */
import { describe, expect, it } from 'vitest';
import { pack, unpack, type Packed } from '@shared/domain/dashboard/pack';

const roundTrip = (value: unknown) => unpack(JSON.parse(JSON.stringify(pack(value))) as Packed);
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('packed figure rows', () => {
  it('give back every JSON value, strings like its references too', () => {
    const values: unknown[] = [
      null,
      0,
      -1,
      [-1, -1],
      [0, 1],
      'abc',
      '~',
      '~~',
      '~0',
      '~~12',
      { a: undefined, b: [undefined, 1], c: {}, d: [] },
      [
        { x: '~0', y: '~0' },
        { x: '~0', y: 'plain' },
        { y: 'plain', x: null },
      ],
      { '': 1, '~': '2026-11-02', nested: { deep: [[['2026-11-02']]] }, t: true, f: false },
    ];
    for (const value of values) expect(roundTrip(value), JSON.stringify(value)).toEqual(plain(value));
  });

  it('writes each shape and each repeated string once', () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({
      status: 'closed',
      reportedOn: '2026-11-02',
      category: 'opinion',
      n: i,
    }));
    const packed = JSON.stringify(pack(rows));
    expect(packed.length).toBeLessThan(JSON.stringify(rows).length / 3);
    expect(roundTrip(rows)).toEqual(rows);
  });

  it('writes a repeated object or array once and makes it once, frozen', () => {
    const who = { userId: 'grid-1', userName: '网格员1' };
    const rows = Array.from({ length: 100 }, (_, i) => ({
      n: i,
      reportedBy: { ...who },
      at: [
        { status: 'assigned', closed: null, visits: [] },
        { status: 'closed', visits: [] },
      ],
      tags: ['a', 'b'],
      empty: [],
      none: {},
    }));
    const packed = pack(rows);
    // reportedBy, the two earlier states, the list of them and the tags: each written once.
    expect(packed.values).toHaveLength(5);
    const text = JSON.stringify(packed);
    expect(text.split('grid-1')).toHaveLength(2);
    const back = unpack(JSON.parse(text) as Packed) as typeof rows;
    expect(back).toEqual(rows);
    const [first, second] = back;
    expect(first?.reportedBy).toBe(second?.reportedBy);
    expect(first?.at).toBe(second?.at);
    expect(Object.isFrozen(first?.reportedBy)).toBe(true);
    expect(() => {
      (first?.reportedBy as { userId: string }).userId = 'changed';
    }).toThrow(TypeError);
    expect(second?.reportedBy.userId).toBe('grid-1');
    // Empty ones are not shared: each record has its own.
    expect(first?.empty).not.toBe(second?.empty);
    expect(Object.isFrozen(first)).toBe(false);
  });

  it('unpacks rows packed before shared values', () => {
    const before: Packed = {
      shapes: [['status', 'on']],
      strings: ['2026-11-02'],
      value: [-1, [0, 'closed', '~0'], [0, '~~x', '~0']],
    };
    expect(unpack(before)).toEqual([
      { status: 'closed', on: '2026-11-02' },
      { status: '~x', on: '2026-11-02' },
    ]);
  });
});
