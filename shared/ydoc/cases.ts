/**
 * Yjs layout of the `<community>/cases/<year>` document (name built by `docName`, never by hand).
 *
 * | top-level name   | Yjs type                  | holds                                                            |
 * | ---------------- | ------------------------- | ---------------------------------------------------------------- |
 * | `cases`          | `Y.Map<id, Y.Map<field>>` | mediation cases (`MediationCase`)                                |
 * | `audit`          | `Y.Array<CaseAuditEntry>` | one entry per command write, appended in the same transaction    |
 * | `refusedChanges` | `Y.Array<RefusedChange>`  | edits of signed records that arrived by sync and were undone     |
 * | `files`          | `Y.Map<id, CaseFile>`     | small attachments and paper-signature photos, as data URLs       |
 *
 * Inside one case's `Y.Map`:
 *
 * | field                                                      | Yjs type                      | why                         |
 * | ---------------------------------------------------------- | ----------------------------- | --------------------------- |
 * | `facts`                                                    | `Y.Text`                      | long text, two writers      |
 * | `steps`, `visits`, `followUps`, `extensions`, `timeline`,  | `Y.Array` (append only)       | two offline heads both add  |
 * | `addedAttachments`                                         |                               |                             |
 * | `sessions`, `agreements`                                   | `Y.Map<id, Y.Map<field>>`     | one record per id           |
 * | every other field (status, level, parties, outcome, ...)   | plain JSON, last writer wins  | replaced whole by a command |
 *
 * The plain fields a case is created with are one JSON text under `@created` (`created.ts`: a new device integrates
 * one Yjs item for them instead of one per field); a field changed later is set under its own key and wins over it.
 * Sessions and agreements are kept one key per field (few per case, and the lock guard reads their raw maps).
 *
 * Inside a session: `statements` is `Y.Map<partyId, Y.Text>`, `factsChecked` and `result` are `Y.Text`, `signatures` a
 * `Y.Array`; inside an agreement: `terms` is `Y.Text`, `signatures` a `Y.Array`. Appended lists never lose an entry
 * in a merge (two signatures given on two laptops both stay); readers drop a repeated signer or event id.
 *
 * Fields are only added, never renamed or removed; readers keep unknown fields (docs/conventions.md, habit 8).
 *
 * Signed records and sync. A session record or an agreement that anyone has signed is read-only (its text, once
 * signed by some; everything, once locked). On this device the machine refuses the edit; but a laptop that has not
 * yet seen the signature can edit the record offline and send that edit later, and the CRDT will merge it. So a
 * signed record carries `signedContent`, a copy of what was signed: the content fields from the first signature (or
 * seal), the content and the signatures from the lock. Any device that finds the live fields differing from it
 * (`findLockViolations`):
 * - keeps the refused values in `refusedChanges` (with the record, the fields, what was kept, and the audit entries
 *   of the edit), so an admin sees them and nothing typed is lost;
 * - restores the signed values in the live fields.
 * Every device computes the same violations from the same merged state and writes the same restored values and the
 * same refusal id (a hash of record and values), so devices restoring at once agree, and readers drop repeated ids.
 * `signedContent` (not a per-device memory of "what was locked before") is the reference, so a device that receives
 * the signature and the stale edit together, or an old app version that never checks, cannot make the edit stick.
 */
import * as Y from 'yjs';
import {
  AGREEMENT_CONTENT_FIELDS,
  AGREEMENT_PROTECTED_FIELDS,
  SESSION_CONTENT_FIELDS,
  SESSION_PROTECTED_FIELDS,
  type CaseActionKind,
  type CaseId,
  type MediationCase,
} from '../domain/mediation/types';
import { CREATED_FIELDS, createdValue, recordValue } from './created';

export const CASES_MAP = 'cases';
export const CASE_AUDIT_ARRAY = 'audit';
export const REFUSED_CHANGES_ARRAY = 'refusedChanges';
export const CASE_FILES_MAP = 'files';

/**
 * A small file kept inside the cases document (a photo of the scene, a signed paper page, a scanned letter). The
 * bytes travel with the document to every device, so they are kept small (`MAX_CASE_FILE_CHARS`; the screens shrink
 * photos before storing). An attachment or a paper signature refers to one as `file:<id>` (`caseFileRef`). Written
 * once, never changed.
 */
