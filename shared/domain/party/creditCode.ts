/**
 * The unified social credit code (统一社会信用代码) of an organisation, GB 32100-2015: 18 characters from 0-9 and the
 * capitals but I, O, Z, S and V; the 1st is the registering authority, the 2nd the kind, the 3rd-8th the area, the
 * 9th-17th the organisation code, the 18th a check character (ISO 7064 MOD 31-3). Organisation codes are public (the
 * national credit portal shows them): the code is stored and shown in full.
 */

/** GB 32100-2015 §4: the 31 characters a code may hold, in the order of their values 0-30. */
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** GB 32100-2015 §5.2: the weight of position i is 3^i mod 31. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** As typed in a sheet: full-width characters, spaces and lower case folded. */
export function normaliseCreditCode(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/** The check character for the first 17 characters, or null when one is not a code character. */
export function creditCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CHARS.indexOf(first17.charAt(i));
    if (value < 0) return null;
    sum += value * (WEIGHTS[i] ?? 0);
  }
  return CHARS.charAt((31 - (sum % 31)) % 31);
}

/** Whether `raw` (normalised first) is a well-formed code whose check character is right. */
export function isValidCreditCode(raw: string): boolean {
  const code = normaliseCreditCode(raw);
  if (code.length !== 18) return false;
  const check = creditCheckChar(code.slice(0, 17));
  return check !== null && check === code.charAt(17);
}
