/**
 * The audit of exports. PIPL art. 51 and docs/domain.md ("Personal data (PIPL)": log every export): every list that leaves the registry as a file
 * leaves an `export` audit entry saying who exported what (which columns, how many people, which filter, masked or
 * not). The entry never holds the exported data itself.
 *
 * A kernel command (docs/architecture.md, "commands") kept apart from the others: it writes nothing but its audit
 * entry, in one transaction tagged with the command origin like any other command write.
 */
import { z } from 'zod';
import { defineCommand, hasPermission, plan, refuse, type CommandContext } from '../kernel';
import { registryJournal, type RegistryPlan } from './journal';

export const EXPORT_KINDS = ['residents'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/**
 * Who was in an export (docs/security.md, "Roles, removal and the access log"). PIPL art. 45 lets a resident ask what
 * the office did with their data, and art. 55/56 ask the office to keep a record it can answer from; the resident
 * drawer's 查阅记录 answers "who exported me, when, masked or not". So an export of up to `EXPORT_LISTED_MAX` people
 * keeps their resident ids (internal ids, never a name, ID number or phone: the entry holds no exported value, PIPL
 * art. 6 minimisation), and that is exact. A bigger export (in practice the whole community, or a large category) keeps
 * only its filter and count, marked `listed: false`: listing 20,000 ids would add ~0.7 MB to a synced document that
 * can never shrink (the audit is append-only) at every such export, and say little more than "everyone registered
 * then". The access log attributes such an export to a resident who was registered at the time and matches the filter
 * (see accessLog.ts), and says that it was found by the filter. Entries written before ids were kept read the same way.
 */
export const EXPORT_LISTED_MAX = 1_000;

export const recordExportSchema = z.object({
  kind: z.enum(EXPORT_KINDS),
  count: z.number().int().min(0),
  columns: z.array(z.string().min(1).max(40)).max(60),
  unmasked: z.boolean(),
  /**
   * The filter that chose the rows: building, compound, tag ids and the search text. Only these keys: the command is
   * open to every role and its entry is synced and never shrinks, so a free-form record would let any caller write
   * any amount of text, personal data included, past `auditQuery`'s mask (which reads `query` only).
   */
  filter: z
    .object({
      query: z.string().max(200),
      buildingId: z.string().min(1).max(64),
      compoundId: z.string().min(1).max(64),
      tag: z.string().min(1).max(40),
      includeDeleted: z.boolean(),
    })
    .partial()
    .strict()
    .default({}),
  /** The exported residents' ids (all of them, `count` long); kept in the entry only up to `EXPORT_LISTED_MAX`. */
  residentIds: z.array(z.string().min(1).max(64)).optional(),
});

/**
 * Who may export. A masked list is no more than the person already sees on screen; full ID numbers and phones need
 * `registry.reveal` (PIPL art. 28: sensitive personal information), the same permission as revealing one on screen.
 */
export function mayExport(ctx: CommandContext, unmasked: boolean): boolean {
  return !unmasked || hasPermission(ctx.permissions, 'registry.reveal');
}

/**
 * A search text can itself be personal data (a full ID number typed into the search box). The audit is synced to
 * every device of the community, so long digit runs are kept to their last 4 digits, like a mask.
 */
export function auditQuery(query: string): string {
  return query.trim().replace(/\d{6,}[\dXx]?/g, (run) => '*'.repeat(run.length - 4) + run.slice(-4));
}

/** Records one export in the audit. Returns the id of the audit entry, which is also the entry's `recordId`. */
export const recordExport = defineCommand({
  name: 'recordExport',
  // A masked export is open to anyone who sees the list; `mayExport` decides on the input.
  permission: () => true,
  input: recordExportSchema,
  journal: registryJournal,
  plan: (_doc, v, ctx): RegistryPlan<{ exportId: string }> => {
    const { kind, count, columns, unmasked, filter, residentIds } = v;
    if (!mayExport(ctx, unmasked)) return refuse('permission-denied');
    if (residentIds !== undefined && residentIds.length !== count) return refuse('invalid', 'residentIds');
    const listed = residentIds !== undefined && residentIds.length <= EXPORT_LISTED_MAX;
    const safeFilter = filter.query === undefined ? filter : { ...filter, query: auditQuery(filter.query) };
    const exportId = ctx.newId();
    const fields = {
      count,
      columns,
      unmasked,
      filter: safeFilter,
      ...(listed ? { residentIds: [...new Set(residentIds)] } : { listed: false }),
    };
    return plan({ exportId }, (audit) =>
      audit({ action: 'export', collection: kind, recordId: exportId, fields }, exportId),
    );
  },
});
