/**
 * Resident search as community offices use it: by name, by pinyin initials (`zs` finds 张三), by full pinyin, by the
 * last four digits of the ID number or phone (what people read out over the phone), and by address.
 *
 * `residentSearchKeys` (./searchKeys.ts, with pinyin-pro) is computed once per resident (the renderer stores the keys in
 * a projection table); `matchResident` (here, without pinyin-pro: the app's start bundle needs only this) decides
 * whether one resident matches. A keystroke asks it only of the residents `ResidentSearchIndex` (./searchIndex.ts)
 * names as candidates, not of all 100,000 of a street office (docs/registry-model.md, "Resident search and its index").
 */

export interface ResidentSearchKeys {
  readonly name: string;
  /** Pinyin initials with surnames read as surnames: 曾 zeng, 单 shan, 解 xie, 区 ou (pinyin-pro `mode: 'surname'`). */
  readonly initials: string;
  readonly fullPinyin: string;
  /**
   * Other readings worth matching: the everyday reading of the whole name (a user typing 曾 as "ceng" still finds it)
   * and given-name characters read in their common sound. Initials and full forms, de-duplicated.
   */
  readonly altPinyin: readonly string[];
  readonly idTail4: string;
  readonly phoneTail4: string;
  readonly address: string;
}

export type ResidentMatch = 'name' | 'initials' | 'pinyin' | 'id-tail' | 'phone-tail' | 'address';

/**
 * How a query matches a resident, or null. Queries are trimmed, case- and width-folded (full-width "ＺＳ" works):
 * - 4 characters of digits (last may be X) match the ID or phone tail;
 * - Latin letters match initials or full pinyin as a prefix;
 * - anything else matches a substring of the name or the address.
 */
export function matchResident(keys: ResidentSearchKeys, query: string): ResidentMatch | null {
  return matchPrepared(keys, prepareQuery(query));
}

export interface PreparedQuery {
  readonly q: string;
  /** Four digits (the last may be X): an ID or phone tail. */
  readonly tail: boolean;
  /** Latin letters only: pinyin. */
  readonly latin: boolean;
}

/** How queries and addresses are folded before they are compared: width (NFKC), white space, case. */
export function foldText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/** Folds and classifies a query once, so a search over many residents does neither per resident. */
export function prepareQuery(query: string): PreparedQuery {
  const q = foldText(query);
  return { q, tail: /^\d{3}[\dx]$/.test(q), latin: /^[a-z]+$/.test(q) };
}

const folded = new WeakMap<ResidentSearchKeys, string>();

/** `matchResident` for a query already prepared by `prepareQuery`. */
export function matchPrepared(keys: ResidentSearchKeys, { q, tail, latin }: PreparedQuery): ResidentMatch | null {
  if (q === '') return null;
  if (tail) {
    if (keys.idTail4.toLowerCase() === q) return 'id-tail';
    if (keys.phoneTail4 === q) return 'phone-tail';
  }
  if (latin) {
    if (keys.initials.startsWith(q)) return 'initials';
    if (keys.fullPinyin.startsWith(q)) return 'pinyin';
    if (keys.altPinyin.some((alt) => alt.startsWith(q))) return 'pinyin';
    return null;
  }
  if (keys.name.includes(q)) return 'name';
  // The folded address is computed once per keys object and remembered.
  let address = folded.get(keys);
  if (address === undefined) {
    address = foldText(keys.address);
    folded.set(keys, address);
  }
  if (address.includes(q)) return 'address';
  return null;
}
