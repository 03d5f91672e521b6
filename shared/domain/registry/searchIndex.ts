/**
 * An index over residents' search keys (./search.ts), so that a keystroke looks at the residents who match instead of
 * at all of them (issue 22: a street office of 100,000 residents). The rules it keeps are written in docs/
 * registry-model.md, "Resident search and its index":
 *
 * - **It answers exactly what the scan answers**: `matches` returns the rows `matchPrepared` accepts, no more, no
 *   fewer, in the order a pass over everyone meets them; the kind of match ('initials' before 'pinyin', 'id-tail'
 *   before 'name'…) is still named by `matchPrepared`. tests/unit/shared/domain/registry/searchIndex.test.ts compares
 *   both on generated residents, through edits and deletions.
 * - **The order is arrival order**, the iteration order of a `Map` of rows by id: a row keeps its place when it is
 *   replaced, goes last when it is new (or removed and added again). Each row gets a sequence number when it arrives;
 *   matches are collected as marks by sequence number and read back in that order.
 * - **It is kept in step row by row**: `set` and `delete` touch only that row's entries, never the whole index.
 * - **It lives in memory only** (docs/security.md: search keys are never written to disk in clear).
 * - **It can be built in slices** (`deferred`, then `indexSome`): the rows not indexed yet are checked one by one with
 *   `matchPrepared` by every query meanwhile, so the answers are the same before, during and after.
 *
 * How a query (classified by `prepareQuery`) is answered:
 * - an ID or phone tail (4 digits, the last may be X): a table from tail to residents;
 * - Latin letters: a trie of the pinyin keys (initials, full pinyin, other readings) cut at depth 6, whose leaves
 *   hold the residents with a key starting with those letters; a longer query is checked against the keys of its
 *   leaf's residents;
 * - anything else (and a tail too: it also matches a name or an address holding it): for names, the residents whose
 *   name holds the query's rarest character, checked; for addresses, each distinct address is tested once for all the
 *   people living there (a household's members share it).
 */
import { foldText, matchPrepared, type PreparedQuery, type ResidentSearchKeys } from './search';

/** What the index needs of a row: its id and its search keys. */
export interface IndexedResident {
  readonly id: string;
  readonly keys: ResidentSearchKeys;
}

/**
 * Depth of the pinyin trie: a leaf holds the residents with one of their pinyin keys starting with those letters. Six
 * letters hold a surname's full pinyin and the start of the given name ("zhangw"), or whole initials: what people
 * type before the list is short. At depth 3, "wang" and "wangw" checked the keys of the 19,000 residents below "wan"
 * (of 100,000), 10 ms a keystroke on the benchmark's machine; the inner nodes of the deeper trie cost about 2 MiB more.
 */
const TRIE_DEPTH = 6;

/**
 * The index terms of one row's keys. Not kept: they are computed again from the row's keys to remove them (a few
 * short strings per resident would be a third of the index's memory at 100,000 residents).
 */
interface Indexed {
  readonly tails: readonly string[];
  readonly leaves: readonly string[];
  readonly nameUnits: readonly string[];
  readonly address: string;
}

/** Pushes a value unless it is empty or there already (lists of a few items: cheaper than a Set). */
function pushNew(list: string[], value: string): void {
  if (value !== '' && !list.includes(value)) list.push(value);
}

function indexedOf(keys: ResidentSearchKeys, fold: (address: string) => string): Indexed {
  const tails: string[] = [];
  // `matchPrepared` compares the ID tail lower-cased (x) and the phone tail as it is.
  pushNew(tails, keys.idTail4.toLowerCase());
  pushNew(tails, keys.phoneTail4);
  const leaves: string[] = [];
  pushNew(leaves, keys.initials.slice(0, TRIE_DEPTH));
  pushNew(leaves, keys.fullPinyin.slice(0, TRIE_DEPTH));
  for (const alt of keys.altPinyin) pushNew(leaves, alt.slice(0, TRIE_DEPTH));
  // UTF-16 code units, not characters: `includes` compares code units, so a name holding the query holds each of its
  // units (a rare character outside the BMP included).
  const nameUnits: string[] = [];
  for (let i = 0; i < keys.name.length; i++) pushNew(nameUnits, keys.name.charAt(i));
  return { tails, leaves, nameUnits, address: fold(keys.address) };
}

/** `matchPrepared`'s test of a query of letters against the pinyin keys. */
function startsWithAny(keys: ResidentSearchKeys, q: string): boolean {
  return (
    keys.initials.startsWith(q) || keys.fullPinyin.startsWith(q) || keys.altPinyin.some((alt) => alt.startsWith(q))
  );
}

/** `foldText` remembering its answers for one pass (the members of a household share an address). */
function memoFold(): (address: string) => string {
  const folded = new Map<string, string>();
  return (address) => {
    let result = folded.get(address);
    if (result === undefined) {
      result = foldText(address);
      folded.set(address, result);
    }
    return result;
  };
}

