import { describe, expect, it } from 'vitest';
import { byNatural, chineseNumeralValue, naturalCompare, naturalSort } from '@shared/domain/naturalOrder';

const sorted = (names: readonly string[]) => [...names].sort(naturalCompare);

describe('natural, Chinese-aware order', () => {
  it('reads digits as numbers: 1栋 before 2栋 before 10栋', () => {
    expect(sorted(['10栋', '1栋', '2栋', '12栋', '3号楼'])).toEqual(['1栋', '2栋', '3号楼', '10栋', '12栋']);
    expect(sorted(['2-1-1001', '2-1-201', '10-1-101', '2-10-101'])).toEqual([
      '2-1-201',
      '2-1-1001',
      '2-10-101',
      '10-1-101',
    ]);
  });

  it('reads Chinese numerals where they count: 第一, 第二, 第三 … 第十一网格', () => {
    expect(sorted(['第二网格', '第三网格', '第一网格', '第十网格', '第十一网格'])).toEqual([
      '第一网格',
      '第二网格',
      '第三网格',
      '第十网格',
      '第十一网格',
    ]);
    expect(sorted(['三单元', '一单元', '十二单元', '二单元'])).toEqual(['一单元', '二单元', '三单元', '十二单元']);
    // A Chinese numeral and its digits are the same count: 二栋 sits with 2栋, before 10栋.
    expect(sorted(['10栋', '二栋', '1栋'])).toEqual(['1栋', '二栋', '10栋']);
  });

  it('leaves numerals that are part of a name as text, in pinyin order', () => {
    // 一心 and 三江 are names, not counts: ordered by pinyin (sān, yī, zhōng).
    expect(sorted(['一心小区', '三江小区', '中和小区'])).toEqual(['三江小区', '一心小区', '中和小区']);
    expect(sorted(['北湖老院', '安居苑', '西河小区'])).toEqual(['安居苑', '北湖老院', '西河小区']);
  });

  it('puts numbers before text and a shorter name before a longer one that starts the same', () => {
    expect(sorted(['A栋', '1栋'])).toEqual(['1栋', 'A栋']);
    expect(sorted(['北楼', '1栋'])).toEqual(['1栋', '北楼']);
    expect(sorted(['3栋2单元', '3栋'])).toEqual(['3栋', '3栋2单元']);
  });

  it('is a total order: equal counts written differently still sort the same way every time', () => {
    const names = ['01栋', '1栋', '一栋', '１栋'];
    const once = sorted(names);
    expect(sorted([...names].reverse())).toEqual(once);
    for (const a of names) {
      for (const b of names) {
        expect(Math.sign(naturalCompare(a, b)) + Math.sign(naturalCompare(b, a))).toBe(0);
        if (a !== b) expect(naturalCompare(a, b)).not.toBe(0);
      }
    }
  });

  it('values Chinese numerals', () => {
    expect(['一', '十', '十二', '二十', '二十三', '一百零五', '两千', '二〇二六'].map(chineseNumeralValue)).toEqual([
      1, 10, 12, 20, 23, 105, 2000, 2026,
    ]);
    expect(chineseNumeralValue('心')).toBeNull();
    expect(chineseNumeralValue('')).toBeNull();
  });

  it('sorts records by a name field', () => {
    const grids = [{ name: '第三网格' }, { name: '第一网格' }, { name: '第二网格' }];
    expect(naturalSort(grids, (g) => g.name).map((g) => g.name)).toEqual(['第一网格', '第二网格', '第三网格']);
    expect([...grids].sort(byNatural((g) => g.name))[0]!.name).toBe('第一网格');
  });
});
