/**
 * The masked twin of a yearly document (`<community>/cases-masked/<year>`, `…/meetings-masked/…`,
 * `…/tasks-masked/…`): the document as a viewer device receives it from the sync server (docs/security.md, "Does the
 * server send viewers masked ID numbers and phones?"). It has the document's layout, type for type (a `Y.Map` stays
 * a `Y.Map`, a `Y.Array` a `Y.Array`, a `Y.Text` a `Y.Text`), so every reader of the collection reads it unchanged;
 * only the values differ:
 *
 * - every plain value is masked as in the masked registry (`maskValue` of registryMasked.ts: `idNumber` and `phone`
 *   keys masked as such, any other text that holds an ID number or a mobile masked where it stands, a record's
 *   `@created` JSON masked inside);
 * - a file's content (any text starting with `data:`: photos of ID cards, signed paper pages, signature images) is
 *   withheld: `WITHHELD_DATA`, the empty data URL; its name, type and who added it stay;
 * - a `Y.Text` (a case's facts, a statement, a meeting's minutes) is typed one keystroke at a time, so its masked
 *   form must hide a number at every length it passes through, not only once complete (`maskTypedText`).
 *
 * Derivation is generic over the document's top-level shared types (maps of records with nested types, arrays,
 * texts): nothing here names a collection, so a collection added to `YEARLY_COLLECTIONS` gets its twin unchanged.
 * The server writes the twin, in its own transactions, from the document: `reconcileTwin` compares everything (at
 * load), `TwinChanges` collects what a document transaction touched and `applyTwinChanges` writes only that (map
 * keys, array inserts and deletes as the transaction made them, whole texts). Nothing here writes a full value into the
 * twin, so its history holds none either. Viewers write nothing to a twin (no access log there: the access log of
 * cases and meetings is the registry's), so nothing flows back.
 */
import * as Y from 'yjs';
import { maskIdNumber, maskPhone } from '../domain/registry/mask';
import { CREATED_FIELDS } from './created';
import { KEY_MASKS, MASK_DEPTH, maskText, maskValue, starDigits } from './registryMasked';

/** What a viewer's twin holds in place of a file's content: the empty data URL (a file withheld). */
export const WITHHELD_DATA = 'data:,';

/** A run of 5 or more digits (ASCII or full-width; an ID number's `X` with it) standing apart from letters, digits, `-`, `_`. */
const DIGIT_RUN =
  /(?<![0-9A-Za-z_\-\uFF10-\uFF19])[0-9\uFF10-\uFF19]{5,}(?:[Xx\uFF38\uFF58])?(?![0-9A-Za-z_\-\uFF10-\uFF19])/g;

/**
 * A mobile being typed in groups (`138-1234-5`, `+86 138 12`): a group of 3 starting 13-19, then up to two groups of
 * 1-4 digits, each after one space or hyphen. Its digits after the first 3 are starred while it is typed (once whole,
 * `maskText` has masked it as a mobile and it no longer matches).
 */
const GROUPED_MOBILE =
  /(?<![0-9A-Za-z_\-\uFF10-\uFF19])(?:[+\uFF0B]?(?:86|\uFF18\uFF16)[ \u00A0\u3000\-\uFF0D]?)?[1\uFF11][3-9\uFF13-\uFF19][0-9\uFF10-\uFF19](?:[ \u00A0\u3000\-\uFF0D][0-9\uFF10-\uFF19]{1,4}){1,2}(?![0-9A-Za-z_\uFF10-\uFF19])/g;

/**
 * A text as a twin holds it, typed one keystroke at a time or not: first what `maskText` masks (an ID number or a
 * mobile standing in it, separators allowed), then a mobile being typed in groups, then every other run of 5 or more
 * digits standing apart (not part of an id such as a UUID's `-446655440000`) as its first 3 and stars. So no state a
 * text passes through while a number is typed into it shows more of the number than the screens' masks: its first 3
 * digits while typed, its mask once whole (keeping a tail at other lengths would show every digit on the way). Runs
 * of up to 4 digits (a year, a room, an amount under 10,000) stay, so a number typed in other groupings (an ID number
 * as 6-8-4) may show a group of up to 4 digits until it is whole (docs/security.md). The same function masks
 * `Y.Text`s and plain strings, so a signed record's copy of its texts (`signedContent`) still equals its masked texts
 * and no device's lock guard sees a difference.
 */
