/**
 * Mainland phone numbers. Mobile: 11 digits, `1[3-9]` then 9 digits (MIIT numbering plan, 13x-19x). Landline: trunk
 * prefix 0, a 2- or 3-digit area code, a 7- or 8-digit local number (Nanchong is 0817-xxxxxxx).
 */
import { domainError, err, ok, type DomainError, type Result } from '../result';

export type PhoneKind = 'mobile' | 'landline';

export interface PhoneInfo {
  /** Mobile: 11 digits. Landline: `0AA(A)-NNNNNNN(N)`. */
  readonly phone: string;
  readonly kind: PhoneKind;
}

const MOBILE = /^1[3-9]\d{9}$/;
// Two-digit area codes are the large cities (010 Beijing, 020-029); everything else uses three digits.
const LANDLINE_2 = /^(0[12]\d)-?(\d{7,8})$/;
const LANDLINE_3 = /^(0[3-9]\d{2})-?(\d{7,8})$/;

export function parsePhone(raw: string): Result<PhoneInfo, DomainError> {
  // Tolerate what people type: full-width digits, spaces, dashes in a mobile, a +86 / 0086 country prefix, brackets.
  let phone = raw
    .normalize('NFKC')
    .replace(/[\s()]/g, '')
    .replace(/^(\+86|0086)-?/, '');
  const digitsOnly = phone.replace(/-/g, '');
  if (MOBILE.test(digitsOnly)) return ok({ phone: digitsOnly, kind: 'mobile' });
  phone = phone.replace(/-+/g, '-');
  const match = LANDLINE_2.exec(phone) ?? LANDLINE_3.exec(phone) ?? LANDLINE_3.exec(digitsOnly);
  if (match?.[1] !== undefined && match[2] !== undefined)
    return ok({ phone: `${match[1]}-${match[2]}`, kind: 'landline' });
  return err(domainError('phone.invalid', 'phone'));
}

export function isValidPhone(raw: string): boolean {
  return parsePhone(raw).ok;
}
