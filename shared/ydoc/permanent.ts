/**
 * What the law makes permanent in each document, as the sync server enforces it (docs/sync-server.md, "Security").
 * A CRDT lets any writer delete anything; the client's commands never delete these, and the server does not let a
 * deletion or an overwrite of them win: it stores the update, then restores what it removed in an update of its own
 * (sync-server/guard.ts).
 *
 * - `appendOnly`: arrays whose entries are never removed (audit trails, signatures, signed versions, a case's
 *   steps). An entry deleted is put back at its place; the array replaced whole by another under its map key keeps
 *   every entry it had.
 * - `setOnce`: map keys whose value, once set, is never overwritten nor deleted (`lockedAt`), some only under a
 *   condition: `locked` (the map holding the key has a `lockedAt`: a locked record's signed copy), `signed` (the value
 *   is a record map that carries a `signedContent`: a signed session or agreement cannot be removed).
 *
 * A path names a structure from the document's root: the top-level name, then map keys; `*` stands for any key (a
 * case id, a session id). Pure data: the server and tests read it, nothing else.
 */
import { AUDIT_ARCHIVE_MAP } from './auditArchive';
import { CASE_APPEND_FIELDS, CASE_AUDIT_ARRAY, CASES_MAP, REFUSED_CHANGES_ARRAY } from './cases';
import { isMaskedRegistryDocName, isRegistryDocName, parseDocName } from './docName';
import { AMENDMENTS, MEETINGS_AUDIT, MEETINGS_MAP, VERSIONS } from './meetings';
import { INCIDENT_AUDIT_ARRAY, INCIDENT_STEPS_ARRAY, INCIDENTS_MAP } from './incidents';
import { PARTY_AUDIT_ARRAY, PARTY_MAPS } from './party';
import { AUDIT_ARRAY } from './registry';
import { VENUE_AUDIT_ARRAY } from './resources';
import { TASK_AUDIT_ARRAY, TASK_EVENTS_ARRAY, TASKS_MAP } from './tasks';

export type PermanentPath = readonly string[];

export interface SetOnceRule {
  /** The map holding the key. */
  readonly path: PermanentPath;
  /** The key, or `*` for every key of the map. */
  readonly key: string;
  readonly when?: 'locked' | 'signed';
}

export interface PermanentRules {
  readonly appendOnly: readonly PermanentPath[];
  readonly setOnce: readonly SetOnceRule[];
}

export const ANY_KEY = '*';

const SIGNED_RECORDS = ['sessions', 'agreements'] as const;

const CASES_RULES: PermanentRules = {
  appendOnly: [
    [CASE_AUDIT_ARRAY],
    [REFUSED_CHANGES_ARRAY],
    ...CASE_APPEND_FIELDS.map((field) => [CASES_MAP, ANY_KEY, field]),
    ...SIGNED_RECORDS.map((records) => [CASES_MAP, ANY_KEY, records, ANY_KEY, 'signatures']),
  ],
  setOnce: SIGNED_RECORDS.flatMap((records): SetOnceRule[] => [
    { path: [CASES_MAP, ANY_KEY, records, ANY_KEY], key: 'lockedAt' },
    { path: [CASES_MAP, ANY_KEY, records, ANY_KEY], key: 'signedContent', when: 'locked' },
    { path: [CASES_MAP, ANY_KEY, records], key: ANY_KEY, when: 'signed' },
  ]),
};

const MEETINGS_RULES: PermanentRules = {
  appendOnly: [[MEETINGS_AUDIT], [MEETINGS_MAP, ANY_KEY, VERSIONS], [MEETINGS_MAP, ANY_KEY, AMENDMENTS]],
  setOnce: [],
};

/**
 * A task's state is read from its events (docs/tasks-model.md): a deleted event would rewrite its history. An instance
 * is set once (its deadlines and figures count from its publishing day and limits): overwritten or deleted, it is put
 * back.
 */
const TASKS_RULES: PermanentRules = {
  appendOnly: [[TASK_AUDIT_ARRAY], [TASK_EVENTS_ARRAY]],
  setOnce: [{ path: [TASKS_MAP], key: ANY_KEY }],
};

/**
 * A grid event's state is read from its steps (docs/incidents-model.md, "sync"), as a task's from its events: a deleted
 * or rewritten step would rewrite its history (a 不满意 visit taken back, a closure moved). An incident as reported is
 * set once (its time limits count from its report day).
 */
