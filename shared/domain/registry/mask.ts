/**
 * Masks for ID numbers and phones. PIPL art. 28 treats ID numbers as sensitive personal information; the workstation
 * shows them masked by default and reveals the full value only through the logged `revealSensitive` command.
 * Invariant: a mask never shows more than the last 4 characters of anything it does not recognise.
 */

const STAR = '*';

function tailOnly(value: string): string {
  // Unknown shape: keep at most the last 4 characters and never more than half of a short value.
  const keep = Math.min(4, Math.floor(value.length / 2));
  return STAR.repeat(value.length - keep) + value.slice(value.length - keep);
}

/** `511302199001011234` → `5113**********1234` (first 4 = province and city, last 4). */
export function maskIdNumber(value: string): string {
  const v = value.trim();
  if (v.length !== 18) return tailOnly(v);
  return v.slice(0, 4) + STAR.repeat(10) + v.slice(14);
}

/** `13812345678` → `138****5678`; a landline `0817-2345678` → `0817-***5678`. */
export function maskPhone(value: string): string {
  const v = value.trim();
  // Masked already (a viewer's device holds the server's masked registry, docs/security.md): shown as it is.
  if (/^1\d{2}\*{4}\d{4}$/.test(v) || /^0\d{2,3}-\*{3,4}\d{4}$/.test(v)) return v;
  if (/^1\d{10}$/.test(v)) return v.slice(0, 3) + STAR.repeat(4) + v.slice(7);
  const landline = /^(0\d{2,3})-(\d{7,8})$/.exec(v);
  if (landline?.[1] !== undefined && landline[2] !== undefined) {
    // The area code is public knowledge (it says which city), the local number is not.
    const local = landline[2];
    return `${landline[1]}-${STAR.repeat(local.length - 4)}${local.slice(-4)}`;
  }
  return tailOnly(v);
}
