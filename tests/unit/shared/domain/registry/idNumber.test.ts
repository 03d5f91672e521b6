import { describe, expect, it } from 'vitest';
import { checkChar, makeIdNumber, parseIdNumber, seqForSex } from '@shared/domain/registry/idNumber';
import { errorOf, unwrap } from './fixtures';

const TODAY = '2026-03-01';

describe('parseIdNumber (GB 11643-1999)', () => {
  it('accepts the standard example 11010519491231002X and derives a female born 1949-12-31', () => {
    const info = unwrap(parseIdNumber('11010519491231002X', TODAY));
    expect(info).toEqual({
      idNumber: '11010519491231002X',
      regionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'female',
    });
  });

  it('normalises a lower-case x, spaces and full-width digits', () => {
    expect(unwrap(parseIdNumber(' 11010519491231002x ', TODAY)).idNumber).toBe('11010519491231002X');
    expect(unwrap(parseIdNumber('１１０１０５１９４９１２３１００２Ｘ', TODAY)).idNumber).toBe('11010519491231002X');
  });

  it('refuses a wrong check character with id-number.checksum', () => {
    expect(errorOf(parseIdNumber('110105194912310021', TODAY)).code).toBe('id-number.checksum');
    const valid = makeIdNumber('511302', '1990-01-01', 123);
    const wrongLast = valid.slice(0, 17) + (valid.endsWith('1') ? '2' : '1');
    expect(errorOf(parseIdNumber(wrongLast, TODAY))).toEqual({ code: 'id-number.checksum', field: 'idNumber' });
  });

  it('refuses a mistyped digit in the body (checksum catches single-digit errors)', () => {
    const valid = makeIdNumber('511302', '1990-01-01', 123);
    const typo = valid.slice(0, 15) + String((Number(valid.charAt(15)) + 1) % 10) + valid.slice(16);
    expect(errorOf(parseIdNumber(typo, TODAY)).code).toBe('id-number.checksum');
  });

  it('refuses wrong length, letters and old 15-digit numbers with id-number.format', () => {
    for (const bad of ['', '51130219900101123', '5113021990010112345', '51130219900101A234', '511302900101123']) {
      expect(errorOf(parseIdNumber(bad, TODAY)).code).toBe('id-number.format');
    }
  });

  it('refuses an unknown province code with id-number.region', () => {
    const first17 = '991302199001011230'.slice(0, 17);
    expect(errorOf(parseIdNumber(first17 + checkChar(first17), TODAY)).code).toBe('id-number.region');
  });

  it('refuses impossible and future birth dates with id-number.date', () => {
    const impossible = '51130219900230123';
    expect(errorOf(parseIdNumber(impossible + checkChar(impossible), TODAY)).code).toBe('id-number.date');
    const future = makeIdNumber('511302', '2026-03-02', 11);
    expect(errorOf(parseIdNumber(future, TODAY)).code).toBe('id-number.date');
    expect(unwrap(parseIdNumber(makeIdNumber('511302', TODAY, 11), TODAY)).birthDate).toBe(TODAY);
  });

  it('reads an odd 17th digit as male and an even one as female', () => {
    expect(unwrap(parseIdNumber(makeIdNumber('511302', '2000-02-29', seqForSex(7, 'male')), TODAY)).sex).toBe('male');
    expect(unwrap(parseIdNumber(makeIdNumber('511302', '2000-02-29', seqForSex(7, 'female')), TODAY)).sex).toBe(
      'female',
    );
  });
});

describe('makeIdNumber', () => {
  it('produces numbers that validate, across many dates and sequence codes', () => {
    for (let i = 0; i < 500; i++) {
      const birth = `19${String(30 + (i % 70)).padStart(2, '0')}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
      const id = makeIdNumber('511303', birth, i);
      const info = unwrap(parseIdNumber(id, TODAY));
      expect(info.birthDate).toBe(birth);
      expect(info.sex).toBe(i % 2 === 1 ? 'male' : 'female');
    }
  });

  it('refuses malformed arguments', () => {
    expect(() => makeIdNumber('5113', '1990-01-01', 1)).toThrow(RangeError);
    expect(() => makeIdNumber('511302', '1990-01-01', 1000)).toThrow(RangeError);
  });
});
