/**
 * The server's guard of what the law makes permanent (rules: shared/ydoc/permanent.ts; docs/sync-server.md,
 * "Security"). A hostile or broken editor can send an update that deletes audit entries or signatures, or overwrites
 * a lock. Refusing such an update would also refuse the honest offline work that came with it (a laptop sends days
 * of edits as one sync-step-2) and the laptop would send it again at every reconnect; so the server stores it like
 * any other, and in the same step, before anything is relayed, writes an update of its own that puts back what it
 * removed. Other devices receive both as one message and never see the removal; a device joining later receives the
 * restored document.
 *
 * Two steps around `Y.applyUpdate`:
 * 1. `inspect`, before applying: from the update's delete set and its new map values, what of the permanent
 *    structures it would remove or replace, captured (values cloned) while the document still holds them.
 * 2. `restore`, after applying, inside a transaction of the server: puts back what is missing or changed.
 *
 * Both read Yjs's struct store (the same calls Yjs makes when it encodes); neither throws on any update that
 * `Y.decodeUpdate` could read (the caller still guards them).
 */
import * as Y from 'yjs';
import { canonicalJson } from '@shared/ydoc/cases';
import { ANY_KEY, matchesPath, type PermanentRules, type SetOnceRule } from '@shared/ydoc/permanent';

type Decoded = ReturnType<typeof Y.decodeUpdate>;
// Yjs types are generic over their content; the guard reads them as they come.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs's own signature for any shared type
type AnyType = Y.AbstractType<any>;

/** Something the update removed, captured before it was applied. */
export type Capture =
  | {
      readonly kind: 'entry';
      readonly array: Y.Array<unknown>;
      readonly index: number;
      readonly values: unknown[];
      readonly path: string;
    }
  | {
      readonly kind: 'key';
      readonly map: Y.Map<unknown>;
      readonly key: string;
      readonly value: unknown;
      readonly json: string;
      readonly path: string;
    }
  | {
      readonly kind: 'array';
      readonly map: Y.Map<unknown>;
      readonly key: string;
      readonly entries: unknown[];
      readonly jsons: string[];
      readonly path: string;
    };

/** What `restore` put back, for the log and the admin's list of attempts. */
export interface Restored {
  readonly path: string;
  readonly kind: Capture['kind'];
  /** Entries (or one value) put back. */
  readonly count: number;
}

const jsonOf = (value: unknown): string => canonicalJson(value instanceof Y.AbstractType ? value.toJSON() : value);

/** A value that can be inserted again: Yjs types are cloned (an integrated type cannot be inserted twice). */
const cloneValue = (value: unknown): unknown => (value instanceof Y.AbstractType ? value.clone() : value);

export class PermanentGuard {
  constructor(
    private readonly doc: Y.Doc,
    private readonly rules: PermanentRules,
  ) {
    // A top-level type the server never asked for stays an untyped AbstractType (Yjs types it on first `get`), and
    // `instanceof Y.Array` / `Y.Map` would not see it: type the roots the rules name.
    for (const path of rules.appendOnly) typeRoot(doc, path, path.length === 1 ? 'array' : 'map');
    for (const rule of rules.setOnce) typeRoot(doc, rule.path, 'map');
  }

  /** The path of a shared type from the document's root (`#` for an array position), or null if it is detached. */
  private pathOf(type: AnyType, roots: Map<AnyType, string>): string[] | null {
    const path: string[] = [];
    let current: AnyType = type;
    for (let depth = 0; depth < 64; depth++) {
      const item = current._item;
      if (item === null) {
        const name = roots.get(current);
        if (name === undefined) return null;
        path.unshift(name);
        return path;
      }
      path.unshift(item.parentSub ?? '#');
      const parent = item.parent;
      if (!(parent instanceof Y.AbstractType)) return null;
      current = parent;
    }
    return null;
  }

  private roots(): Map<AnyType, string> {
    const roots = new Map<AnyType, string>();
    for (const [name, type] of this.doc.share) roots.set(type, name);
    return roots;
  }

  private isAppendOnly(path: readonly string[]): boolean {
    return this.rules.appendOnly.some((pattern) => matchesPath(path, pattern));
  }

  private setOnceRule(path: readonly string[], key: string): SetOnceRule | undefined {
    return this.rules.setOnce.find(
      (rule) => (rule.key === ANY_KEY || rule.key === key) && matchesPath(path, rule.path),
    );
  }

