import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskPhone } from '@shared/domain/registry/mask';

describe('masks', () => {
  it('shows the first 4 and last 4 characters of an ID number', () => {
    expect(maskIdNumber('511302199001011234')).toBe('5113**********1234');
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
  });

  it('shows the first 3 and last 4 digits of a mobile, and only the last 4 of a landline number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0817-2345678')).toBe('0817-***5678');
  });

  it('leaves a value masked already as it is (a viewer reads the masked registry the server sends)', () => {
    for (const value of ['511302199001011234', '13812345678', '0817-2345678', '0817-23456789']) {
      const once = value.length === 18 ? maskIdNumber(value) : maskPhone(value);
      expect(value.length === 18 ? maskIdNumber(once) : maskPhone(once)).toBe(once);
    }
  });

  it('never shows more than the last 4 characters of anything short or odd', () => {
    for (const value of [
      '',
      '1',
      '1234',
      '12345678',
      '5113021990',
      'abcdefghijklmnopqrstuvwxyz',
      '+86 138 1234 5678',
    ]) {
      for (const masked of [maskIdNumber(value), maskPhone(value)]) {
        expect(masked).toHaveLength(value.trim().length);
        const visible = Array.from(masked).filter((c) => c !== '*').length;
        expect(visible).toBeLessThanOrEqual(4);
        expect(masked.replace(/^\*+/, '')).toBe(value.trim().slice(value.trim().length - visible));
      }
    }
  });
});
