import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@shared/domain/registry/demo';
import { matchPrepared, prepareQuery, type ResidentMatch } from '@shared/domain/registry/search';
import { ResidentSearchIndex } from '@shared/domain/registry/searchIndex';
import { residentGenerator, type GeneratedResident } from './searchFixture';

type Answer = [id: string, match: ResidentMatch][];

/** What the store did before the index: one pass over every row in the map's order. */
function scan(rows: ReadonlyMap<string, GeneratedResident>, query: string): Answer {
  const prepared = prepareQuery(query);
  const out: Answer = [];
  for (const row of rows.values()) {
    const match = matchPrepared(row.keys, prepared);
    if (match) out.push([row.id, match]);
  }
  return out;
}

/** The index's matches, each with the kind `matchPrepared` names (null would be a row the scan does not match). */
function indexed(index: ResidentSearchIndex<GeneratedResident>, query: string): [string, ResidentMatch | null][] {
  const prepared = prepareQuery(query);
  return index.matches(prepared).map((row) => [row.id, matchPrepared(row.keys, prepared)]);
}

const toFullWidth = (text: string) =>
  text.replace(/[0-9a-zA-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** Queries a person types, taken from the residents themselves (so most find someone) and a few that find no one. */
function queriesFor(rows: readonly GeneratedResident[], seed: number): string[] {
  const next = mulberry32(seed);
  const pick = () => rows[Math.floor(next() * rows.length)] as GeneratedResident;
  const typed = (word: string) => Array.from({ length: word.length }, (_, i) => word.slice(0, i + 1));
  const queries = new Set<string>([
    'z',
    'zh',
    'zha',
    'zhan',
    'zhang',
    'zs',
    'ceng',
    'zeng',
    'shan',
    'dan',
    'xie',
    'jie',
  ]);
  for (const q of ['ou', 'qiu', 'chou', 'piao', 'zha', 'cha', 'yue', 'le', 'yuechi', 'ouyang', 'anna', '张', '张伟'])
    queries.add(q);
  for (const q of ['0011', '5678', '001x', '001X', '0', '00', '001', '1', '12', '3栋', '3栋2单元', '号北湖', '𠮷'])
    queries.add(q);
  for (const q of ['', '  ', 'qqqq', '龘', '9999', 'zs1', '张3', 'z s', '０８１７', 'ＺＳ', '-', '·']) queries.add(q);
  for (let i = 0; i < 40; i++) {
    const { keys } = pick();
    for (const q of typed(keys.initials)) queries.add(q);
    for (const q of typed(keys.fullPinyin.slice(0, 6))) queries.add(q);
    for (const alt of keys.altPinyin) queries.add(alt.slice(0, 4));
    queries.add(keys.name);
    queries.add(keys.name.slice(1));
    queries.add(keys.idTail4);
    queries.add(keys.idTail4.toLowerCase());
    if (keys.phoneTail4) queries.add(keys.phoneTail4);
    queries.add(keys.address.slice(3, 9));
    queries.add(toFullWidth(keys.idTail4));
    queries.add(`${keys.name.charAt(0)}${keys.address.charAt(4)}`);
  }
  return [...queries];
}

/** Applies the same change to the old map and to the index. */
class Both {
  readonly map = new Map<string, GeneratedResident>();
  readonly index = new ResidentSearchIndex<GeneratedResident>();
  set(row: GeneratedResident): void {
    this.map.set(row.id, row);
    this.index.set(row);
  }
  delete(id: string): void {
    this.map.delete(id);
    this.index.delete(id);
  }
  /** A rebuild or a first sync: everyone at once, in the order the projection lists them. */
  everyone(rows: readonly GeneratedResident[]): void {
    this.map.clear();
    this.index.clear();
    for (const row of rows) this.set(row);
  }
}

function expectSameAnswers(both: Pick<Both, 'map' | 'index'>, queries: readonly string[]): number {
  let found = 0;
  for (const query of queries) {
    const expected = scan(both.map, query);
    const actual = indexed(both.index, query);
    // Compared as text first (thousands of rows per query): the deep comparison only to show a difference.
    if (JSON.stringify(actual) !== JSON.stringify(expected))
      expect(actual, `query ${JSON.stringify(query)}`).toEqual(expected);
    if (expected.length > 0) found += 1;
  }
  return found;
}

describe('ResidentSearchIndex', () => {
  const generate = residentGenerator(22);
  const start = Array.from({ length: 3000 }, () => generate.resident());

  it('answers every query exactly as the scan does: same residents, same kind of match, same order', () => {
    const both = new Both();
    both.everyone(start);
    const queries = queriesFor(start, 1);
    const found = expectSameAnswers(both, queries);
    // The queries find people (a comparison of two empty answers would prove nothing).
    expect(found).toBeGreaterThan(queries.length * 0.7);
    expect(scan(both.map, 'x').length + scan(both.map, '0011').length).toBeGreaterThan(0);
  });

  it('has generated what the comparison must cover: polyphonic surnames, ID numbers with X, no phone, Latin names', () => {
    const keys = start.map((row) => row.keys);
    expect(
      keys.some(
        (k) => k.name.startsWith('曾') && k.initials.startsWith('z') && k.altPinyin.some((a) => a.startsWith('c')),
      ),
    ).toBe(true);
    expect(keys.some((k) => k.idTail4.endsWith('X'))).toBe(true);
    expect(keys.some((k) => k.phoneTail4 === '')).toBe(true);
    expect(keys.some((k) => /[A-Za-z]/.test(k.name))).toBe(true);
    expect(keys.some((k) => /[０-９]/.test(k.address))).toBe(true);
  });

  it('stays the same as the scan while edits, deletions and new residents arrive by sync, row by row', () => {
    const both = new Both();
    both.everyone(start);
    const next = mulberry32(5);
    let live = [...start];
    const removed: GeneratedResident[] = [];
    for (let round = 0; round < 5; round++) {
      const pickIndex = () => Math.floor(next() * live.length);
      for (let i = 0; i < 150; i++) {
        const at = pickIndex();
        const edited =
          next() < 0.8
            ? generate.edited(live[at] as GeneratedResident)
            : generate.toggledDeleted(live[at] as GeneratedResident);
        live[at] = edited;
        both.set(edited);
      }
      for (let i = 0; i < 60; i++) {
        const [gone] = live.splice(pickIndex(), 1);
        if (gone) {
          removed.push(gone);
          both.delete(gone.id);
        }
      }
      // Some come back (an undone removal: last in the order), some are new.
      for (const back of removed.splice(0, 20)) {
        live.push(back);
        both.set(back);
      }
      for (let i = 0; i < 40; i++) {
        const fresh = generate.resident();
        live.push(fresh);
        both.set(fresh);
      }
      // The same row told twice in one batch, unchanged: nothing moves.
      const again = live[pickIndex()] as GeneratedResident;
      both.set({ ...again });
      if (round === 3) {
        // A rebuild lists everyone in another order.
        live = [...live].reverse();
        both.everyone(live);
      }
      expect(both.index.size).toBe(both.map.size);
      expect([...both.index.values()].map((row) => row.id)).toEqual([...both.map.keys()]);
      expectSameAnswers(both, queriesFor(live, 100 + round));
    }
  });

  it('answers the same while it is built in slices, with edits and deletions arriving meanwhile', () => {
    const both = new Both();
    for (const row of start) both.map.set(row.id, row);
    const index = new ResidentSearchIndex(start, { deferred: true });
    const queries = queriesFor(start, 7).slice(0, 80);
    const next = mulberry32(9);
    const live = [...start];
    let left = true;
    for (let slice = 0; left; slice++) {
      expectSameAnswers({ map: both.map, index }, queries);
      left = index.indexSome(700);
      // Edits of rows already indexed and of rows still waiting, a removal, a newcomer (waits with the others).
      for (let i = 0; i < 20; i++) {
        const at = Math.floor(next() * live.length);
        const edited = generate.edited(live[at] as GeneratedResident);
        live[at] = edited;
        both.map.set(edited.id, edited);
        index.set(edited);
      }
      const [gone] = live.splice(Math.floor(next() * live.length), 1);
      if (gone) {
        both.map.delete(gone.id);
        index.delete(gone.id);
      }
      const fresh = generate.resident();
      live.push(fresh);
      both.map.set(fresh.id, fresh);
      index.set(fresh);
      if (slice === 2) {
        // A first sync lists everyone again while the slices run.
        both.map.clear();
        for (const row of live) both.map.set(row.id, row);
        index.replaceAll(live);
      }
      if (!left) left = index.indexSome(700);
    }
    expectSameAnswers({ map: both.map, index }, queries);
    expect([...index.values()].map((row) => row.id)).toEqual([...both.map.keys()]);
  });

  it('forgets the old keys of an edited resident and finds the new ones', () => {
    const index = new ResidentSearchIndex(start);
    const before = start[5] as GeneratedResident;
    const after = {
      ...before,
      keys: {
        ...before.keys,
        name: '龘龘',
        initials: 'qqq',
        fullPinyin: 'qqqqqq',
        altPinyin: [],
        phoneTail4: '0000',
        idTail4: '000X',
      },
    };
    index.set(after);
    const ids = (query: string) => index.matches(prepareQuery(query)).map((row) => row.id);
    expect(ids('龘')).toEqual([before.id]);
    expect(ids('qqqq')).toEqual([before.id]);
    expect(ids('000x')).toContain(before.id);
    expect(ids(before.keys.initials)).not.toContain(before.id);
    index.delete(before.id);
    expect(ids('龘')).toEqual([]);
    expect(index.get(before.id)).toBeUndefined();
  });
});
