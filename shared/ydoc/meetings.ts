/**
 * Yjs layout of a `<community>/meetings/<year>` document (name built by `docName`, never by hand). A meeting belongs to
 * the year it is held in.
 *
 * | top-level name | Yjs type                   | holds                                                           |
 * | -------------- | -------------------------- | --------------------------------------------------------------- |
 * | `meetings`     | `Y.Map<id, Y.Map<field>>`  | one meeting per entry, fields below                             |
 * | `audit`        | `Y.Array<AuditEntry>`      | one entry per command write, appended in the same transaction   |
 * | `files`        | `Y.Map<id, MeetingFile>`   | photos of signed paper sign-in sheets, signature images         |
 *
 * Inside a meeting's `Y.Map`:
 *
 * | field          | Yjs type                          | holds                                                    |
 * | -------------- | --------------------------------- | -------------------------------------------------------- |
 * | plain fields   | JSON                              | `type`, `status`, `title`, `startsAt`, `place`, `scope`, `invitees`, `rules`, `convener`, `chair`, `recorder`, `requiredSignatories`, `version`, `caseIds`, `noticePublishedOn`, `resolutionsPublishedOn`, `partyKind`, `startedAt` |
 * | `agenda`       | `Y.Map<itemId, Y.Map<field>>`     | agenda item fields; `minutes` is a `Y.Text`              |
 * | `attendees`    | `Y.Map<key, Y.Map<field>>`        | the sign-in sheet, one entry per person                  |
 * | `actionItems`  | `Y.Map<id, Y.Map<field>>`         | action items (owner, deadline, done, answer)             |
 * | `signatures`   | `Y.Map<role:key, Signature>`      | signatures on the current version                        |
 * | `reviews`      | `Y.Map<key, Review>`              | attendees' review of the current version                 |
 * | `versions`     | `Y.Array<SignedVersion>`          | every signed version, frozen; append-only                |
 * | `amendments`   | `Y.Array<Amendment>`              | reason, who and when for each amendment; append-only     |
 *
 * Why these types:
 * - The minutes of each item are a `Y.Text`: a recorder on a laptop and a colleague on the desktop type into the same
 *   text, online or offline, and both keep what they typed after the merge.
 * - Attendees, agenda items and action items are nested `Y.Map`s keyed by a stable id, so two devices signing in two
 *   people, or adding two items, both win; the same field edited twice resolves last-writer-wins with both in the audit.
 * - A vote is one plain value replaced whole (a count or a ballot list is one decision, never a merge of two).
 * - Signed versions and amendments are append-only arrays of plain JSON: what was signed can never be edited in place.
 * - Files sit in one top-level map keyed by a fresh id and name their meeting (`meetingId`, `purpose`), rather than in
 *   a list created inside the meeting on first use: two devices creating that list at once would each make their own
 *   and one would be lost in the merge; two entries of a top-level map both stay. A signature names its image as
 *   `file:<id>` (`meetingFileRef`).
 * - People (convener, chair, recorder, owners) are `{ name, ref }` with `ref` a registry reference or null; records
 *   written before references existed may lack `ref`, and are read with `ref: null`.
 *
 * Fields are only added, never renamed or removed (docs/conventions.md, habit 8); readers keep unknown fields. Only
 * `shared/domain/meetings/commands*.ts` write through the helpers marked "write".
 */
import * as Y from 'yjs';
import type { AuditEntry } from '../domain/registry/types';
import type {
  ActionItem,
  AgendaItem,
  Amendment,
  Attendee,
  Meeting,
  MeetingFile,
  Person,
  Review,
  Signature,
  SignedVersion,
} from '../domain/meetings/types';

export const MEETINGS_MAP = 'meetings';
export const MEETINGS_AUDIT = 'audit';
export const MEETING_FILES = 'files';

export const AGENDA = 'agenda';
export const ATTENDEES = 'attendees';
export const ACTION_ITEMS = 'actionItems';
export const SIGNATURES = 'signatures';
export const REVIEWS = 'reviews';
export const VERSIONS = 'versions';
export const AMENDMENTS = 'amendments';
export const MINUTES = 'minutes';

/** A meeting as read: the known fields plus whatever newer clients added. */
export type StoredMeeting = Meeting & Readonly<Record<string, unknown>>;