const INCIDENTS_RULES: PermanentRules = {
  appendOnly: [[INCIDENT_AUDIT_ARRAY], [INCIDENT_STEPS_ARRAY]],
  setOnce: [{ path: [INCIDENTS_MAP], key: ANY_KEY }],
};

/**
 * Residents' services (shared/ydoc/services.ts): an application's state and its 好差评 are read from its steps; an
 * application as accepted is set once. The catalogue (`items`) is edited by the office and is not guarded.
 */
const SERVICES_RULES: PermanentRules = {
  appendOnly: [['audit'], ['steps']],
  setOnce: [{ path: ['applications'], key: ANY_KEY }],
};

/**
 * The activities document (party building: shared/ydoc/party.ts; venues: shared/ydoc/resources.ts). Every party record
 * (a check-in, a claim, hours served, a patrol, a 四联 record, what a finding became) is written once and never
 * changed (docs/party-model.md): overwritten or deleted, it is put back; so are a fund entry's receipts. Bookings are
 * not: a move or a cancellation replaces a booking whole (docs/resources-model.md), and attendance is recounted. Both
 * audit trails are append-only.
 */
const ACTIVITIES_RULES: PermanentRules = {
  appendOnly: [[PARTY_AUDIT_ARRAY], [VENUE_AUDIT_ARRAY]],
  setOnce: [
    ...PARTY_MAPS.map((map): SetOnceRule => ({ path: [map], key: ANY_KEY })),
    { path: ['fundFiles'], key: ANY_KEY },
  ],
};

/**
 * The registry: its audit trail, and the three funds' ledger (`fundEntries`, docs/resources-model.md), whose entries are
 * never deleted (a correction is a reversing entry): an entry removed or replaced by another map is put back, with its
 * created fields. (A field written afterwards under its own key is a first write to the guard, not an overwrite; the
 * ledger reads each entry as created, `listFundEntries`, so such a key shadows nothing.) Every other
 * record of the registry is edited by its commands and not guarded.
 */
const REGISTRY_RULES: PermanentRules = {
  appendOnly: [[AUDIT_ARRAY]],
  setOnce: [
    { path: ['fundEntries'], key: ANY_KEY },
    { path: ['fundEntries', ANY_KEY], key: '@created' },
    // The years the server archived (auditArchive.ts): a device that lost the note would not find them.
    { path: [AUDIT_ARCHIVE_MAP], key: ANY_KEY },
  ],
};

/** Any collection added later: the audit trail at least. */
const AUDIT_ONLY_RULES: PermanentRules = { appendOnly: [[AUDIT_ARRAY]], setOnce: [] };

/** The rules of a document, by its name; `null` for a name that is not a document's. */
export function permanentRulesFor(name: string): PermanentRules | null {
  const ref = parseDocName(name);
  if (ref === null) return null;
  if (ref.collection === 'cases') return CASES_RULES;
  if (ref.collection === 'meetings') return MEETINGS_RULES;
  if (ref.collection === 'tasks') return TASKS_RULES;
  if (ref.collection === 'incidents') return INCIDENTS_RULES;
  if (ref.collection === 'services') return SERVICES_RULES;
  if (ref.collection === 'activities') return ACTIVITIES_RULES;
  if (ref.collection === 'registry') return REGISTRY_RULES;
  return AUDIT_ONLY_RULES;
}

/** Whether a concrete path (keys from the root) matches a rule's path. */
export function matchesPath(path: PermanentPath, pattern: PermanentPath): boolean {
  if (path.length !== pattern.length) return false;
  return pattern.every((segment, i) => segment === ANY_KEY || segment === path[i]);
}

/**
 * The names of the audit arrays of a document (top-level), whose new entries name their author: `audit` (registry,
 * cases, meetings, tasks, events, services) and the activities document's `partyAudit` and `venueAudit`. The server
 * compares each new entry's author with the token's user (sync-server/writes.ts).
 */
export const AUDIT_ARRAYS: readonly string[] = [AUDIT_ARRAY, PARTY_AUDIT_ARRAY, VENUE_AUDIT_ARRAY];

/**
 * The top-level arrays a viewer's token may append to, by document name (sync-server/viewerWrites.ts): the registry's
 * `audit`, where every device records its reveals, exports and prints of residents' data (the PIPL access log,
 * docs/security.md), and the same array of the masked registry a viewer syncs instead (the server carries its entries
 * into the registry). Nothing else of any document: cases and meetings log their prints in the registry too.
 */
export function viewerAppendableArrays(name: string): readonly string[] {
  return isRegistryDocName(name) || isMaskedRegistryDocName(name) ? [AUDIT_ARRAY] : [];
}
