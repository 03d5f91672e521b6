/**
 * The masked registry (`<community>/registry-masked`): the registry as a viewer device receives it from the sync
 * server (docs/security.md, "Does the server send viewers masked ID numbers and phones?"). Same layout as the registry
 * (registry.ts: the record maps with their `@created` value and their later fields, `meta`, `audit`), so every
 * reader of the registry reads it unchanged; every ID number and phone in it is masked the way the app masks them on
 * screen (`maskIdNumber`, `maskPhone` of shared/domain/registry/mask.ts), wherever it sits: a resident's field, a
 * grid worker's phone inside `workers`, the values an audit entry's `fields` kept. Any other text that looks like an
 * ID number or a mobile (a phone typed into a note) is masked too.
 *
 * The server writes it, in its own transactions, from the registry: `reconcileMasked` compares the whole registry
 * with it (at load), `MaskedChanges` collects what a registry transaction touched and `applyMaskedChanges` writes only
 * that (work in proportion to the change, not to the community). Nothing here ever writes a full value into the
 * masked document, so its history holds none either.
 *
 * Audit entries are matched by their `id`: an entry a viewer appended to the masked document is carried into the
 * registry by the server, and its mirror back is recognised and not appended twice.
 */
import * as Y from 'yjs';
import { maskIdNumber, maskPhone } from '../domain/registry/mask';
import { CREATED_FIELDS } from './created';
import { AUDIT_ARRAY, META_MAP, REGISTRY_COLLECTIONS, type RegistryCollection } from './registry';

/** Keys whose string value is masked, with the mask the screens use for them. */
export const KEY_MASKS: Readonly<Record<string, (value: string) => string>> = {
  idNumber: maskIdNumber,
  phone: maskPhone,
};

/**
 * Digits as people type them: ASCII, or full-width from a Chinese input method in full-width mode (`１３８`). A
 * separator is one space (ASCII, no-break or ideographic) or one hyphen (ASCII or full-width) between the groups
 * people write a number in, so `138-1234-5678`, `138 1234 5678` and `510102 19900101 123X` are recognised as
 * numbers (docs/security.md, "What the masks recognise").
 */
const DIGIT = '[0-9\\uFF10-\\uFF19]';
const SEPARATOR = '[ \\u00A0\\u3000\\-\\uFF0D]';
const CHECK = '[0-9\\uFF10-\\uFF19Xx\\uFF38\\uFF58]';

/**
 * An ID number (17 digits and a check character) standing apart from letters and digits, whole or written in its
 * three parts (place 6, birth date 8, sequence and check 4) with one separator between them.
 */
const ID_IN_TEXT = new RegExp(
  `(?<![0-9A-Za-z\\uFF10-\\uFF19])${DIGIT}{6}${SEPARATOR}?${DIGIT}{8}${SEPARATOR}?${DIGIT}{3}${CHECK}(?![0-9A-Za-z\\uFF10-\\uFF19])`,
  'g',
);
/**
 * A mobile (1 and 10 digits), whole or written 3-4-4 (or 3-8, 7-4) with one separator between the groups, with or
 * without China's `+86` / `86` in front.
 */
const MOBILE_IN_TEXT = new RegExp(
  `(?<![0-9\\uFF10-\\uFF19])(?:[+\\uFF0B]?(?:86|\\uFF18\\uFF16)${SEPARATOR}?)?[1\\uFF11]${DIGIT}{2}${SEPARATOR}?${DIGIT}{4}${SEPARATOR}?${DIGIT}{4}(?![0-9\\uFF10-\\uFF19])`,
  'g',
);
const IS_DIGIT = /[0-9\uFF10-\uFF19Xx\uFF38\uFF58]/;

/**
 * `found` with its digits from the `keepFirst`-th to the `keepLast`-th from the end starred, separators and anything
 * else kept where they were: `138-1234-5678` → `138-****-5678`. On 11 or 18 bare ASCII digits this is exactly
 * `maskPhone` / `maskIdNumber`.
 */
export function starDigits(found: string, keepFirst: number, keepLast: number): string {
  let total = 0;
  for (const char of found) if (IS_DIGIT.test(char)) total++;
  let index = 0;
  let out = '';
  for (const char of found) {
    if (!IS_DIGIT.test(char)) {
      out += char;
      continue;
    }
    out += index < keepFirst || index >= total - keepLast ? char : '*';
    index++;
  }
  return out;
}

