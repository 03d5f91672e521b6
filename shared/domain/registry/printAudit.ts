/**
 * The audit of prints. PIPL art. 51 and 55: a printed page (or a PDF) of a mediation record or of a meeting's minutes
 * leaves the device as surely as an exported file does, with names, addresses and phones on it; so every print of a
 * document with personal data leaves a `print` audit entry in the community's registry document, the one log the
 * resident drawer's 查阅记录 reads ("who saw or exported whose data").
 *
 * The entry says who printed, when, from which device, which document of which record, whether phones were printed in
 * full, and which registry residents the document names (by id: parties linked to the registry, attendees picked from
 * it). It never holds a printed value. A kernel command (docs/architecture.md, "commands") kept apart from the others
 * like exportAudit.ts: it writes nothing but its audit entry, in one command transaction.
 *
 * Documents without personal data beyond a convener's name (a meeting's notice, its published resolutions) are public
 * by purpose and are not logged.
 */
import { z } from 'zod';
import { defineCommand, hasPermission, plan, refuse, type Permission } from '../kernel';
import { registryJournal, type RegistryPlan } from './journal';

/** The printed documents that carry personal data. Only ever added to. */
export const PRINT_DOCUMENTS = [
  /** 人民调解协议书: the parties with sex, age, phone and address. */
  'mediation-agreement',
  /** 卷宗: 调解登记表, 调解笔录, the agreement, follow-ups and the closing report. */
  'mediation-dossier',
  /** 会议记录: attendance with absence reasons, votes. */
  'meeting-minutes',
  /** 签到表: the expected attendees by name. */
  'meeting-sign-in',
  /** Any print of a resident's own record. */
  'resident',
] as const;
export type PrintDocument = (typeof PRINT_DOCUMENTS)[number];

/** A printed document names at most this many registry residents (an owners' assembly's sheet is the longest). */
export const PRINT_RESIDENTS_MAX = 5_000;

const id = z.string().min(1).max(64);

export const recordPrintSchema = z.object({
  document: z.enum(PRINT_DOCUMENTS),
  /** The document the printed record lives in (`docName(...)`, e.g. `<community>/cases/2026`). */
  docName: z.string().min(1).max(120),
  /** Its collection (`cases`, `meetings`, `residents`) and id. */
  collection: z.string().min(1).max(40),
  recordId: id,
  /** The registry residents the printed pages name. */
  residentIds: z.array(id).max(PRINT_RESIDENTS_MAX).default([]),
  /** Phones (or ID numbers) printed in full rather than masked. */
  unmasked: z.boolean(),
});
export type RecordPrintInput = z.input<typeof recordPrintSchema>;

/** The documents of a mediation case, whose parties' particulars a mediator prints (人民调解法 art. 29). */
const MEDIATION_DOCUMENTS: readonly PrintDocument[] = ['mediation-agreement', 'mediation-dossier'];

/**
 * Who may print full phones and ID numbers on `document`: those who may reveal them on screen (`registry.reveal`,
 * PIPL art. 28), and mediators on the documents of a case (`cases.edit`: 人民调解法 art. 29 puts the parties'
 * particulars on the agreement), not on a resident's record or a meeting's minutes. Anyone else, a viewer above all,
 * prints them masked; a masked print is what they see on screen.
 */
export function mayPrintUnmasked(permissions: ReadonlySet<Permission>, document: PrintDocument): boolean {
  if (hasPermission(permissions, 'registry.reveal')) return true;
  return MEDIATION_DOCUMENTS.includes(document) && hasPermission(permissions, 'cases.edit');
}

/**
 * Records one print in the audit (call it before the page goes to the printer). Returns the audit entry's id. Anyone
 * who sees a document may print it masked (what they see on screen); full values need `mayPrintUnmasked`.
 */
export const recordPrint = defineCommand({
  name: 'recordPrint',
  permission: () => true,
  input: recordPrintSchema,
  journal: registryJournal,
  plan: (_doc, v, ctx): RegistryPlan<{ printId: string }> => {
    const { document, docName, collection, recordId, residentIds, unmasked } = v;
    if (unmasked && !mayPrintUnmasked(ctx.permissions, document)) return refuse('permission-denied');
    const printId = ctx.newId();
    const fields = { document, docName, unmasked, residentIds: [...new Set(residentIds)] };
    return plan({ printId }, (audit) => audit({ action: 'print', collection, recordId, fields }, printId));
  },
});
