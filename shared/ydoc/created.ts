/**
 * Records created in one value (used by `registry.ts` and `cases.ts`): a record's `Y.Map` holds the plain fields it
 * was created with as one JSON text under `@created`; every later edit sets the field under its own key, which wins
 * over the created value.
 *
 * Why: every key of a `Y.Map` is a Yjs item of its own (an ID, a parent, a key, links), and a new device decodes and
 * integrates every one of them on its first sync. A 20,000-resident registry kept one key per field was 420,000
 * items (1.4-2.1 s to integrate on a laptop); with created values it is 60,000. JSON text rather than a plain object:
 * Yjs decodes every string of a plain object (each key, each value) on its own, and one text per record is one
 * decode. A created value is never changed after the record's creation, so it is parsed once per record and cached.
 * Records written one key per field (no `@created`) read the same way. See docs/decisions.md, "Records created in
 * one value".
 */
import * as Y from 'yjs';

/** The key of a record's `Y.Map` holding the fields it was created with, as one JSON text. */
export const CREATED_FIELDS = '@created';

/** Parsed created values, by record map: a created value is set once, with the map, and never changed. */
const parsedCreated = new WeakMap<Y.Map<unknown>, { json: string; fields: Readonly<Record<string, unknown>> | null }>();

function createdFields(map: Y.Map<unknown>): Readonly<Record<string, unknown>> | null {
  const json = map.get(CREATED_FIELDS);
  if (typeof json !== 'string') return null;
  const cached = parsedCreated.get(map);
  if (cached !== undefined && cached.json === json) return cached.fields;
  let fields: Readonly<Record<string, unknown>> | null = null;
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      fields = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (no version of the app writes that): the record reads as its own keys only, and nothing throws.
  }
  parsedCreated.set(map, { json, fields });
  return fields;
}

/** One field of a record's `Y.Map`: the value last set under its own key, else the value it was created with. */
export function recordField(map: Y.Map<unknown>, field: string): unknown {
  if (map.has(field)) {
    const value = map.get(field);
    return value instanceof Y.AbstractType ? value.toJSON() : value;
  }
  return createdFields(map)?.[field];
}

/** A record's `Y.Map` as a plain object: every field, known or not; a field set later wins over its created value. */
export function recordValue(map: Y.Map<unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = { ...createdFields(map) };
  map.forEach((value, key) => {
    // Nested Yjs types (none today, Y.Text maybe later) become plain JSON.
    if (key !== CREATED_FIELDS) plain[key] = value instanceof Y.AbstractType ? value.toJSON() : value;
  });
  return plain;
}

/**
 * A record's `Y.Map` as it was created, ignoring every key set later: for records that are never edited (the funds'
 * ledger, docs/resources-model.md), where a later key could only shadow a created field. Null when it has none.
 */
export function createdRecordValue(map: Y.Map<unknown>): Record<string, unknown> | null {
  const fields = createdFields(map);
  return fields === null ? null : { ...fields };
}

/** The created value of a new record: its fields as JSON text (fields `undefined` are left out, as JSON does). */
export function createdValue(fields: object): string {
  return JSON.stringify(fields);
}