/** How many digits of a mobile found in a text are China's calling code (`86` in front of the 11). */
function prefixDigits(found: string): number {
  let digits = 0;
  for (const char of found) if (IS_DIGIT.test(char)) digits++;
  return digits - 11;
}

/**
 * A text with every ID number and mobile in it masked, as the screens mask them: an ID number keeps its first 4 and
 * last 4, a mobile its first 3 and last 4 (and a `+86` in front); separators stay where they were.
 */
export function maskText(text: string): string {
  if (text.length < 11) return text;
  return text
    .replace(ID_IN_TEXT, (found) => starDigits(found, 4, 4))
    .replace(MOBILE_IN_TEXT, (found) => starDigits(found, prefixDigits(found) + 3, 4));
}

/**
 * Deepest nesting a masked value keeps. The registry's layout nests a few levels (a record, its `workers`, an audit
 * entry's `fields`); what lies deeper is dropped (`null`), so that a value nested thousands deep (which Yjs decodes)
 * cannot make the masking run out of stack and stop the copy's updates.
 */
export const MASK_DEPTH = 32;

/**
 * A plain JSON value as a viewer may hold it: under a key `idNumber` or `phone` a text is masked as such; every other
 * text has what looks like an ID number or mobile masked; objects and arrays are walked (what lies deeper than
 * `MASK_DEPTH` becomes `null`). Numbers, booleans and null are kept (the layout stores ID numbers and phones as text).
 */
export function maskValue(value: unknown, key?: string, depth = 0): unknown {
  if (typeof value === 'string') {
    const mask = key === undefined || !Object.hasOwn(KEY_MASKS, key) ? undefined : KEY_MASKS[key];
    return mask === undefined ? maskText(value) : mask(value);
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MASK_DEPTH) return null;
  if (Array.isArray(value)) return value.map((item) => maskValue(item, undefined, depth + 1));
  const masked: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) masked[k] = maskValue(v, k, depth + 1);
  return masked;
}

/** A record's `@created` JSON text, masked; a text that is not JSON is masked as a text. */
export function maskCreated(json: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return maskText(json);
  }
  return JSON.stringify(maskValue(parsed));
}