  /**
   * What applying `decoded` would remove of the permanent structures. Reads only. `O(deleted items + new structs)`
   * with a binary search each: an honest update touching no permanent structure costs a few lookups.
   */
  inspect(decoded: Decoded): Capture[] {
    const store = this.doc.store;
    const captures: Capture[] = [];
    const seenKeys = new Set<string>();
    let roots: Map<AnyType, string> | null = null;
    const rootsOnce = (): Map<AnyType, string> => (roots ??= this.roots());

    /** A map value that is being replaced or deleted: a set-once key, or an append-only array under its key. */
    const captureKey = (map: Y.Map<unknown>, key: string, mapPath: string[]): void => {
      const marker = `${mapPath.join('/')}\u0000${key}`;
      if (seenKeys.has(marker)) return;
      const current = map._map.get(key);
      if (current === undefined || current.deleted) return;
      const value: unknown = map.get(key);
      const rule = this.setOnceRule(mapPath, key);
      const path = [...mapPath, key].join('/');
      if (rule !== undefined && value != null && this.holds(rule, map, value)) {
        seenKeys.add(marker);
        captures.push({ kind: 'key', map, key, value: cloneValue(value), json: jsonOf(value), path });
        return;
      }
      if (value instanceof Y.Array && this.isAppendOnly([...mapPath, key])) {
        seenKeys.add(marker);
        const entries = (value as Y.Array<unknown>).toArray();
        captures.push({
          kind: 'array',
          map,
          key,
          entries: entries.map(cloneValue),
          jsons: entries.map(jsonOf),
          path,
        });
      }
    };

    // What Yjs holds back as pending (structs or deletions waiting for others) is integrated together with this
    // update, so it is looked at too: sending the dependency after the overwrite must not slip past.
    const sources = [decoded, ...pendingOf(store)];

    // 1. Items the update deletes.
    for (const [client, ranges] of sources.flatMap((source) => [...source.ds.clients])) {
      const structs = store.clients.get(client);
      if (structs === undefined) continue;
      const state = Y.getState(store, client);
      for (const { clock, len } of ranges) {
        const end = Math.min(clock + len, state);
        if (!(len > 0) || clock < 0 || clock >= end) continue;
        for (let index = Y.findIndexSS(structs, clock); index < structs.length; index++) {
          const struct = structs[index];
          if (struct === undefined || struct.id.clock >= end) break;
          if (!(struct instanceof Y.Item) || struct.deleted) continue;
          const parent = struct.parent;
          if (!(parent instanceof Y.AbstractType) || parent._item?.deleted === true) continue;
          const parentPath = this.pathOf(parent, rootsOnce());
          if (parentPath === null) continue;
          if (struct.parentSub !== null) {
            if (parent instanceof Y.Map) captureKey(parent as Y.Map<unknown>, struct.parentSub, parentPath);
            continue;
          }
          if (!(parent instanceof Y.Array) || !this.isAppendOnly(parentPath) || !struct.countable) continue;
          // Only the part of the item inside the range is deleted (an item may hold several entries).
          const from = Math.max(clock, struct.id.clock) - struct.id.clock;
          const to = Math.min(end, struct.id.clock + struct.length) - struct.id.clock;
          const values = struct.content.getContent().slice(from, to);
          captures.push({
            kind: 'entry',
            array: parent as Y.Array<unknown>,
            index: liveIndexOf(struct) + from,
            values: values.map(cloneValue),
            path: parentPath.join('/'),
          });
        }
      }
    }

    // 2. New map values that may win over a current one: a value placed after an existing value of the same key
    //    (its origin) replaces it when it is integrated, with nothing in the update's delete set.
    for (const struct of sources.flatMap((source) => source.structs)) {
      if (!(struct instanceof Y.Item) || struct.origin === null) continue;
      const origin = struct.origin;
      if (origin.clock >= Y.getState(store, origin.client)) continue;
      const originItem = Y.getItem(store, origin);
      if (!(originItem instanceof Y.Item) || originItem.parentSub === null) continue;
      const parent = originItem.parent;
      if (!(parent instanceof Y.Map) || parent._item?.deleted === true) continue;
      const parentPath = this.pathOf(parent, rootsOnce());
      if (parentPath !== null) captureKey(parent as Y.Map<unknown>, originItem.parentSub, parentPath);
    }
    return captures;
  }

