/**
 * Yjs layout of the party-building records of an activities document (docs/party-model.md): one community, one year
 * (`docName({ community, collection: 'activities', year })`, the year of the record's day). The document is shared
 * with the venues' records (docs/resources-model.md: `bookings`, `attendance`, names prefixed `venue`/`project`/
 * `fund`); the party's names are these:
 *
 * | top-level name   | Yjs type                    | holds                                                              |
 * | ---------------- | --------------------------- | ------------------------------------------------------------------ |
 * | `checkIns`       | `Y.Map<id, CheckIn>`        | 双报到 check-ins of members and units (first, half-yearly)          |
 * | `claims`         | `Y.Map<key, Claim>`         | posts claimed; key `<post>/<member|unit>:<id>`: one per claimant    |
 * | `serviceRecords` | `Y.Map<id, ServiceRecord>`  | 服务登记卡: date, hours, content, rating                             |
 * | `patrols`        | `Y.Map<id, Patrol>`         | 红袖标 patrol logs with their findings                               |
 * | `concerns`       | `Y.Map<id, Concern>`        | 红马褂: residents' concerns collected                                |
 * | `volunteerHours` | `Y.Map<id, VolunteerHours>` | 小红帽 volunteer service                                             |
 * | `sessions`       | `Y.Map<id, Session>`        | 百姓大讲堂 / 大舞台 / 小茶馆                                          |
 * | `linkRecords`    | `Y.Map<id, LinkRecord>`     | 三平台's 四联 records                                                |
 * | `feedback`       | `Y.Map<id, Feedback>`       | quarterly feedback sheets sent to members' employers               |
 * | `outLinks`       | `Y.Map<key, OutLink>`       | what a record became (grid event, case, meeting); key per finding   |
 * | `partyAudit`     | `Y.Array<PartyAuditEntry>`  | one entry per command write, appended in the same transaction      |
 *
 * Every record is plain JSON set once and never changed: what two offline devices wrote both survive a merge (two
 * devices writing the same claim or link key merge into one, which is the rule: one claim per claimant, one event
 * per finding). Readers leave out, without throwing, any value that does not fit the shape the commands write. Only
 * shared/domain/party/commands.ts writes through the helpers marked "write".
 */
import type * as Y from 'yjs';
import type { z } from 'zod';
import { checker } from './checker';
import {
  checkInSchema,
  claimSchema,
  concernSchema,
  feedbackSchema,
  linkRecordSchema,
  outLinkSchema,
  patrolSchema,
  serviceRecordSchema,
  sessionSchema,
  volunteerHoursSchema,
  type CheckIn,
  type Claim,
  type Concern,
  type Feedback,
  type LinkRecord,
  type OutLink,
  type Patrol,
  type ServiceRecord,
  type Session,
  type VolunteerHours,
} from '../domain/party/types';

export interface PartyRecords {
  checkIns: CheckIn;
  claims: Claim;
  serviceRecords: ServiceRecord;
  patrols: Patrol;
  concerns: Concern;
  volunteerHours: VolunteerHours;
  sessions: Session;
  linkRecords: LinkRecord;
  feedback: Feedback;
  outLinks: OutLink;
}
export type PartyMap = keyof PartyRecords;

const SCHEMAS: { readonly [M in PartyMap]: z.ZodType } = {
  checkIns: checkInSchema,
  claims: claimSchema,
  serviceRecords: serviceRecordSchema,
  patrols: patrolSchema,
  concerns: concernSchema,
  volunteerHours: volunteerHoursSchema,
  sessions: sessionSchema,
  linkRecords: linkRecordSchema,
  feedback: feedbackSchema,
  outLinks: outLinkSchema,
};

export const PARTY_MAPS = Object.keys(SCHEMAS) as PartyMap[];
export const PARTY_AUDIT_ARRAY = 'partyAudit';

export interface PartyAuditNote {
  readonly action: string;
  readonly recordId: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface PartyAuditEntry extends PartyAuditNote {
  readonly id: string;
  readonly at: string;
  readonly userId: string;
  readonly userName: string;
  readonly deviceId: string;
}

const checkers = Object.fromEntries(PARTY_MAPS.map((m) => [m, checker(SCHEMAS[m])])) as {
  readonly [M in PartyMap]: (value: unknown) => value is PartyRecords[M];
};

const mapOf = <M extends PartyMap>(doc: Y.Doc, name: M) => doc.getMap<PartyRecords[M]>(name);

// --- read ----------------------------------------------------------------------------------------------------------

/** One record of a map, or null when absent or not of the shape the commands write. */
export function readPartyRecord<M extends PartyMap>(doc: Y.Doc, name: M, key: string): PartyRecords[M] | null {
  const value: unknown = mapOf(doc, name).get(key);
  return checkers[name](value) ? value : null;
}

/** Every well-formed record of a map, by day (`on`, else the instant written) then id: the same on every device. */
export function listPartyRecords<M extends PartyMap>(doc: Y.Doc, name: M): PartyRecords[M][] {
  const out: PartyRecords[M][] = [];
  mapOf(doc, name).forEach((value: unknown) => {
    if (checkers[name](value)) out.push(value);
  });
  const dayOf = (r: PartyRecords[M]) => ('on' in r && typeof r.on === 'string' ? r.on : r.at);
  return out.sort((a, b) => {
    const da = dayOf(a);
    const db = dayOf(b);
    if (da !== db) return da < db ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

export function hasPartyKey(doc: Y.Doc, name: PartyMap, key: string): boolean {
  return mapOf(doc, name).has(key);
}

export function readPartyAudit(doc: Y.Doc): PartyAuditEntry[] {
  return doc.getArray<PartyAuditEntry>(PARTY_AUDIT_ARRAY).toArray();
}

// --- write (shared/domain/party/commands.ts only; call inside a transaction) ----------------------------------------

/** Write: sets a record once under its key; false (nothing written) when the key is taken. */
export function insertPartyRecord<M extends PartyMap>(
  doc: Y.Doc,
  name: M,
  key: string,
  record: PartyRecords[M],
): boolean {
  const map = mapOf(doc, name);
  if (map.has(key)) return false;
  map.set(key, record);
  return true;
}

/** Write: appends audit entries. */
export function appendPartyAudit(doc: Y.Doc, entries: readonly PartyAuditEntry[]): void {
  doc.getArray<PartyAuditEntry>(PARTY_AUDIT_ARRAY).push([...entries]);
}