export function meetingsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(MEETINGS_MAP);
}

export function meetingsAudit(doc: Y.Doc): Y.Array<AuditEntry> {
  return doc.getArray<AuditEntry>(MEETINGS_AUDIT);
}

export function meetingMap(doc: Y.Doc, id: string): Y.Map<unknown> | null {
  const map = meetingsMap(doc).get(id);
  return map instanceof Y.Map ? map : null;
}

/** A nested collection of a meeting (`agenda`, `attendees`, ...), created on first write. */
export function nestedMap(meeting: Y.Map<unknown>, name: string): Y.Map<unknown> | null {
  const nested = meeting.get(name);
  return nested instanceof Y.Map ? (nested as Y.Map<unknown>) : null;
}

export function nestedArray<T>(meeting: Y.Map<unknown>, name: string): Y.Array<T> | null {
  const nested = meeting.get(name);
  return nested instanceof Y.Array ? (nested as Y.Array<T>) : null;
}

/** The `Y.Text` of an item's minutes, for an editor binding; null when the meeting or item is unknown. */
export function minutesText(doc: Y.Doc, meetingId: string, itemId: string): Y.Text | null {
  const meeting = meetingMap(doc, meetingId);
  const item = meeting === null ? undefined : nestedMap(meeting, AGENDA)?.get(itemId);
  const text = item instanceof Y.Map ? (item as Y.Map<unknown>).get(MINUTES) : undefined;
  return text instanceof Y.Text ? text : null;
}

export function meetingFilesMap(doc: Y.Doc): Y.Map<MeetingFile> {
  return doc.getMap<MeetingFile>(MEETING_FILES);
}

export function meetingFileRef(id: string): string {
  return `file:${id}`;
}

/** The file a `file:<id>` reference names, or null (another reference, or not synced yet). */
export function readMeetingFile(doc: Y.Doc, ref: string | null | undefined): MeetingFile | null {
  const id = /^file:(.+)$/.exec(ref ?? '')?.[1];
  return id === undefined ? null : (meetingFilesMap(doc).get(id) ?? null);
}

/** Photos of a meeting's signed paper sign-in sheet, in the order they were added. */
export function signInPhotos(doc: Y.Doc, meetingId: string): MeetingFile[] {
  const out: MeetingFile[] = [];
  meetingFilesMap(doc).forEach((file) => {
    if (file.meetingId === meetingId && file.purpose === 'sign-in-sheet') out.push(file);
  });
  return out.sort((a, b) => (a.addedAt !== b.addedAt ? (a.addedAt < b.addedAt ? -1 : 1) : a.id < b.id ? -1 : 1));
}

/** A person as read: `ref` defaults to null for records written before references were kept. */
function personOf(value: unknown): Person {
  const p = (value ?? {}) as Partial<Person> & Readonly<Record<string, unknown>>;
  return { ...p, name: typeof p.name === 'string' ? p.name : '', ref: p.ref ?? null };
}

function valuesOf<T>(plain: unknown): T[] {
  return plain !== null && typeof plain === 'object' ? (Object.values(plain) as T[]) : [];
}

/** Reads one meeting as a plain object (Y.Text as string, nested maps as lists), unknown fields kept. */
export function readMeeting(doc: Y.Doc, id: string): StoredMeeting | null {
  const map = meetingMap(doc, id);
  if (map === null) return null;
  const plain = map.toJSON() as Record<string, unknown>;
  const agenda = valuesOf<AgendaItem>(plain[AGENDA]).sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
  const attendees = valuesOf<Attendee>(plain[ATTENDEES]).sort((a, b) => (a.key < b.key ? -1 : 1));
  const actionItems = valuesOf<ActionItem>(plain[ACTION_ITEMS])
    .map((a) => ({ ...a, owner: personOf(a.owner) }))
    .sort((a, b) => (a.deadline !== b.deadline ? (a.deadline < b.deadline ? -1 : 1) : a.id < b.id ? -1 : 1));
  // Trusted as written by the commands (and by newer clients, whose extra fields are kept): no per-read validation.
  const meeting = {
    ...plain,
    convener: personOf(plain.convener),
    chair: personOf(plain.chair),
    recorder: personOf(plain.recorder),
    agenda,
    attendees,
    actionItems,
    signatures: valuesOf<Signature>(plain[SIGNATURES]),
    reviews: valuesOf<Review>(plain[REVIEWS]),
    versions: (plain[VERSIONS] as SignedVersion[] | undefined) ?? [],
    amendments: (plain[AMENDMENTS] as Amendment[] | undefined) ?? [],
    caseIds: (plain.caseIds as Meeting['caseIds'] | undefined) ?? [],
    // Meetings started before the start time was kept read as not known.
    startedAt: typeof plain.startedAt === 'string' ? plain.startedAt : null,
  };
  return meeting as unknown as StoredMeeting;
}

