/**
 * Resident identity numbers (公民身份号码) under GB 11643-1999: 6-digit address code, 8-digit birth date, 3-digit
 * sequence code (odd 17th digit = male), 1 check character computed with ISO 7064:1983 MOD 11-2.
 */
import { domainError, err, ok, type DomainError, type Result } from '../result';
import { isCalendarDay, isoDate } from '../dates';

export type Sex = 'male' | 'female';

export interface IdNumberInfo {
  /** Normalised: upper-case X, no spaces. */
  readonly idNumber: string;
  readonly regionCode: string;
  readonly birthDate: string;
  readonly sex: Sex;
}

// GB 11643-1999 §6.2 / ISO 7064 MOD 11-2: weight of position i is 2^(17-i) mod 11.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'] as const;

/**
 * First two digits of GB/T 2260 province-level codes (11 北京 ... 65 新疆, 71 台湾, 81 香港, 82 澳门, 83 for residence
 * permits of Taiwan residents). A number outside these was mistyped, whatever its checksum says.
 */
const PROVINCE_CODES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

/** Earliest plausible year of birth for a living resident. */
const MIN_BIRTH_YEAR = 1890;

export function normaliseIdNumber(raw: string): string {
  // Spreadsheets and phone keyboards bring full-width digits, spaces and a lower-case x.
  return raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/** The check character for the first 17 digits (GB 11643-1999 §6.2). */
export function checkChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '';
}

/**
 * Validates an 18-digit resident ID number and derives birth date and sex.
 * `today` (`YYYY-MM-DD`) bounds the birth date: nobody is registered before being born.
 */
export function parseIdNumber(raw: string, today: string): Result<IdNumberInfo, DomainError> {
  const idNumber = normaliseIdNumber(raw);
  // GB 11643-1999 §4: 17 digits then a digit or X. The old 15-digit numbers were replaced by 2013 and are refused.
  if (!/^\d{17}[\dX]$/.test(idNumber)) return err(domainError('id-number.format', 'idNumber'));
  // GB 11643-1999 §5.1: the address code follows GB/T 2260; its county part is never 00 for a person.
  if (!PROVINCE_CODES.has(idNumber.slice(0, 2)) || idNumber.slice(2, 6) === '0000') {
    return err(domainError('id-number.region', 'idNumber'));
  }
  const year = Number(idNumber.slice(6, 10));
  const month = Number(idNumber.slice(10, 12));
  const day = Number(idNumber.slice(12, 14));
  // GB 11643-1999 §5.2: the birth date code is a real YYYYMMDD date.
  if (!isCalendarDay(year, month, day) || year < MIN_BIRTH_YEAR) return err(domainError('id-number.date', 'idNumber'));
  const birthDate = isoDate(year, month, day);
  if (birthDate > today) return err(domainError('id-number.date', 'idNumber'));
  if (checkChar(idNumber.slice(0, 17)) !== idNumber.charAt(17)) {
    return err(domainError('id-number.checksum', 'idNumber'));
  }
  return ok({
    idNumber,
    regionCode: idNumber.slice(0, 6),
    birthDate,
    // GB 11643-1999 §5.3: the sequence code is odd for men and even for women.
    sex: Number(idNumber.charAt(16)) % 2 === 1 ? 'male' : 'female',
  });
}

export function isValidIdNumber(raw: string, today: string): boolean {
  return parseIdNumber(raw, today).ok;
}

/**
 * Builds a valid ID number (demo data and test fixtures). `seq` is the 3-digit sequence code 0-999; its last digit's
 * parity sets the sex, so callers choose `seq` to get the sex they need.
 */
export function makeIdNumber(region: string, birthDate: string, seq: number): string {
  if (!/^\d{6}$/.test(region)) throw new RangeError(`region must be 6 digits: ${region}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) throw new RangeError(`birthDate must be YYYY-MM-DD: ${birthDate}`);
  if (!Number.isInteger(seq) || seq < 0 || seq > 999) throw new RangeError(`seq must be 0-999: ${seq}`);
  const first17 = `${region}${birthDate.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return first17 + checkChar(first17);
}

/** A sequence code with the parity for a sex: `base` (any integer) is folded into 0-999. */
export function seqForSex(base: number, sex: Sex): number {
  const n = Math.abs(Math.trunc(base)) % 500;
  return n * 2 + (sex === 'male' ? 1 : 0);
}
