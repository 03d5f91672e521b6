/**
 * The compact form of the figure rows on disk (shared/domain/dashboard/pack.ts) gives back exactly what plain JSON
 * gives, strings that look like its references included, and is smaller when shapes and strings repeat.
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
      // A key holding the character the shapes were once told apart by: two shapes stay two.
      [{ 'a\u0000b': 1 }, { a: 1, b: 2 }, { '1:a': 3 }, { a: 4 }],
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
});