export interface CaseFile {
  readonly id: string;
  readonly name: string;
  /** MIME type, e.g. image/jpeg. */
  readonly type: string;
  /** `data:<type>;base64,...` */
  readonly data: string;
  readonly addedAt: string;
  readonly addedBy: string;
}

/**
 * Largest stored file, as data-URL characters: about 300 kB of bytes. A year of a busy community (a few hundred cases,
 * a few photos each) stays within tens of MB, which every device syncs; bigger files belong on paper in the dossier.
 */
export const MAX_CASE_FILE_CHARS = 400_000;

const FILE_REF = /^file:(.+)$/;

export function caseFileRef(id: string): string {
  return `file:${id}`;
}

/** The id in a `file:<id>` reference, or null for any other reference. */
export function caseFileIdOf(ref: string): string | null {
  return FILE_REF.exec(ref)?.[1] ?? null;
}

export function caseFilesMap(doc: Y.Doc): Y.Map<CaseFile> {
  return doc.getMap<CaseFile>(CASE_FILES_MAP);
}

/** The file a `file:<id>` reference names, or null (another reference, or not synced yet). */
export function readCaseFile(doc: Y.Doc, ref: string): CaseFile | null {
  const id = caseFileIdOf(ref);
  return id === null ? null : (caseFilesMap(doc).get(id) ?? null);
}

/**
 * What a case command says in its audit entry (the kernel adds the stamp: id, time, user, device). `storeCaseFile`
 * names the file (`file:<id>`) and the case it is for, `''` when stored at intake before the case exists.
 */
export interface CaseAuditNote {
  readonly action: CaseActionKind | 'storeCaseFile' | 'refuse';
  readonly caseId: string;
  /** The session or agreement written, the stored file, or the case id. */
  readonly recordId: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Same shape as the registry's audit entry, with the case actions and the case id. */
export interface CaseAuditEntry extends CaseAuditNote {
  readonly id: string;
  readonly at: string;
  readonly userId: string;
  readonly userName: string;
  readonly deviceId: string;
}

export interface RefusedChange {
  /** Deterministic: the same refusal found on two devices has one id. */
  readonly id: string;
  readonly caseId: string;
  readonly record: 'session' | 'agreement';
  readonly recordId: string;
  /** The values the edit tried to write (as merged), by field. */
  readonly refused: Readonly<Record<string, unknown>>;
  /** The signed values restored, by field. */
  readonly kept: Readonly<Record<string, unknown>>;
  /**
   * The audit entries that edited or signed this record (from any device): with the values of each update, they show
   * who made the refused edit and from which device. Timestamps cannot tell "after the lock" apart, since an offline
   * laptop's clock and order are its own, so all are listed and the UI highlights the ones from `refused` devices.
   */
  readonly edits: readonly CaseAuditEntry[];
  readonly detectedAt: string;
  readonly detectedBy: string;
}

/** The origin of the transaction that restores signed records. */
export interface LockGuardOrigin {
  readonly kind: 'lock-guard';
  readonly deviceId: string;
}

interface FieldSpec {
  readonly text: readonly string[];
  readonly textMaps: readonly string[];
  readonly append: readonly string[];
  readonly records: Readonly<Record<string, FieldSpec>>;
}

const SESSION_SPEC: FieldSpec = {
  text: ['factsChecked', 'result'],
  textMaps: ['statements'],
  append: ['signatures'],
  records: {},
};
const AGREEMENT_SPEC: FieldSpec = { text: ['terms'], textMaps: [], append: ['signatures'], records: {} };
/** A case's append-only lists (also guarded by the sync server: shared/ydoc/permanent.ts). */
export const CASE_APPEND_FIELDS = [
  'steps',
  'visits',
  'followUps',
  'extensions',
  'timeline',
  'addedAttachments',
] as const;

const CASE_SPEC: FieldSpec = {
  text: ['facts'],
  textMaps: [],
  append: CASE_APPEND_FIELDS,
  records: { sessions: SESSION_SPEC, agreements: AGREEMENT_SPEC },
};

export function casesMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(CASES_MAP);
}

export function caseAuditArray(doc: Y.Doc): Y.Array<CaseAuditEntry> {
  return doc.getArray<CaseAuditEntry>(CASE_AUDIT_ARRAY);
}

export function refusedChangesArray(doc: Y.Doc): Y.Array<RefusedChange> {
  return doc.getArray<RefusedChange>(REFUSED_CHANGES_ARRAY);
}