export function maskTypedText(text: string): string {
  if (text.length < 5) return text;
  return maskText(text)
    .replace(GROUPED_MOBILE, (found) => starDigits(found, /^[+\uFF0B]?(?:86|\uFF18\uFF16)/.test(found) ? 5 : 3, 0))
    .replace(DIGIT_RUN, (run) => {
      if (run.length === 18 && /^\d{17}[\dXx]$/.test(run)) return maskIdNumber(run);
      if (/^1\d{10}$/.test(run)) return maskPhone(run);
      return starDigits(run, 3, 0);
    });
}

/** A plain value as a viewer's twin holds it (see the module's comment). */
export function maskTwinValue(value: unknown, key?: string, depth = 0): unknown {
  if (typeof value === 'string') {
    if (value.startsWith('data:')) return WITHHELD_DATA;
    if (key === CREATED_FIELDS) return maskCreatedText(value, depth);
    return key !== undefined && Object.hasOwn(KEY_MASKS, key) ? maskValue(value, key) : maskTypedText(value);
  }
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return null;
  if (depth >= MASK_DEPTH) return null;
  if (Array.isArray(value)) return value.map((item) => maskTwinValue(item, undefined, depth + 1));
  const masked: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) masked[k] = maskTwinValue(v, k, depth + 1);
  return masked;
}

function maskCreatedText(json: string, depth: number): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return maskTypedText(json);
  }
  return JSON.stringify(maskTwinValue(parsed, undefined, depth));
}

type Kind = 'map' | 'array' | 'text';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs's own signature for any shared type
type AnyType = Y.AbstractType<any>;

function kindOf(value: unknown): Kind | null {
  if (value instanceof Y.Map) return 'map';
  if (value instanceof Y.Array) return 'array';
  if (value instanceof Y.Text) return 'text';
  return null;
}

/**
 * The kind of a top-level type of a document as it was received (a server never calls `getMap` for most of them:
 * they stay the generic `AbstractType` until asked for): by its class, else by what it holds. `null`: empty, or not
 * a map, array or text.
 */
function rootKind(doc: Y.Doc, name: string): Kind | null {
  const type: AnyType | undefined = doc.share.get(name);
  if (type === undefined) return null;
  const known = kindOf(type);
  if (known !== null) return known;
  if (type.constructor !== Y.AbstractType) return null; // an XML type: nothing of the layouts
  if (type._map.size > 0) return 'map';
  for (let item = type._start; item !== null; item = item.right) {
    if (item.deleted) continue;
    const content = item.content;
    return content instanceof Y.ContentString || content instanceof Y.ContentFormat || content instanceof Y.ContentEmbed
      ? 'text'
      : 'array';
  }
  return null;
}

function root(doc: Y.Doc, name: string, kind: Kind): Y.Map<unknown> | Y.Array<unknown> | Y.Text {
  if (kind === 'map') return doc.getMap<unknown>(name);
  if (kind === 'array') return doc.getArray<unknown>(name);
  return doc.getText(name);
}