/** The masked form of one field of a record map (`@created` included; a nested Yjs type becomes plain JSON). */
export function maskedField(key: string, value: unknown): unknown {
  let plain: unknown;
  try {
    plain = value instanceof Y.AbstractType ? (value.toJSON() as unknown) : value;
  } catch {
    // Yjs types nested too deep to read whole (only a hostile writer makes them): withheld, never thrown.
    return null;
  }
  if (key === CREATED_FIELDS && typeof plain === 'string') return maskCreated(plain);
  return maskValue(plain, key);
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Writes one masked value under a key of a target map, unless it holds it already. */
function put(target: Y.Map<unknown>, key: string, value: unknown): void {
  if (target.has(key) && same(target.get(key), value)) return;
  target.set(key, value);
}

/**
 * Version of the masking rules (what `maskValue` masks). The masked document keeps the version it was written under
 * (`MASKING_MAP`); a document of another version is compared in full at load, created values included.
 */
export const MASKING_VERSION = 1;
/** Top-level map of the masked document with `version`: the server's own, not a registry structure. */
export const MASKING_MAP = 'masking';

/** Brings one record of the masked document in line with the registry's (the whole record, or only `keys`). */
function syncRecord(
  source: Y.Doc,
  target: Y.Doc,
  collection: RegistryCollection,
  id: string,
  keys: ReadonlySet<string> | null,
  trustCreated = false,
): void {
  const from = source.getMap<unknown>(collection).get(id);
  const targetCollection = target.getMap<unknown>(collection);
  let to = targetCollection.get(id);
  if (!(from instanceof Y.Map)) {
    if (targetCollection.has(id)) targetCollection.delete(id);
    return;
  }
  if (!(to instanceof Y.Map)) {
    to = targetCollection.set(id, new Y.Map<unknown>());
    keys = null;
  }
  const record = to as Y.Map<unknown>;
  const fromRecord = from as Y.Map<unknown>;
  if (keys === null) {
    fromRecord.forEach((value, key) => {
      // A created value is set once with its record and never changed (created.ts): one the copy holds under the
      // same rules is in line, and is not parsed and masked again (most of a load's comparison).
      if (trustCreated && key === CREATED_FIELDS && record.has(CREATED_FIELDS)) return;
      put(record, key, maskedField(key, value));
    });
    for (const key of [...record.keys()]) if (!fromRecord.has(key)) record.delete(key);
    return;
  }
  for (const key of keys) {
    if (fromRecord.has(key)) put(record, key, maskedField(key, fromRecord.get(key)));
    else if (record.has(key)) record.delete(key);
  }
}

function syncMetaKey(source: Y.Doc, target: Y.Doc, key: string): void {
  const from = source.getMap<unknown>(META_MAP);
  const to = target.getMap<unknown>(META_MAP);
  if (from.has(key)) put(to, key, maskedField(key, from.get(key)));
  else if (to.has(key)) to.delete(key);
}

/** The ids of the audit entries a document holds. */
export function auditIds(doc: Y.Doc): Set<string> {
  const ids = new Set<string>();
  for (const entry of doc.getArray<unknown>(AUDIT_ARRAY).toArray()) {
    const id = entryId(entry);
    if (id !== null) ids.add(id);
  }
  return ids;
}

export function entryId(entry: unknown): string | null {
  if (entry === null || typeof entry !== 'object') return null;
  const id = (entry as { id?: unknown }).id;
  return typeof id === 'string' ? id : null;
}

/**
 * An audit entry as the masked copy holds it: every value masked but its `id`, an internal id that only matches it
 * with the registry's (masked, a UUID whose last group reads as a mobile would no longer match: the entry would be
 * appended again at every load, and its masked form carried into the registry as a viewer's).
 */
function maskedEntry(entry: unknown, id: string): unknown {
  const masked = maskValue(entry);
  return masked !== null && typeof masked === 'object' && !Array.isArray(masked) ? { ...masked, id } : masked;
}

/**
 * Appends the masked form of the entries whose id the masked audit does not hold yet (ids kept in `known`). An entry
 * without an id (none of the app's; a hostile or old writer's) is appended, unless `unnamed` still counts a copy of
 * its masked form the masked audit holds (at load: every such entry of the registry is seen again, and must not be
 * appended again at every load).
 */
function appendAudit(
  target: Y.Doc,
  entries: readonly unknown[],
  known: Set<string>,
  unnamed?: Map<string, number>,
): void {
  const fresh: unknown[] = [];
  for (const entry of entries) {
    const id = entryId(entry);
    if (id !== null) {
      // A copy written before ids were kept holds the masked form of an id with a run of digits (a UUID's last
      // group can read as a mobile): that is the same entry.
      if (known.has(id) || known.has(maskText(id))) continue;
      known.add(id);
      fresh.push(maskedEntry(entry, id));
      continue;
    }
    const masked = maskValue(entry);
    if (unnamed !== undefined) {
      const key = JSON.stringify(masked);
      const held = unnamed.get(key) ?? 0;
      if (held > 0) {
        unnamed.set(key, held - 1);
        continue;
      }
    }
    fresh.push(masked);
  }
  if (fresh.length > 0) target.getArray<unknown>(AUDIT_ARRAY).push(fresh);
}

/** How many of each entry without an id a masked audit holds, by its JSON text. */
function unnamedEntries(doc: Y.Doc): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of doc.getArray<unknown>(AUDIT_ARRAY).toArray()) {
    if (entryId(entry) !== null) continue;
    let key: string;
    try {
      key = JSON.stringify(entry);
    } catch {
      continue; // nested too deep to compare (a hostile viewer's append): the registry has no such entry
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * What registry transactions touched since the last write of the masked document: records (whole, or some of their
 * fields), meta keys, and the audit entries appended. Fed with `collect(transaction)` from the registry's
 * `afterTransaction`; each call costs in proportion to what the transaction changed.
 */
export class MaskedChanges {
  /** Per collection, per record id: the keys changed, or `null` for the whole record. */
  readonly records = new Map<RegistryCollection, Map<string, Set<string> | null>>();
  readonly meta = new Set<string>();
  readonly audit: unknown[] = [];

  get empty(): boolean {
    return this.records.size === 0 && this.meta.size === 0 && this.audit.length === 0;
  }

  clear(): void {
    this.records.clear();
    this.meta.clear();
    this.audit.length = 0;
  }

  collect(transaction: Y.Transaction): void {
    const doc = transaction.doc;
    // Types compared by identity only (Yjs types the keys of `changed` as the base class).
    const roots = new Map<unknown, RegistryCollection>();
    for (const collection of REGISTRY_COLLECTIONS) roots.set(doc.getMap(collection), collection);
    const meta: unknown = doc.getMap(META_MAP);
    const audit = doc.getArray<unknown>(AUDIT_ARRAY);
    let auditChanged = false;
    for (const [type, keys] of transaction.changed) {
      if (type === meta) {
        for (const key of keys) if (key !== null) this.meta.add(key);
        continue;
      }
      if (type === (audit as unknown)) {
        auditChanged = true;
        continue;
      }
      const collection = roots.get(type);
      if (collection !== undefined) {
        for (const id of keys) if (id !== null) this.recordsOf(collection).set(id, null);
        continue;
      }
      // A record map: its parent is a collection, its key there the record id.
      const item = type._item;
      if (item === null || item.parentSub === null) continue;
      const parentCollection = roots.get(item.parent);
      if (parentCollection === undefined) continue;
      const records = this.recordsOf(parentCollection);
      const known = records.get(item.parentSub);
      if (known === null) continue;
      const set = known ?? new Set<string>();
      for (const key of keys) if (key !== null) set.add(key);
      records.set(item.parentSub, set);
    }
    if (auditChanged) this.audit.push(...entriesAdded(transaction, audit));
  }

  private recordsOf(collection: RegistryCollection): Map<string, Set<string> | null> {
    let records = this.records.get(collection);
    if (records === undefined) this.records.set(collection, (records = new Map<string, Set<string> | null>()));
    return records;
  }
}

/** Entries a transaction added to an array (new structs of the transaction whose parent is the array). */
export function entriesAdded(transaction: Y.Transaction, array: Y.Array<unknown>): unknown[] {
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
      if (!(struct instanceof Y.Item) || struct.deleted || struct.parent !== array) continue;
      added.push(...(struct.content.getContent() as unknown[]));
    }
  }
  return added;
}