  private holds(rule: SetOnceRule, map: Y.Map<unknown>, value: unknown): boolean {
    if (rule.when === 'locked') return map.get('lockedAt') != null;
    if (rule.when === 'signed') return value instanceof Y.Map && value.get('signedContent') != null;
    return true;
  }

  /**
   * Puts back what the applied update removed. Call inside a transaction; returns what was restored (nothing when
   * the update left the permanent structures as they were).
   */
  restore(captures: readonly Capture[]): Restored[] {
    const restored: Restored[] = [];
    // Whole values first (a signed record put back whole holds its entries already), then entries by position.
    for (const capture of captures) {
      if (capture.kind === 'key') {
        if (!isAlive(capture.map)) continue;
        const current: unknown = capture.map.get(capture.key);
        if (jsonOf(current ?? null) === capture.json) continue;
        capture.map.set(capture.key, capture.value);
        restored.push({ path: capture.path, kind: 'key', count: 1 });
      } else if (capture.kind === 'array') {
        if (!isAlive(capture.map)) continue;
        const current: unknown = capture.map.get(capture.key);
        const currentEntries = current instanceof Y.Array ? (current as Y.Array<unknown>).toArray() : [];
        const currentJsons = new Set(currentEntries.map(jsonOf));
        const missing = capture.jsons.filter((json) => !currentJsons.has(json)).length;
        if (current instanceof Y.Array && missing === 0) continue;
        const known = new Set(capture.jsons);
        const added = currentEntries.filter((entry) => !known.has(jsonOf(entry))).map(cloneValue);
        capture.map.set(
          capture.key,
          // JSON entries or cloned Yjs types: what Yjs accepts; its typing cannot see that through `unknown`.
          Y.Array.from([...capture.entries, ...added] as never[]),
        );
        restored.push({ path: capture.path, kind: 'array', count: missing });
      }
    }
    const entries = captures
      .filter((c): c is Extract<Capture, { kind: 'entry' }> => c.kind === 'entry')
      .sort((a, b) => a.index - b.index);
    for (const capture of entries) {
      if (!isAlive(capture.array)) continue;
      // Entries are JSON or Yjs types cloned from the array itself: what it held.
      capture.array.insert(Math.min(capture.index, capture.array.length), capture.values);
      restored.push({ path: capture.path, kind: 'entry', count: capture.values.length });
    }
    return restored;
  }
}

function typeRoot(doc: Y.Doc, path: readonly string[], kind: 'array' | 'map'): void {
  const [name] = path;
  if (name === undefined) return;
  try {
    if (kind === 'array') doc.getArray(name);
    else doc.getMap(name);
  } catch {
    // Defined as another type in this document: the rule cannot match it; nothing to guard.
  }
}

/** The updates Yjs holds back in a store, decoded (they are kept in the v2 encoding). */
function pendingOf(store: Y.Doc['store']): Decoded[] {
  const pending: Decoded[] = [];
  if (store.pendingStructs !== null) pending.push(Y.decodeUpdateV2(store.pendingStructs.update));
  if (store.pendingDs !== null) pending.push(Y.decodeUpdateV2(store.pendingDs));
  return pending;
}

/** A type still in the document: neither it nor any type holding it is deleted. */
function isAlive(type: AnyType): boolean {
  for (let item = type._item; item !== null;) {
    if (item.deleted) return false;
    const parent = item.parent;
    item = parent instanceof Y.AbstractType ? parent._item : null;
  }
  return true;
}

/** The position of an array item among the live entries before it. */
function liveIndexOf(item: Y.Item): number {
  let index = 0;
  for (let left = item.left; left !== null; left = left.left) {
    if (!left.deleted && left.countable) index += left.length;
  }
  return index;
}

/** Entries appended to a document's top-level audit arrays by one transaction (to compare authors with the token). */
export function auditEntriesAdded(transaction: Y.Transaction, auditArrays: readonly Y.Array<unknown>[]): unknown[] {
  const added: unknown[] = [];
  const store = transaction.doc.store;
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0;
    if (after <= before) continue;
    const structs = store.clients.get(client);
    if (structs === undefined) continue;
    for (let index = Y.findIndexSS(structs, before); index < structs.length; index++) {
      const struct = structs[index];
      if (struct === undefined || struct.id.clock >= after) break;
      if (!(struct instanceof Y.Item) || struct.deleted) continue;
      if (!auditArrays.includes(struct.parent as Y.Array<unknown>)) continue;
      const content: unknown[] = struct.content.getContent();
      added.push(...content);
    }
  }
  return added;
}