/** A new twin value for a source value: nested types rebuilt (masked), plain values masked. */
function mirror(value: unknown, key: string | undefined, depth: number): unknown {
  if (!(value instanceof Y.AbstractType) && !(value instanceof Y.Doc)) return maskTwinValue(value, key, depth);
  if (depth >= MASK_DEPTH) return null;
  if (value instanceof Y.Map) {
    const map = new Y.Map<unknown>();
    value.forEach((v: unknown, k: string) => void map.set(k, mirror(v, k, depth + 1)));
    return map;
  }
  if (value instanceof Y.Array) {
    const array = new Y.Array<unknown>();
    array.push(value.toArray().map((v: unknown) => mirror(v, undefined, depth + 1)));
    return array;
  }
  if (value instanceof Y.Text) return new Y.Text(maskTypedText(value.toJSON()));
  return null; // XML types, sub-documents: nothing of the layouts
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

/** Brings one key of a twin map in line with the source map's (nested types compared deep, written where they differ). */
function reconcileKey(from: Y.Map<unknown>, to: Y.Map<unknown>, key: string, depth: number): void {
  if (!from.has(key)) {
    if (to.has(key)) to.delete(key);
    return;
  }
  const value = from.get(key);
  const held = to.get(key);
  const kind = kindOf(value);
  if (kind !== null && depth + 1 < MASK_DEPTH && kindOf(held) === kind) {
    reconcileNode(value, held, depth + 1);
    return;
  }
  const next = mirror(value, key, depth + 1);
  if (next instanceof Y.AbstractType || !to.has(key) || held instanceof Y.AbstractType || !same(held, next)) {
    to.set(key, next);
  }
}

function reconcileNode(from: unknown, to: unknown, depth: number): void {
  if (from instanceof Y.Map && to instanceof Y.Map) reconcileMap(from, to, depth);
  else if (from instanceof Y.Array && to instanceof Y.Array) reconcileArray(from, to, depth);
  else if (from instanceof Y.Text && to instanceof Y.Text) reconcileText(from, to);
}

function reconcileMap(from: Y.Map<unknown>, to: Y.Map<unknown>, depth: number): void {
  for (const key of from.keys()) reconcileKey(from, to, key, depth);
  for (const key of [...to.keys()]) if (!from.has(key)) to.delete(key);
}

/** Whether a twin's element stands for a source element (a nested type of the same kind is brought in line). */
function matches(value: unknown, held: unknown, depth: number): boolean {
  const kind = kindOf(value);
  if (kind !== null && depth + 1 < MASK_DEPTH) {
    if (kindOf(held) !== kind) return false;
    reconcileNode(value, held, depth + 1);
    return true;
  }
  return !(held instanceof Y.AbstractType) && same(held, mirror(value, undefined, depth + 1));
}

/** Keeps the common start and end of the two lists, and replaces what lies between. */
function reconcileArray(from: Y.Array<unknown>, to: Y.Array<unknown>, depth: number): void {
  const source = from.toArray();
  const held = to.toArray();
  let start = 0;
  while (start < source.length && start < held.length && matches(source[start], held[start], depth)) start++;
  let end = 0;
  while (
    end < source.length - start &&
    end < held.length - start &&
    matches(source[source.length - 1 - end], held[held.length - 1 - end], depth)
  ) {
    end++;
  }
  const removed = held.length - start - end;
  if (removed > 0) to.delete(start, removed);
  const added = source.slice(start, source.length - end);
  if (added.length > 0)
    to.insert(
      start,
      added.map((value) => mirror(value, undefined, depth + 1)),
    );
}

/** Writes the masked text by its smallest middle edit (what a keystroke changed). */
function reconcileText(from: Y.Text, to: Y.Text): void {
  const next = maskTypedText(from.toJSON());
  const held = to.toJSON();
  if (next === held) return;
  let start = 0;
  while (start < next.length && start < held.length && next[start] === held[start]) start++;
  let end = 0;
  while (
    end < next.length - start &&
    end < held.length - start &&
    next[next.length - 1 - end] === held[held.length - 1 - end]
  ) {
    end++;
  }
  if (held.length - start - end > 0) to.delete(start, held.length - start - end);
  if (next.length - start - end > 0) to.insert(start, next.slice(start, next.length - end));
}

/** Clears a twin's top-level type the source no longer fills. */
function clearRoot(type: Y.Map<unknown> | Y.Array<unknown> | Y.Text): void {
  if (type instanceof Y.Map) for (const key of [...type.keys()]) type.delete(key);
  else if (type.length > 0) type.delete(0, type.length);
}

/**
 * Brings the whole twin in line with its document, in one transaction of `origin`: every top-level type compared deep
 * and written only where it differs (a twin already in line gets no write at all).
 */
export function reconcileTwin(source: Y.Doc, target: Y.Doc, origin: unknown): void {
  target.transact(() => {
    for (const name of [...source.share.keys()]) reconcileRoot(source, target, name);
    for (const name of [...target.share.keys()]) {
      if (rootKind(source, name) !== null) continue;
      const kind = rootKind(target, name);
      if (kind !== null) clearRoot(root(target, name, kind));
    }
  }, origin);
}

function reconcileRoot(source: Y.Doc, target: Y.Doc, name: string): void {
  const kind = rootKind(source, name);
  if (kind === null) return;
  const targetKind = rootKind(target, name);
  if (targetKind !== null && targetKind !== kind) return; // cannot change a top-level type's kind; never written so
  reconcileNode(root(source, name, kind), root(target, name, kind), 0);
}

type Path = readonly string[];
type ArrayOp = { readonly retain: number } | { readonly insert: readonly unknown[] } | { readonly delete: number };

/** Where a changed type sits, and what to do there. */
type Located =
  | { readonly path: Path; readonly what: 'node'; readonly type: AnyType }
  | { readonly path: Path; readonly what: 'whole' };

const pathKey = (path: Path): string => JSON.stringify(path);

/**
 * What document transactions touched since the last write of the twin: per map (by path from the root), the keys set or
 * deleted; per array, the inserts and deletes each transaction made, in order; texts changed; and nodes to compare
 * whole (a change inside an array's element, or a top-level type not yet typed). Fed with `collect(transaction)` from
 * the document's `afterTransaction`; each call costs in proportion to what the transaction changed (and, for an
 * array, one walk of that array's items).
 */
export class TwinChanges {
  readonly maps = new Map<string, { readonly path: Path; readonly keys: Set<string> }>();
  readonly arrays = new Map<string, { readonly path: Path; readonly ops: ArrayOp[][] }>();
  readonly texts = new Map<string, Path>();
  readonly whole = new Map<string, Path>();

  get empty(): boolean {
    return this.maps.size === 0 && this.arrays.size === 0 && this.texts.size === 0 && this.whole.size === 0;
  }

  clear(): void {
    this.maps.clear();
    this.arrays.clear();
    this.texts.clear();
    this.whole.clear();
  }

  collect(transaction: Y.Transaction): void {
    const doc = transaction.doc;
    // Types compared by identity only (Yjs types the keys of `changed` as the base class).
    const roots = new Map<unknown, string>();
    for (const [name, type] of doc.share) roots.set(type, name);
    for (const [type, keys] of transaction.changed) {
      const located = locate(type, roots);
      if (located === null) continue;
      const key = pathKey(located.path);
      if (located.what === 'whole') {
        this.whole.set(key, located.path);
        continue;
      }
      const node = located.type;
      if (node instanceof Y.Map || (node.constructor === Y.AbstractType && !keys.has(null))) {
        let entry = this.maps.get(key);
        if (entry === undefined) this.maps.set(key, (entry = { path: located.path, keys: new Set() }));
        for (const changed of keys) if (changed !== null) entry.keys.add(changed);
      } else if (node instanceof Y.Array) {
        // A new array is written whole with the key that holds it; its own inserts would come twice.
        const item = node._item;
        if (item !== null && item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0)) continue;
        const delta = new Y.YArrayEvent(node as Y.Array<unknown>, transaction).changes.delta as ArrayOp[];
        let entry = this.arrays.get(key);
        if (entry === undefined) this.arrays.set(key, (entry = { path: located.path, ops: [] }));
        entry.ops.push(delta);
      } else if (node instanceof Y.Text) {
        this.texts.set(key, located.path);
      } else {
        this.whole.set(key, located.path); // a top-level list not typed yet: compared whole
      }
    }
  }
}