// --- read ----------------------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function signerKeyOf(signature: unknown): string {
  const signer = (signature as { signer?: { role?: unknown; partyId?: unknown } } | null)?.signer;
  return `${str(signer?.role)}:${str(signer?.partyId)}`;
}

function firstBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function cleanRecord(record: Json): Json {
  const signatures = Array.isArray(record.signatures) ? (record.signatures as unknown[]) : [];
  return { ...record, signatures: firstBy(signatures, signerKeyOf) };
}

function idOf(item: unknown): string {
  const id = (item as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : JSON.stringify(item);
}

/** A case's `Y.Map` as a plain value: Y.Text as strings, arrays de-duplicated, unknown fields kept. */
export function caseFromMap(map: Y.Map<unknown>): MediationCase & Readonly<Json> {
  const json: Json = recordValue(map);
  for (const field of CASE_SPEC.append) {
    json[field] = firstBy(Array.isArray(json[field]) ? (json[field] as unknown[]) : [], idOf);
  }
  for (const field of Object.keys(CASE_SPEC.records)) {
    const records = (json[field] ?? {}) as Record<string, Json>;
    json[field] = Object.fromEntries(Object.entries(records).map(([id, r]) => [id, cleanRecord(r)]));
  }
  return json as MediationCase & Json;
}

export function readCase(doc: Y.Doc, id: string): (MediationCase & Readonly<Json>) | null {
  const map = casesMap(doc).get(id);
  return map instanceof Y.Map ? caseFromMap(map) : null;
}

export function listCases(doc: Y.Doc): (MediationCase & Readonly<Json>)[] {
  const out: (MediationCase & Json)[] = [];
  casesMap(doc).forEach((map) => {
    if (map instanceof Y.Map) out.push(caseFromMap(map));
  });
  return out;
}

export function readCaseAudit(doc: Y.Doc): CaseAuditEntry[] {
  return caseAuditArray(doc).toArray();
}

/** Refused changes, one per id (two devices may have recorded the same refusal). */
export function readRefusedChanges(doc: Y.Doc): RefusedChange[] {
  return firstBy(refusedChangesArray(doc).toArray(), (r) => r.id);
}

// --- write (shared/domain/mediation/commands.ts only; call inside a transaction) ------------------------------------

/** Write: replaces a Y.Text's content by the smallest middle edit, so a concurrent edit elsewhere in it survives. */
export function replaceText(text: Y.Text, value: string): void {
  const current = text.toJSON();
  if (current === value) return;
  let start = 0;
  const max = Math.min(current.length, value.length);
  while (start < max && current[start] === value[start]) start++;
  let end = 0;
  while (end < max - start && current[current.length - 1 - end] === value[value.length - 1 - end]) end++;
  text.delete(start, current.length - start - end);
  text.insert(start, value.slice(start, value.length - end));
}

function childText(map: Y.Map<unknown>, key: string): Y.Text {
  const existing = map.get(key);
  return existing instanceof Y.Text ? existing : map.set(key, new Y.Text());
}

function childMap(map: Y.Map<unknown>, key: string): Y.Map<unknown> {
  const existing = map.get(key);
  return existing instanceof Y.Map ? (existing as Y.Map<unknown>) : map.set(key, new Y.Map<unknown>());
}

function childArray(map: Y.Map<unknown>, key: string): Y.Array<unknown> {
  const existing = map.get(key);
  return existing instanceof Y.Array ? (existing as Y.Array<unknown>) : map.set(key, new Y.Array<unknown>());
}

/** JSON with object keys sorted: Y.Map key order depends on the order edits arrived, so plain JSON would differ. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Json)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Writes the difference between two plain values of a record into its Y.Map, following the field spec. */
function writeFields(map: Y.Map<unknown>, prev: Json | null, next: Json, spec: FieldSpec): void {
  for (const [key, value] of Object.entries(next)) {
    if (value === undefined) continue;
    const before = prev?.[key];
    if (spec.text.includes(key)) {
      const text = childText(map, key);
      replaceText(text, str(value));
    } else if (spec.textMaps.includes(key)) {
      const texts = childMap(map, key);
      for (const [k, v] of Object.entries(value as Record<string, string>)) {
        replaceText(childText(texts, k), v);
      }
      for (const k of [...texts.keys()]) if (!(k in (value as object))) texts.delete(k);
    } else if (spec.append.includes(key)) {
      const array = childArray(map, key);
      const known = Array.isArray(before) ? before.length : 0;
      const added = (value as unknown[]).slice(known);
      if (added.length > 0) array.push(added);
    } else if (key in spec.records) {
      const recordSpec = spec.records[key] as FieldSpec;
      const records = childMap(map, key);
      const beforeRecords = (before ?? {}) as Record<string, Json>;
      for (const [id, record] of Object.entries(value as Record<string, Json>)) {
        if (sameJson(beforeRecords[id], record)) continue;
        const recordMap = childMap(records, id);
        writeFields(recordMap, beforeRecords[id] ?? null, record, recordSpec);
      }
    } else if (prev === null || !sameJson(before, value)) {
      map.set(key, value);
    }
  }
}

/**
 * Write: creates a case's map from its first plain value: the plain fields in one created value (`created.ts`), the
 * texts, lists and records as their Yjs types.
 */
export function insertCase(doc: Y.Doc, value: MediationCase): void {
  const plain: Json = {};
  const typed: Json = {};
  for (const [key, field] of Object.entries(value)) {
    const isTyped =
      CASE_SPEC.text.includes(key) ||
      CASE_SPEC.textMaps.includes(key) ||
      CASE_SPEC.append.includes(key) ||
      key in CASE_SPEC.records;
    (isTyped ? typed : plain)[key] = field;
  }
  const map = casesMap(doc).set(value.id, new Y.Map<unknown>());
  map.set(CREATED_FIELDS, createdValue(plain));
  writeFields(map, null, typed, CASE_SPEC);
}

/** Write: applies the difference between the case as read (`prev`) and the machine's next value. */
export function writeCase(doc: Y.Doc, prev: MediationCase, next: MediationCase): void {
  const map = casesMap(doc).get(prev.id);
  if (!(map instanceof Y.Map)) throw new Error(`writeCase: no case ${prev.id}`);
  writeFields(map, prev as unknown as Json, next as unknown as Json, CASE_SPEC);
}

/** Write: appends audit entries. */
export function appendCaseAudit(doc: Y.Doc, entries: readonly CaseAuditEntry[]): void {
  caseAuditArray(doc).push([...entries]);
}

// --- signed records arriving by sync --------------------------------------------------------------------------------

/** Fields a lock protects, by record kind. */
export const PROTECTED_FIELDS = {
  session: SESSION_PROTECTED_FIELDS,
  agreement: AGREEMENT_PROTECTED_FIELDS,
} as const satisfies Record<RefusedChange['record'], readonly string[]>;

/** Fields a first signature protects (before the lock), by record kind. */
export const CONTENT_FIELDS = {
  session: SESSION_CONTENT_FIELDS,
  agreement: AGREEMENT_CONTENT_FIELDS,
} as const satisfies Record<RefusedChange['record'], readonly string[]>;

/**
 * Audit actions that change a record's content. A refusal lists those of its record: the UI shows who edited, from
 * which device, and the values (update audits carry them), next to the refused values.
 */
const EDIT_ACTIONS: ReadonlySet<string> = new Set([
  'updateSession',
  'updateAgreement',
  'signSession',
  'signAgreement',
  'sealAgreement',
]);

export interface LockViolation {
  readonly caseId: CaseId;
  readonly record: RefusedChange['record'];
  readonly recordId: string;
  readonly refused: Readonly<Json>;
  readonly kept: Readonly<Json>;
}

/** FNV-1a, 32 bits: a short deterministic id, not a security hash. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function violationId(v: Pick<LockViolation, 'recordId' | 'refused'>): string {
  return `${v.recordId}:${hash(canonicalJson(v.refused))}`;
}

/**
 * Signed records (locked, or signed by some) whose live fields differ from what was signed, read from the raw maps
 * (not through `caseFromMap`, which hides a repeated signer). Pure: reads only.
 */
export function findLockViolations(doc: Y.Doc): LockViolation[] {
  const out: LockViolation[] = [];
  casesMap(doc).forEach((caseMap, caseId) => {
    if (!(caseMap instanceof Y.Map)) return;
    for (const [field, record] of [
      ['sessions', 'session'],
      ['agreements', 'agreement'],
    ] as const) {
      const records = caseMap.get(field);
      if (!(records instanceof Y.Map)) continue;
      records.forEach((recordMap, recordId) => {
        if (!(recordMap instanceof Y.Map)) return;
        const signed = recordMap.get('signedContent') as Json | null | undefined;
        if (signed == null) return;
        // Locked: the content and the signatures. Signed by some: the content (signatures are still being added).
        const fields = recordMap.get('lockedAt') != null ? PROTECTED_FIELDS[record] : CONTENT_FIELDS[record];
        const live: Json = recordMap.toJSON();
        const refused: Json = {};
        const kept: Json = {};
        for (const f of fields) {
          if (!sameJson(live[f] ?? null, signed[f] ?? null)) {
            refused[f] = live[f] ?? null;
            kept[f] = signed[f] ?? null;
          }
        }
        if (Object.keys(refused).length > 0) {
          out.push({ caseId: caseId as CaseId, record, recordId, refused, kept });
        }
      });
    }
  });
  return out;
}

/**
 * Puts a signed value back. Text, text maps and signature lists are replaced by a NEW Yjs value rather than edited in
 * place: two devices restoring the same record at once then make two `set`s of the same content, which resolve
 * last-writer-wins to that content; two in-place "delete 3, insert 5" edits would merge into "55".
 */
function restoreField(recordMap: Y.Map<unknown>, record: RefusedChange['record'], field: string, value: unknown) {
  const spec = record === 'session' ? SESSION_SPEC : AGREEMENT_SPEC;
  if (spec.text.includes(field)) {
    recordMap.set(field, new Y.Text(str(value)));
  } else if (spec.textMaps.includes(field)) {
    const texts = recordMap.set(field, new Y.Map<unknown>());
    for (const [k, v] of Object.entries((value ?? {}) as Record<string, string>)) texts.set(k, new Y.Text(v));
  } else if (spec.append.includes(field)) {
    recordMap.set(field, Y.Array.from([...((value ?? []) as Record<string, unknown>[])]));
  } else {
    recordMap.set(field, value);
  }
}

/**
 * Restores every signed record to what was signed and keeps the refused values in `refusedChanges` (one transaction,
 * origin `lock-guard`). Returns the refusals written (empty when there was nothing to undo).
 */
export function enforceLocks(doc: Y.Doc, deviceId: string, now: Date): RefusedChange[] {
  const violations = findLockViolations(doc);
  if (violations.length === 0) return [];
  const known = new Set(readRefusedChanges(doc).map((r) => r.id));
  const audit = readCaseAudit(doc);
  const written: RefusedChange[] = [];
  const origin: LockGuardOrigin = { kind: 'lock-guard', deviceId };
  doc.transact(() => {
    for (const v of violations) {
      const recordMap = (casesMap(doc).get(v.caseId)?.get(`${v.record}s`) as Y.Map<Y.Map<unknown>>).get(v.recordId);
      if (recordMap === undefined) continue;
      for (const [field, value] of Object.entries(v.kept)) restoreField(recordMap, v.record, field, value);
      const id = violationId(v);
      if (known.has(id)) continue;
      known.add(id);
      const change: RefusedChange = {
        id,
        caseId: v.caseId,
        record: v.record,
        recordId: v.recordId,
        refused: v.refused,
        kept: v.kept,
        edits: audit.filter((e) => e.recordId === v.recordId && EDIT_ACTIONS.has(e.action)),
        detectedAt: now.toISOString(),
        detectedBy: deviceId,
      };
      refusedChangesArray(doc).push([change]);
      written.push(change);
    }
  }, origin);
  return written;
}

/**
 * Checks an incoming update against a document without changing it: the refusals the update would cause. For a sync
 * client that wants to warn before applying, and for tests.
 */
export function validateIncoming(before: Y.Doc, update: Uint8Array): LockViolation[] {
  const probe = new Y.Doc();
  Y.applyUpdate(probe, Y.encodeStateAsUpdate(before));
  const already = new Set(findLockViolations(probe).map(violationId));
  Y.applyUpdate(probe, update);
  const found = findLockViolations(probe).filter((v) => !already.has(violationId(v)));
  probe.destroy();
  return found;
}

/**
 * Watches a document: after every transaction that came from elsewhere (sync, another window: `transaction.local` is
 * false), restores signed records and records refusals. Local commands go through the machine, which refuses such
 * edits before they are made. Returns the unsubscribe.
 */
export function guardLocks(
  doc: Y.Doc,
  deviceId: string,
  now: () => Date,
  onRefused?: (changes: RefusedChange[]) => void,
): () => void {
  const handler = (transaction: Y.Transaction) => {
    if (transaction.local) return;
    const written = enforceLocks(doc, deviceId, now());
    if (written.length > 0) onRefused?.(written);
  };
  doc.on('afterTransaction', handler);
  return () => doc.off('afterTransaction', handler);
}
