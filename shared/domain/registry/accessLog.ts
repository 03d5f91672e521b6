/**
 * "Who saw or exported whose data" for one resident (PIPL art. 45 and 55; the resident drawer's 查阅记录): the reveal,
 * export and print entries of the registry's audit that concern the resident, newest first.
 *
 * - `reveal`: the entry names the resident (its `recordId`).
 * - `print`: the entry lists the residents the printed pages name (`residentIds`, see printAudit.ts).
 * - `export`: an export of up to EXPORT_LISTED_MAX people lists them (`residentIds`); a bigger one (and any written
 *   before ids were kept) has only its filter and count, and concerns the resident when the resident was registered
 *   at the time and matches the filter now (building, compound, category). That attribution is marked `by-filter`, and
 *   `searched` when a search text also narrowed the list, which this log cannot re-run (its digits are masked): the
 *   screen says so rather than claiming more than the log knows. See exportAudit.ts for why.
 *
 * Entries of closed years live in the yearly archives the sync server moves them to (docs/registry-model.md, "Where
 * the audit lives"); given those documents (`archived`), their entries are read too, each once.
 */
import type * as Y from 'yjs';
import { archiveArray, mergeAuditEntries } from '../../ydoc/auditArchive';
import { auditArray, readRecord } from '../../ydoc/registry';
import type { AuditEntry } from './types';

export const ACCESS_ACTIONS = ['reveal', 'export', 'print'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

export interface AccessEntry {
  readonly id: string;
  readonly at: string;
  readonly action: AccessAction;
  readonly userId: string;
  readonly userName: string;
  readonly deviceId: string;
  /** Full values were shown, exported or printed (a reveal always is). */
  readonly unmasked: boolean;
  /** `reveal`: the field shown (`idNumber`, `phone`). */
  readonly field: string | null;
  /** `export`: the columns of the file. */
  readonly columns: readonly string[];
  /** `export`: how many people the file held. */
  readonly count: number | null;
  /** `export`: the filter that chose them. */
  readonly filter: Readonly<Record<string, string | boolean>>;
  /** `print`: which document (PRINT_DOCUMENTS), of which record. */
  readonly document: string | null;
  readonly source: { readonly collection: string; readonly recordId: string; readonly docName: string } | null;
  /** `named`: the entry names the resident; `by-filter`: a bulk export whose filter the resident matches. */
  readonly attribution: 'named' | 'by-filter';
  /** `by-filter` only: a search text narrowed the export too, so the resident may not have been in it. */
  readonly searched: boolean;
}

const isAccess = (action: string): action is AccessAction => (ACCESS_ACTIONS as readonly string[]).includes(action);

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

function filterOf(value: unknown): Record<string, string | boolean> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter((pair): pair is [string, string | boolean] => {
      const v = pair[1];
      return typeof v === 'string' || typeof v === 'boolean';
    }),
  );
}

/** Where a resident lives now, for matching a bulk export's filter. */
interface Place {
  readonly buildingId: string | null;
  readonly compoundId: string | null;
}

function placeOf(doc: Y.Doc, householdId: string): Place {
  const household = readRecord(doc, 'households', householdId);
  const building = household ? readRecord(doc, 'buildings', household.buildingId) : null;
  return { buildingId: household?.buildingId ?? null, compoundId: building?.compoundId ?? null };
}

/** Whether a bulk export (no ids kept) could have held the resident: registered then, and matching its filter. */
function matchesExport(
  entry: AuditEntry,
  filter: Readonly<Record<string, string | boolean>>,
  resident: { createdAt: string; deletedAt: string | null; tags: readonly string[] },
  place: Place,
): boolean {
  if (resident.createdAt > entry.at) return false;
  if (resident.deletedAt !== null && resident.deletedAt <= entry.at && filter.includeDeleted !== true) return false;
  if (typeof filter.buildingId === 'string' && filter.buildingId !== place.buildingId) return false;
  if (typeof filter.compoundId === 'string' && filter.compoundId !== place.compoundId) return false;
  if (typeof filter.tag === 'string' && !resident.tags.includes(filter.tag)) return false;
  return true;
}

/**
 * The access log of one resident: reveals, exports and prints that concern them, newest first; with `archived` (the
 * community's `<community>/audit/<year>` documents, read on demand) those of the archived years too.
 */
export function accessLogOf(doc: Y.Doc, residentId: string, archived: readonly Y.Doc[] = []): AccessEntry[] {
  const resident = readRecord(doc, 'residents', residentId);
  let place: Place | null = null;
  const log: AccessEntry[] = [];
  const entries = mergeAuditEntries(
    auditArray(doc).toArray(),
    ...archived.map((archive) => archiveArray(archive).toArray()),
  );
  for (const entry of entries) {
    if (!isAccess(entry.action)) continue;
    const fields = entry.fields;
    const named = strings(fields.residentIds);
    const filter = filterOf(fields.filter);
    let attribution: AccessEntry['attribution'];
    if (entry.action === 'reveal') {
      if (entry.collection !== 'residents' || entry.recordId !== residentId) continue;
      attribution = 'named';
    } else if (entry.action === 'print') {
      if (!named.includes(residentId) && !(entry.collection === 'residents' && entry.recordId === residentId)) continue;
      attribution = 'named';
    } else if (Array.isArray(fields.residentIds)) {
      if (!named.includes(residentId)) continue;
      attribution = 'named';
    } else {
      if (resident === null || entry.collection !== 'residents') continue;
      place ??= placeOf(doc, resident.householdId);
      const record = { createdAt: resident.createdAt, deletedAt: resident.deletedAt ?? null, tags: resident.tags };
      if (!matchesExport(entry, filter, record, place)) continue;
      attribution = 'by-filter';
    }
    const query = filter.query;
    log.push({
      id: entry.id,
      at: entry.at,
      action: entry.action,
      userId: entry.userId,
      userName: entry.userName,
      deviceId: entry.deviceId,
      unmasked: entry.action === 'reveal' || fields.unmasked === true,
      field: entry.action === 'reveal' && typeof fields.revealed === 'string' ? fields.revealed : null,
      columns: entry.action === 'export' ? strings(fields.columns) : [],
      count: entry.action === 'export' && typeof fields.count === 'number' ? fields.count : null,
      filter: entry.action === 'export' ? filter : {},
      document: entry.action === 'print' && typeof fields.document === 'string' ? fields.document : null,
      source:
        entry.action === 'print'
          ? {
              collection: entry.collection,
              recordId: entry.recordId,
              docName: typeof fields.docName === 'string' ? fields.docName : '',
            }
          : null,
      attribution,
      searched: attribution === 'by-filter' && typeof query === 'string' && query.trim() !== '',
    });
  }
  return log.sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
}
