/**
 * The one order of names in lists (places, buildings, grids, units, households, party organisations): natural and
 * Chinese-aware, so 1栋 < 2栋 < 10栋 and 第一网格 < 第二网格 < 第十网格 (docs/domain.md, "Words"; issue 18).
 *
 * A name is cut into runs: digits (read as a number), Chinese numerals where they are the counting part (read as a
 * number: after 第, before a counter such as 栋/单元/网格/号, or the whole name), and the text between. Runs compare in
 * turn: numbers by value, before text; text by the zh-CN collation (pinyin order for characters, as the office expects
 * a list of names). Names that tie (1栋 and 一栋, 01 and 1) fall back to the collation of the whole name, then to the
 * code units, so the order is total and the same on every device.
 */

const DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };
const CHINESE_NUMERAL = /^[零〇一二两三四五六七八九十百千]+$/;
/** Characters that count things in a community's names: a Chinese numeral before one of them is a number. */
const COUNTERS = '栋幢号楼单层户网片区组院巷街期室队座排支门';

/**
 * The value of a Chinese numeral: 十二 = 12, 二十 = 20, 一百零五 = 105, 十 = 10; a run of digit characters without
 * units reads digit by digit (二〇二六 = 2026). `null` when it is not a well-formed numeral.
 */
export function chineseNumeralValue(text: string): number | null {
  if (text === '' || !CHINESE_NUMERAL.test(text)) return null;
  // Every numeral character is one UTF-16 code unit, so the string's code units are its characters.
  const chars = text.split('');
  if (!chars.some((ch) => ch in UNITS)) {
    if (chars.length === 1) return DIGITS[text] ?? null;
    return Number(chars.map((ch) => String(DIGITS[ch] ?? '')).join(''));
  }
  let total = 0;
  let digit: number | null = null;
  for (const ch of chars) {
    const unit = UNITS[ch];
    if (unit !== undefined) {
      total += (digit ?? 1) * unit;
      digit = null;
    } else {
      if (digit !== null && digit !== 0) return null; // two digits without a unit between: not a numeral
      digit = DIGITS[ch] ?? null;
    }
  }
  return total + (digit ?? 0);
}

type Run = { readonly kind: 'number'; readonly value: number } | { readonly kind: 'text'; readonly text: string };

const RUN = /(\d+)|([零〇一二两三四五六七八九十百千]+)|([^\d零〇一二两三四五六七八九十百千]+)/g;

function runsOf(name: string): Run[] {
  const runs: Run[] = [];
  const normalised = name.normalize('NFKC'); // full-width digits and letters as half-width
  for (const match of normalised.matchAll(RUN)) {
    const [whole, digits, chinese] = match;
    if (digits !== undefined) {
      runs.push({ kind: 'number', value: Number(digits) });
      continue;
    }
    if (chinese !== undefined) {
      const start = match.index;
      const before = normalised.charAt(start - 1);
      const after = normalised.charAt(start + whole.length);
      const counting =
        before === '第' || (after !== '' && COUNTERS.includes(after)) || whole.length === normalised.length;
      const value = counting ? chineseNumeralValue(chinese) : null;
      if (value !== null) {
        runs.push({ kind: 'number', value });
        continue;
      }
    }
    const last = runs[runs.length - 1];
    if (last !== undefined && last.kind === 'text') runs[runs.length - 1] = { kind: 'text', text: last.text + whole };
    else runs.push({ kind: 'text', text: whole });
  }
  return runs;
}

const collator = new Intl.Collator('zh-CN', { numeric: true });
const cache = new Map<string, Run[]>();
const CACHE_LIMIT = 50_000;

function cachedRuns(name: string): Run[] {
  let runs = cache.get(name);
  if (runs === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    runs = runsOf(name);
    cache.set(name, runs);
  }
  return runs;
}

/** Compares two names in the natural, Chinese-aware order described above (a comparator for `Array.prototype.sort`). */
export function naturalCompare(a: string, b: string): number {
  if (a === b) return 0;
  const ra = cachedRuns(a);
  const rb = cachedRuns(b);
  const n = Math.min(ra.length, rb.length);
  for (let i = 0; i < n; i++) {
    const x = ra[i] as Run;
    const y = rb[i] as Run;
    if (x.kind === 'number' && y.kind === 'number') {
      if (x.value !== y.value) return x.value < y.value ? -1 : 1;
    } else if (x.kind === 'number') {
      return -1;
    } else if (y.kind === 'number') {
      return 1;
    } else {
      const byText = collator.compare(x.text, y.text);
      if (byText !== 0) return byText;
    }
  }
  if (ra.length !== rb.length) return ra.length < rb.length ? -1 : 1;
  const whole = collator.compare(a, b);
  if (whole !== 0) return whole;
  return a < b ? -1 : 1;
}

/** Sorts a copy of `items` by the natural order of the name `nameOf` gives. */
export function naturalSort<T>(items: Iterable<T>, nameOf: (item: T) => string): T[] {
  return [...items].sort((x, y) => naturalCompare(nameOf(x), nameOf(y)));
}

/** A comparator on records by a name field, for `sort` calls: `list.sort(byNatural((b) => b.name))`. */
export function byNatural<T>(nameOf: (item: T) => string): (a: T, b: T) => number {
  return (x, y) => naturalCompare(nameOf(x), nameOf(y));
}