/**
 * The path (map keys from the root) of a changed type. A change inside an array's element (keys there are positions,
 * which move) makes the outermost such array compared whole. `null`: detached, or inside something deleted (the
 * deletion is seen where it happened).
 */
function locate(type: AnyType, roots: ReadonlyMap<unknown, string>): Located | null {
  const path: string[] = [];
  let current: AnyType = type;
  let insideArray = false;
  while (current._item !== null) {
    const item: Y.Item = current._item;
    // Deeper than a twin keeps (`MASK_DEPTH`: null there), or inside something deleted.
    if (item.deleted || path.length > MASK_DEPTH) return null;
    const parent: unknown = item.parent;
    if (!(parent instanceof Y.AbstractType)) return null;
    if (item.parentSub === null) insideArray = true;
    else path.unshift(item.parentSub);
    current = parent as AnyType;
  }
  const name = roots.get(current);
  if (name === undefined) return null;
  if (insideArray) return { path: [name, ...outermostArrayPath(type)], what: 'whole' };
  return { path: [name, ...path], what: 'node', type };
}

/** Map keys from the root down to the outermost array that holds `type` (inside an element of it). */
function outermostArrayPath(type: AnyType): string[] {
  const chain: Y.Item[] = [];
  for (let current: AnyType = type; current._item !== null;) {
    chain.unshift(current._item);
    current = current._item.parent as AnyType;
  }
  const keys: string[] = [];
  for (const item of chain) {
    if (item.parentSub === null) break; // the parent of this item is the outermost array
    keys.push(item.parentSub);
  }
  return keys;
}

/** The source node at a path, with its kind; `null` when the path leads nowhere now. */
function nodeAt(doc: Y.Doc, path: Path): { node: AnyType; kind: Kind } | null {
  const [name, ...keys] = path;
  if (name === undefined) return null;
  const kind = rootKind(doc, name);
  if (kind === null) return null;
  let node: AnyType = root(doc, name, kind);
  let nodeKind: Kind = kind;
  for (const key of keys) {
    if (nodeKind !== 'map' || !(node instanceof Y.Map)) return null;
    const child: unknown = node.get(key);
    const childKind = kindOf(child);
    if (childKind === null) return null;
    node = child as AnyType;
    nodeKind = childKind;
  }
  return { node, kind: nodeKind };
}