/**
 * Writes what `changes` names from the registry (`source`) into the masked document (`target`), in one transaction
 * of `origin`. `knownAudit`: the ids of the masked document's audit entries (kept up to date here).
 */
export function applyMaskedChanges(
  source: Y.Doc,
  target: Y.Doc,
  changes: MaskedChanges,
  knownAudit: Set<string>,
  origin: unknown,
): void {
  target.transact(() => {
    for (const [collection, records] of changes.records) {
      for (const [id, keys] of records) syncRecord(source, target, collection, id, keys);
    }
    for (const key of changes.meta) syncMetaKey(source, target, key);
    appendAudit(target, changes.audit, knownAudit);
  }, origin);
}

/**
 * Brings the whole masked document in line with the registry, in one transaction of `origin`: every record and meta
 * key compared (written only where it differs, so a document already in line gets no write at all; a created value
 * the copy holds under the same masking rules is taken as in line), every audit entry of the registry whose id it
 * lacks appended. Returns the ids of its audit entries, and those of its entries
 * the registry lacks (appended by a viewer: the server carries them into the registry).
 */
export function reconcileMasked(
  source: Y.Doc,
  target: Y.Doc,
  origin: unknown,
): { knownAudit: Set<string>; missingInSource: unknown[] } {
  const knownAudit = auditIds(target);
  const sourceIds = auditIds(source);
  // A copy written before ids were kept unmasked (`maskedEntry`) holds some ids masked: not a viewer's entries.
  const maskedSourceIds = new Set([...sourceIds].map(maskText));
  const missingInSource = target
    .getArray<unknown>(AUDIT_ARRAY)
    .toArray()
    .filter((entry) => {
      const id = entryId(entry);
      return id !== null && !sourceIds.has(id) && !maskedSourceIds.has(id);
    });
  const masking = target.getMap<unknown>(MASKING_MAP);
  const trustCreated = masking.get('version') === MASKING_VERSION;
  target.transact(() => {
    for (const collection of REGISTRY_COLLECTIONS) {
      const from = source.getMap<unknown>(collection);
      const to = target.getMap<unknown>(collection);
      for (const id of from.keys()) syncRecord(source, target, collection, id, null, trustCreated);
      for (const id of [...to.keys()]) if (!from.has(id)) to.delete(id);
    }
    const meta = source.getMap<unknown>(META_MAP);
    const toMeta = target.getMap<unknown>(META_MAP);
    for (const key of new Set([...meta.keys(), ...toMeta.keys()])) syncMetaKey(source, target, key);
    appendAudit(target, source.getArray<unknown>(AUDIT_ARRAY).toArray(), knownAudit, unnamedEntries(target));
    if (!trustCreated) masking.set('version', MASKING_VERSION);
  }, origin);
  return { knownAudit, missingInSource };
}