export function listMeetings(doc: Y.Doc): StoredMeeting[] {
  const out: StoredMeeting[] = [];
  meetingsMap(doc).forEach((_, id) => {
    const meeting = readMeeting(doc, id);
    if (meeting !== null) out.push(meeting);
  });
  return out.sort((a, b) => (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : 0));
}

export function readMeetingsAudit(doc: Y.Doc): AuditEntry[] {
  return meetingsAudit(doc).toArray();
}

// --- write (commands.ts only; call inside a transaction) ---------------------------------------------------------

function setAll(map: Y.Map<unknown>, fields: object): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) map.set(key, value);
  }
}

/** Write: creates a meeting with its plain fields and empty nested collections. */
export function insertMeeting(doc: Y.Doc, id: string, fields: object): Y.Map<unknown> {
  const map = meetingsMap(doc).set(id, new Y.Map<unknown>());
  setAll(map, fields);
  map.set(AGENDA, new Y.Map());
  map.set(ATTENDEES, new Y.Map());
  map.set(ACTION_ITEMS, new Y.Map());
  map.set(SIGNATURES, new Y.Map());
  map.set(REVIEWS, new Y.Map());
  map.set(VERSIONS, new Y.Array());
  map.set(AMENDMENTS, new Y.Array());
  return map;
}

/** Write: sets plain fields of a meeting. */
export function setMeetingFields(meeting: Y.Map<unknown>, fields: object): void {
  setAll(meeting, fields);
}

/** Write: creates or updates an entry of a nested map (agenda item, attendee, action item) field by field. */
export function upsertNested(meeting: Y.Map<unknown>, name: string, id: string, fields: object): Y.Map<unknown> {
  const collection = nestedMap(meeting, name);
  if (collection === null) throw new Error(`upsertNested: meeting has no ${name}`);
  let entry = collection.get(id);
  if (!(entry instanceof Y.Map)) entry = collection.set(id, new Y.Map<unknown>());
  setAll(entry as Y.Map<unknown>, fields);
  return entry as Y.Map<unknown>;
}

/** Write: a new agenda item with an empty `Y.Text` for its minutes. */
export function insertAgendaItem(meeting: Y.Map<unknown>, id: string, fields: object): void {
  const item = upsertNested(meeting, AGENDA, id, fields);
  item.set(MINUTES, new Y.Text());
}

/** Write: sets a plain value in a nested map (signature, review). */
export function setNestedValue(meeting: Y.Map<unknown>, name: string, key: string, value: unknown): void {
  const collection = nestedMap(meeting, name);
  if (collection === null) throw new Error(`setNestedValue: meeting has no ${name}`);
  collection.set(key, value);
}

/** Write: empties a nested map (signatures and reviews when a version is reopened). */
export function clearNested(meeting: Y.Map<unknown>, name: string): void {
  const collection = nestedMap(meeting, name);
  if (collection === null) return;
  for (const key of [...collection.keys()]) collection.delete(key);
}

/** Write: appends to an append-only array (versions, amendments). */
export function appendNested(meeting: Y.Map<unknown>, name: string, value: unknown): void {
  const array = nestedArray<unknown>(meeting, name);
  if (array === null) throw new Error(`appendNested: meeting has no ${name}`);
  array.push([value]);
}

/** Write: stores a file (never changed afterwards). */
export function putMeetingFile(doc: Y.Doc, file: MeetingFile): void {
  meetingFilesMap(doc).set(file.id, file);
}

export function appendMeetingsAudit(doc: Y.Doc, entries: readonly AuditEntry[]): void {
  meetingsAudit(doc).push([...entries]);
}