/**
 * The twin's node at a path, of the source node's kind. Where the twin lacks it or holds another kind, the key above
 * is brought in line instead (which writes the node whole) and `null` is returned: nothing more to do there.
 */
function twinNodeAt(source: Y.Doc, target: Y.Doc, path: Path): AnyType | null {
  const [name, ...keys] = path;
  if (name === undefined) return null;
  const kind = rootKind(source, name);
  if (kind === null) return null;
  const targetKind = rootKind(target, name);
  if (targetKind !== null && targetKind !== kind) return null;
  let from: AnyType = root(source, name, kind);
  let to: AnyType = root(target, name, kind);
  for (const [index, key] of keys.entries()) {
    if (!(from instanceof Y.Map) || !(to instanceof Y.Map)) return null;
    const child: unknown = from.get(key);
    const held: unknown = to.get(key);
    if (kindOf(child) === null) return null;
    if (kindOf(held) !== kindOf(child)) {
      reconcileKey(from, to, key, index);
      return null;
    }
    from = child as AnyType;
    to = held as AnyType;
  }
  return to;
}

/** Whether a path lies at or below one of `covered` (paths written whole in this pass). */
function isCovered(path: Path, covered: ReadonlySet<string>): boolean {
  for (let length = 1; length <= path.length; length++) if (covered.has(pathKey(path.slice(0, length)))) return true;
  return false;
}

function applyOps(from: Y.Array<unknown>, to: Y.Array<unknown>, ops: readonly ArrayOp[][], depth: number): boolean {
  for (const delta of ops) {
    let index = 0;
    for (const op of delta) {
      if ('retain' in op) index += op.retain;
      else if ('insert' in op) {
        if (index > to.length) return false;
        to.insert(
          index,
          op.insert.map((value) => mirror(value, undefined, depth + 1)),
        );
        index += op.insert.length;
      } else {
        if (index + op.delete > to.length) return false;
        to.delete(index, op.delete);
      }
    }
  }
  return to.length === from.length;
}

/**
 * Writes what `changes` names from the document (`source`) into its twin (`target`), in one transaction of `origin`:
 * map keys first (a nested type set anew is written whole with its key), then each array's inserts and deletes as the
 * transactions made them (compared whole instead should the two ever differ in length), texts, and whole nodes.
 */
export function applyTwinChanges(source: Y.Doc, target: Y.Doc, changes: TwinChanges, origin: unknown): void {
  target.transact(() => {
    const covered = new Set<string>();
    const maps = [...changes.maps.values()].sort((a, b) => a.path.length - b.path.length);
    for (const { path, keys } of maps) {
      if (isCovered(path, covered)) continue;
      const to = twinNodeAt(source, target, path);
      const from = nodeAt(source, path);
      if (to === null || from === null || !(to instanceof Y.Map) || !(from.node instanceof Y.Map)) {
        if (from === null && path.length === 1) reconcileRoot(source, target, path[0] ?? '');
        continue;
      }
      for (const key of keys) {
        reconcileKey(from.node as Y.Map<unknown>, to as Y.Map<unknown>, key, path.length - 1);
        covered.add(pathKey([...path, key]));
      }
    }
    for (const path of changes.whole.values()) covered.add(pathKey(path));
    for (const { path, ops } of changes.arrays.values()) {
      if (isCovered(path, covered)) continue;
      const to = twinNodeAt(source, target, path);
      const from = nodeAt(source, path);
      if (to === null || from === null || !(to instanceof Y.Array) || !(from.node instanceof Y.Array)) continue;
      const depth = path.length - 1;
      if (!applyOps(from.node as Y.Array<unknown>, to as Y.Array<unknown>, ops, depth)) {
        reconcileArray(from.node as Y.Array<unknown>, to as Y.Array<unknown>, depth);
      }
    }
    for (const path of [...changes.texts.values(), ...changes.whole.values()]) {
      if (path.length === 1) {
        reconcileRoot(source, target, path[0] ?? '');
        continue;
      }
      const to = twinNodeAt(source, target, path);
      const from = nodeAt(source, path);
      if (to === null || from === null || kindOf(to) !== from.kind) continue;
      reconcileNode(from.node, to, path.length - 1);
    }
  }, origin);
}
