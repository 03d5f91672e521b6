/**
 * Keys for matching the names people write for the same building, entrance or door in different sheets:
 * "3栋", "3 号楼", "３幢" and "3" are one building; "1单元" and "一单元" one entrance; "301室" and "301" one door.
 */

const CHINESE_DIGITS: Readonly<Record<string, string>> = {
  零: '0',
  〇: '0',
  一: '1',
  二: '2',
  两: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
};

/** NFKC folds full-width letters, digits and brackets to ASCII; whitespace never carries meaning in these cells. */
export function normaliseCell(value: string): string {
  return value.normalize('NFKC').replace(/\s+/g, '');
}

function chineseNumber(value: string): string {
  // Only the simple forms offices write for small numbers: 一 .. 九, 十, 十一 .. 十九, 二十 .. 九十九.
  return value.replace(/[一二两三四五六七八九]?十[一二三四五六七八九]?|[零〇一二两三四五六七八九]/g, (match) => {
    if (!match.includes('十')) return CHINESE_DIGITS[match] ?? match;
    const [tens, ones] = match.split('十');
    const t = tens === undefined || tens === '' ? 1 : Number(CHINESE_DIGITS[tens] ?? '1');
    const o = ones === undefined || ones === '' ? 0 : Number(CHINESE_DIGITS[ones] ?? '0');
    return String(t * 10 + o);
  });
}

function stripLeadingZeros(value: string): string {
  return value.replace(/^0+(?=\d)/, '');
}

export function buildingKey(name: string): string {
  const v = chineseNumber(normaliseCell(name)).toLowerCase();
  return stripLeadingZeros(v.replace(/(号楼|号|栋|幢|楼|座)$/, '').replace(/^第/, ''));
}

export function entranceKey(name: string): string {
  const v = chineseNumber(normaliseCell(name)).toLowerCase();
  return stripLeadingZeros(v.replace(/(单元|门洞|门)$/, '').replace(/^第/, ''));
}

export function doorKey(door: string): string {
  return stripLeadingZeros(
    normaliseCell(door)
      .toLowerCase()
      .replace(/(室|号|户)$/, ''),
  );
}

export function compoundKey(name: string): string {
  return normaliseCell(name).toLowerCase();
}
