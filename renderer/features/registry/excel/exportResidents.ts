/**
 * Export of a resident list to .xlsx, for the Excel tab and the residents list ("导出Excel" of what is on screen).
 *
 * PIPL (docs/domain.md, "Personal data (PIPL)"): ID numbers and phones are masked unless the person chose full
 * values, which needs `registry.reveal`; every export that reaches a file leaves an `export` audit entry (who, how
 * many and whom, which columns and filter, masked or not), which the resident drawer's 查阅记录 reads.
 */
import { chinaDate } from '@shared/domain/dates';
import { mayExport, recordExport } from '@shared/domain/registry/exportAudit';
import { maskIdNumber, maskPhone } from '@shared/domain/registry/mask';
import { domainError, err, ok, type DomainError, type Result } from '@shared/domain/result';
import { listRecords } from '@shared/ydoc/registry';
import type { CommunityId } from '@shared/ydoc/docName';
import type { SaveFileRequest, SaveFileResult } from '@shared/ipc/contract';
import {
  EXPORT_COLUMNS,
  RELATION_SHEET_WORDS,
  SEX_SHEET_WORDS,
  TAG_SHEET_WORDS,
  writeResidentsSheet,
  type ResidentSheetRow,
} from '../../../data/excel';
import type { ResidentFilter, WorkstationStore } from '../../../data/store';

export interface ExportOptions {
  /** Full ID numbers and phones instead of masks (needs `registry.reveal`; audited as unmasked). */
  readonly unmasked: boolean;
  /** Where the file goes: `platform.saveFile` (a save dialog on the desktop, a download in the browser). */
  readonly save: (request: SaveFileRequest) => Promise<SaveFileResult>;
  /** File name offered in the dialog; defaults to `居民名单-<date>.xlsx`. */
  readonly fileName?: string;
}

export interface ExportDone {
  readonly count: number;
  readonly path: string;
}

/** Every matching resident, not just the first page the list shows. */
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/**
 * Exports the residents matching `query` and `filter` (as the residents list shows them). Resolves `ok(null)` when
 * the person cancels the save dialog (nothing is audited: nothing left the registry).
 */
export async function exportResidents(
  store: WorkstationStore,
  community: CommunityId,
  query: string,
  filter: ResidentFilter,
  options: ExportOptions,
): Promise<Result<ExportDone | null, DomainError>> {
  const ctx = store.commandContext(community);
  // Checked before building the file, so a refused export never produces one.
  if (!mayExport(ctx, options.unmasked)) return err(domainError('permission-denied'));

  const { hits } = await store.searchResidents(community, query, filter, NO_LIMIT);
  const { doc } = await store.registry(community);
  const byId = <T extends { id: string }>(records: readonly T[]) => new Map(records.map((r) => [r.id, r]));
  const households = byId(listRecords(doc, 'households'));
  const buildings = byId(listRecords(doc, 'buildings'));
  const entrances = byId(listRecords(doc, 'entrances'));
  const compounds = byId(listRecords(doc, 'compounds'));

  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  // Stored values may come from a newer version with relations or tags this one does not know: keep them as written.
  const relationWords: Partial<Record<string, string>> = RELATION_SHEET_WORDS;
  const tagWords: Partial<Record<string, string>> = TAG_SHEET_WORDS;
  const rows: ResidentSheetRow[] = hits.map(({ row }) => {
    const r = row.record;
    const household = households.get(text(r.householdId));
    const building = household ? buildings.get(household.buildingId) : undefined;
    const idNumber = text(r.idNumber);
    const phone = text(r.phone);
    const tags = Array.isArray(r.tags) ? r.tags.filter((tag): tag is string => typeof tag === 'string') : [];
    const sex = r.sex === 'male' || r.sex === 'female' ? SEX_SHEET_WORDS[r.sex] : '';
    return {
      name: text(r.name),
      sex,
      birthDate: text(r.birthDate),
      idNumber: options.unmasked ? idNumber : idNumber && maskIdNumber(idNumber),
      phone: options.unmasked ? phone : phone && maskPhone(phone),
      compound: building ? (compounds.get(building.compoundId)?.name ?? '') : '',
      building: building?.name ?? '',
      entrance: household?.entranceId ? (entrances.get(household.entranceId)?.name ?? '') : '',
      doorNumber: household?.doorNumber ?? '',
      relation: relationWords[text(r.relation)] ?? text(r.relation),
      tags: tags.map((tag) => tagWords[tag] ?? tag).join('、'),
      floorArea: household?.floorArea ?? null,
      note: text(r.note),
    };
  });

  const content = await writeResidentsSheet(rows, EXPORT_COLUMNS);
  const saved = await options.save({
    defaultName: options.fileName ?? `居民名单-${chinaDate(new Date())}.xlsx`,
    content,
    filters: [{ name: 'Excel', extensions: ['xlsx'] }],
  });
  if (saved === null) return ok(null);

  // Audited once the file exists, masked or not, with who was in it (exportAudit.ts keeps the ids of up to 1,000
  // people, the filter and count of a bigger list); the permission was checked above, so this cannot be refused.
  const audit = await store.run(community, recordExport, {
    kind: 'residents',
    count: rows.length,
    residentIds: hits.map(({ row }) => row.id),
    columns: [...EXPORT_COLUMNS],
    unmasked: options.unmasked,
    filter: {
      query,
      ...(filter.buildingId ? { buildingId: filter.buildingId } : {}),
      ...(filter.compoundId ? { compoundId: filter.compoundId } : {}),
      ...(filter.tag ? { tag: filter.tag } : {}),
      ...(filter.includeDeleted ? { includeDeleted: true } : {}),
    },
  });
  if (!audit.ok) return audit;
  return ok({ count: rows.length, path: saved.path });
}