function sameList(x: readonly string[], y: readonly string[]): boolean {
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function sameIndexed(a: Indexed, b: Indexed): boolean {
  return (
    a.address === b.address &&
    sameList(a.tails, b.tails) &&
    sameList(a.leaves, b.leaves) &&
    sameList(a.nameUnits, b.nameUnits)
  );
}

/**
 * Postings are plain arrays of sequence numbers, in no order (matches are put in order once per query): an array
 * costs a quarter of a Set's memory at 100,000 residents and far less garbage to build. Removing finds the number
 * (a few thousand at most, for the commonest surname's character) and moves the last one into its place.
 */
function add<K>(map: Map<K, number[]>, key: K, seq: number): void {
  const list = map.get(key);
  if (list) list.push(seq);
  else map.set(key, [seq]);
}

/** Removes a sequence number; returns true when its list became empty (and was dropped). */
function remove<K>(map: Map<K, number[]>, key: K, seq: number): boolean {
  const list = map.get(key);
  if (!list) return false;
  const at = list.indexOf(seq);
  if (at < 0) return false;
  const last = list.pop() as number;
  if (at < list.length) list[at] = last;
  if (list.length > 0) return false;
  map.delete(key);
  return true;
}

export class ResidentSearchIndex<Row extends IndexedResident> {
  /** Sequence numbers by id, in arrival order (the order the scan iterated its map of rows in). */
  private readonly seqs = new Map<string, number>();
  /** Rows by sequence number (a removed row leaves a hole; a number is never given twice until `clear`). */
  private slots: (Row | undefined)[] = [];
  /** ID tail (lower-cased) or phone tail → sequence numbers. */
  private readonly tails = new Map<string, number[]>();
  /** Trie leaves: the first `TRIE_DEPTH` letters of a pinyin key (or the whole, shorter key) → sequence numbers. */
  private readonly leaves = new Map<string, number[]>();
  /** The trie's inner nodes: a prefix shorter than `TRIE_DEPTH` → the leaves below it. */
  private readonly inner = new Map<string, Set<string>>();
  /** A code unit of a name → sequence numbers. */
  private readonly nameUnits = new Map<string, number[]>();
  /** A folded address (as `matchPrepared` folds it) → the sequence numbers of the people living there. */
  private readonly addresses = new Map<string, number[]>();

  /**
   * Rows with a sequence number below this have their terms in the index; the rest (a community just read, given
   * `deferred`) wait for `indexSome`, and `matches` checks them one by one.
   */
  private built = 0;

  /**
   * `deferred`: the rows are taken in (ids, order) but not indexed yet; `indexSome` indexes them a slice at a time
   * (100,000 at once hold a thread for most of a second; docs/bench-store.md, "Indexed search").
   */
  constructor(rows: Iterable<Row> = [], options: { readonly deferred?: boolean } = {}) {
    if (options.deferred === true) this.takeIn(rows);
    else {
      const fold = memoFold();
      for (const row of rows) this.put(row, fold);
    }
  }

  /** Everyone at once (a rebuild, a first sync), in their order, indexed later by `indexSome`. */
  replaceAll(rows: Iterable<Row>): void {
    this.clear();
    this.takeIn(rows);
  }

  private takeIn(rows: Iterable<Row>): void {
    for (const row of rows) {
      const seq = this.seqs.get(row.id);
      if (seq !== undefined && seq >= this.built) this.slots[seq] = row;
      else if (seq !== undefined) this.put(row, foldText);
      else {
        this.seqs.set(row.id, this.slots.length);
        this.slots.push(row);
      }
    }
  }

  /** Indexes up to `count` more rows; true while some are left. */
  indexSome(count: number): boolean {
    const fold = memoFold();
    const end = Math.min(this.slots.length, this.built + count);
    for (let seq = this.built; seq < end; seq++) {
      const row = this.slots[seq];
      if (row) this.addTerms(seq, indexedOf(row.keys, fold));
    }
    this.built = end;
    return this.built < this.slots.length;
  }

  get size(): number {
    return this.seqs.size;
  }

  has(id: string): boolean {
    return this.seqs.has(id);
  }

  get(id: string): Row | undefined {
    const seq = this.seqs.get(id);
    return seq === undefined ? undefined : this.slots[seq];
  }

  /** Every row, in arrival order. */
  *values(): IterableIterator<Row> {
    for (const seq of this.seqs.values()) {
      const row = this.slots[seq];
      if (row) yield row;
    }
  }

  /** Adds a row, or replaces the row of the same id (which keeps its place); only this row's entries change. */
  set(row: Row): void {
    this.put(row, foldText);
  }

  private put(row: Row, fold: (address: string) => string): void {
    const seq = this.seqs.get(row.id);
    if (seq === undefined) {
      const added = this.slots.length;
      this.seqs.set(row.id, added);
      this.slots.push(row);
      // Indexed at once unless rows before it still wait for `indexSome` (it waits with them).
      if (this.built === added) {
        this.addTerms(added, indexedOf(row.keys, fold));
        this.built = added + 1;
      }
      return;
    }
    const before = this.slots[seq];
    this.slots[seq] = row;
    if (!before || seq >= this.built || row.keys === before.keys) return;
    const old = indexedOf(before.keys, fold);
    const indexed = indexedOf(row.keys, fold);
    if (sameIndexed(indexed, old)) return;
    this.removeTerms(seq, old);
    this.addTerms(seq, indexed);
  }

  delete(id: string): boolean {
    const seq = this.seqs.get(id);
    if (seq === undefined) return false;
    const row = this.slots[seq];
    this.seqs.delete(id);
    this.slots[seq] = undefined;
    if (row && seq < this.built) this.removeTerms(seq, indexedOf(row.keys, foldText));
    return true;
  }

  clear(): void {
    this.slots = [];
    this.built = 0;
    for (const map of [this.seqs, this.tails, this.leaves, this.inner, this.nameUnits, this.addresses]) map.clear();
  }

  /**
   * The rows `matchPrepared` accepts for a prepared query, in arrival order: exactly those (the equivalence test runs
   * both on generated residents), so a caller counts them without asking `matchPrepared` again, and asks it only for
   * the kind of match of the rows it shows. An empty query matches nothing.
   */
  matches(query: PreparedQuery): Row[] {
    const { q, tail, latin } = query;
    if (q === '') return [];
    const slots = this.slots;
    // One mark per sequence number; walking them in order gives arrival order, repeats counted once.
    const marks = new Uint8Array(slots.length);
    const markAll = (list: readonly number[] | undefined) => {
      if (list) for (const seq of list) marks[seq] = 1;
    };
    if (latin) {
      // Letters match pinyin keys only (`matchPrepared` returns before names and addresses). A leaf holds the first
      // `TRIE_DEPTH` letters of a key: for a query of at most that many letters being in a leaf below it is the
      // match; a longer query is checked against the keys of its leaf's residents.
      if (q.length <= TRIE_DEPTH) {
        markAll(this.leaves.get(q));
        for (const leaf of this.inner.get(q) ?? []) markAll(this.leaves.get(leaf));
      } else {
        for (const seq of this.leaves.get(q.slice(0, TRIE_DEPTH)) ?? []) {
          const keys = slots[seq]?.keys;
          if (keys && startsWithAny(keys, q)) marks[seq] = 1;
        }
      }
      return this.marked(marks, query);
    }
    // An ID or phone tail is the tail itself; it also matches a name or an address holding it (below).
    if (tail) markAll(this.tails.get(q));
    // The name: among the residents holding the query's rarest code unit (none if one is in no name), those whose name
    // holds the query.
    let rarest: readonly number[] | undefined;
    for (let i = 0; i < q.length; i++) {
      const list = this.nameUnits.get(q.charAt(i));
      if (!list) {
        rarest = undefined;
        break;
      }
      if (!rarest || list.length < rarest.length) rarest = list;
    }
    for (const seq of rarest ?? []) {
      if (marks[seq] === 1) continue;
      if (q.length === 1 || slots[seq]?.keys.name.includes(q) === true) marks[seq] = 1;
    }
    // The address: each distinct address tested once for everyone living there.
    for (const [address, people] of this.addresses) if (address.includes(q)) markAll(people);
    return this.marked(marks, query);
  }

  /** The marked rows in arrival order, with those not indexed yet checked one by one. */
  private marked(marks: Uint8Array, query: PreparedQuery): Row[] {
    for (let seq = this.built; seq < marks.length; seq++) {
      const row = this.slots[seq];
      if (row && matchPrepared(row.keys, query) !== null) marks[seq] = 1;
    }
    const rows: Row[] = [];
    for (let seq = 0; seq < marks.length; seq++) {
      if (marks[seq] === 0) continue;
      const row = this.slots[seq];
      if (row) rows.push(row);
    }
    return rows;
  }

  private addTerms(seq: number, indexed: Indexed): void {
    for (const tail of indexed.tails) add(this.tails, tail, seq);
    for (const leaf of indexed.leaves) {
      if (!this.leaves.has(leaf)) {
        for (let i = 1; i < leaf.length; i++) {
          const prefix = leaf.slice(0, i);
          const below = this.inner.get(prefix);
          if (below) below.add(leaf);
          else this.inner.set(prefix, new Set([leaf]));
        }
      }
      add(this.leaves, leaf, seq);
    }
    for (const unit of indexed.nameUnits) add(this.nameUnits, unit, seq);
    if (indexed.address !== '') add(this.addresses, indexed.address, seq);
  }

  private removeTerms(seq: number, indexed: Indexed): void {
    for (const tail of indexed.tails) remove(this.tails, tail, seq);
    for (const leaf of indexed.leaves) {
      if (!remove(this.leaves, leaf, seq)) continue;
      for (let i = 1; i < leaf.length; i++) {
        const prefix = leaf.slice(0, i);
        const below = this.inner.get(prefix);
        below?.delete(leaf);
        if (below?.size === 0) this.inner.delete(prefix);
      }
    }
    for (const unit of indexed.nameUnits) remove(this.nameUnits, unit, seq);
    if (indexed.address !== '') remove(this.addresses, indexed.address, seq);
  }
}
