import { describe, expect, it } from 'vitest';
import { parsePhone } from '@shared/domain/registry/phone';
import { errorOf, unwrap } from './fixtures';

describe('parsePhone', () => {
  it('accepts mainland mobiles 13x-19x and normalises spaces, dashes, +86 and full-width digits', () => {
    expect(unwrap(parsePhone('13812345678'))).toEqual({ phone: '13812345678', kind: 'mobile' });
    expect(unwrap(parsePhone('138 1234 5678')).phone).toBe('13812345678');
    expect(unwrap(parsePhone('138-1234-5678')).phone).toBe('13812345678');
    expect(unwrap(parsePhone('+86 199 1234 5678')).phone).toBe('19912345678');
    expect(unwrap(parsePhone('１３８１２３４５６７８')).phone).toBe('13812345678');
  });

  it('accepts landlines with 3- or 4-digit area codes and writes them as area-local', () => {
    expect(unwrap(parsePhone('0817-2345678'))).toEqual({ phone: '0817-2345678', kind: 'landline' });
    expect(unwrap(parsePhone('08172345678')).phone).toBe('0817-2345678');
    expect(unwrap(parsePhone('010-12345678')).phone).toBe('010-12345678');
    expect(unwrap(parsePhone('(028)87654321')).phone).toBe('028-87654321');
  });

  it('refuses numbers that are neither', () => {
    for (const bad of ['', '12812345678', '1381234567', '138123456789', 'abc', '0817-12345', '110']) {
      expect(errorOf(parsePhone(bad))).toEqual({ code: 'phone.invalid', field: 'phone' });
    }
  });
});
