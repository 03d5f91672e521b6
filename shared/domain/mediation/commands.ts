/**
 * Mediation commands: the only way anything writes to a `<community>/cases/<year>` document. Every one is built with
 * the command kernel (docs/architecture.md, "Commands"): the kernel checks the permission (`cases.edit`, `admin` for
 * archiving) and parses the input with the step's schema (inputs.ts); the plan reads the case and runs the machine's
 * step on the parsed input (status, rules); the kernel writes the difference between the case and the machine's next
 * value in ONE transaction tagged with a `CommandOrigin`, with its entry in the cases' audit journal.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import {
  commit,
  defineCommand,
  hasPermission,
  ok,
  plan,
  refuse,
  type CommandContext,
  type CommandResult,
  type Journal,
  type PermissionRule,
} from '../kernel';
import { headChain, type FiveHeadsSource } from '../registry/fiveHeads';
import {
  appendCaseAudit,
  insertCase,
  listCases,
  readCase,
  writeCase,
  casesMap,
  caseFileRef,
  caseFilesMap,
  MAX_CASE_FILE_CHARS,
  type CaseAuditNote,
} from '../../ydoc/cases';
import { canWriteLayout, documentLayout } from '../../ydoc/layout';
import { renumberings, type Renumbering } from './caseNumber';
import { nextCaseNumber } from './numberIndex';
import {
  addAttachment,
  applyIntake,
  archive,
  close,
  correct,
  escalate,
  extendDeadline,
  markJudicialConfirmation,
  reachAgreement,
  recordFollowUp,
  recordOutcome,
  recordSession,
  recordVisit,
  sealAgreement,
  setGuardian,
  signAgreement,
  signSession,
  startPerformance,
  updateAgreement,
  updateSession,
  type Step,
} from './machine';
import { caseIdSchema, intakeSchema } from './inputs';
import type { CaseId, ChainLink, MediationCase } from './types';

/** The cases' audit journal: one entry per write, appended in the command's transaction. */
const journal: Journal<CaseAuditNote> = appendCaseAudit;

/** The audit names the record an event is about (a session, an agreement, a corrected version), else the case. */
function auditOf(next: MediationCase): { recordId: string; fields: Readonly<Record<string, unknown>> } {
  const detail = next.timeline[next.timeline.length - 1]?.detail ?? {};
  const candidates = [detail.record === undefined ? null : detail.to, detail.sessionId, detail.agreementId];
  const recordId = candidates.find((v): v is string => typeof v === 'string') ?? next.id;
  // An update audits the values it wrote (as the registry's audit does), so a refused edit is never lost.
  const record = next.sessions[recordId] ?? next.agreements[recordId];
  if (record !== undefined && typeof detail.fields === 'string') {
    const written = Object.fromEntries(
      detail.fields
        .split(',')
        .filter((f) => f in record)
        .map((f) => [f, (record as unknown as Record<string, unknown>)[f]]),
    );
    return { recordId, fields: { ...detail, values: written } };
  }
  return { recordId, fields: detail };
}

/** Where the chain of heads comes from at intake: the community's registry document or a snapshot of it. */
export type ChainSource = Y.Doc | FiveHeadsSource;

/** The five-heads chain of a building as mediation levels (the registry's head levels are the chain's lower five). */
export function chainOf(registry: ChainSource, buildingId: string): ChainLink[] {
  return headChain(registry, buildingId).map((link) => ({
    level: link.level,
    nodeId: link.nodeId,
    nodeName: link.nodeName,
    head: link.head,
  }));
}

/**
 * 登记/受理: registers a case at the lowest head of its place, with the next number this device knows of (settled
 * after sync by `renumberCases`). `registry` gives the chain; a building it does not know is `not-found`.
 */
export const intakeCase = defineCommand({
  name: 'intake',
  permission: 'cases.edit',
  input: intakeSchema,
  journal,
  plan: (doc: Y.Doc, v, ctx, registry: ChainSource | null) => {
    const buildingId = v.place.buildingId;
    let chain: ChainLink[] = [];
    if (buildingId !== null) {
      chain = registry === null ? [] : chainOf(registry, buildingId);
      if (chain.length === 0) return refuse('not-found', 'place.buildingId');
    }
    const result = applyIntake(v, { chain, number: nextCaseNumber(doc) }, ctx);
    if (!result.ok) return result;
    const next = result.value;
    return plan(next.id, (audit) => {
      insertCase(doc, next);
      audit({
        action: 'intake',
        caseId: next.id,
        recordId: next.id,
        fields: { number: next.number, level: next.level, category: next.category, risk: next.risk },
      });
    });
  },
});

/** Archiving seals the dossier for good: the office's act (`admin`); every other step needs `cases.edit`. */
function stepPermission(kind: string): PermissionRule {
  return kind === 'archive' ? 'admin' : 'cases.edit';
}

/** A step of the machine as a command: the kernel parses with the step's schema; the plan reads the case and runs it. */
function stepCommand<S extends z.ZodType<{ caseId: CaseId }>>(step: Step<S>) {
  return defineCommand({
    name: step.kind,
    permission: stepPermission(step.kind),
    input: step.schema,
    journal,
    plan: (doc: Y.Doc, v: z.output<S>, ctx) => {
      const prev = readCase(doc, v.caseId);
      if (prev === null) return refuse('not-found', 'caseId');
      const result = step.apply(prev, v, ctx);
      if (!result.ok) return result;
      const next = result.value;
      return plan(next, (audit) => {
        writeCase(doc, prev, next);
        audit({ action: step.kind, caseId: next.id, ...auditOf(next) });
      });
    },
  });
}

export const recordCaseVisit = stepCommand(recordVisit);
export const escalateCase = stepCommand(escalate);
export const recordCaseSession = stepCommand(recordSession);
export const updateCaseSession = stepCommand(updateSession);
export const signCaseSession = stepCommand(signSession);
export const reachCaseAgreement = stepCommand(reachAgreement);
export const updateCaseAgreement = stepCommand(updateAgreement);
export const signCaseAgreement = stepCommand(signAgreement);
export const sealCaseAgreement = stepCommand(sealAgreement);
export const recordCaseOutcome = stepCommand(recordOutcome);
export const markCaseJudicialConfirmation = stepCommand(markJudicialConfirmation);
export const startCasePerformance = stepCommand(startPerformance);
export const recordCaseFollowUp = stepCommand(recordFollowUp);
export const closeCase = stepCommand(close);
export const archiveCase = stepCommand(archive);
export const extendCaseDeadline = stepCommand(extendDeadline);
export const correctCaseRecord = stepCommand(correct);
export const addCaseAttachment = stepCommand(addAttachment);
export const setCasePartyGuardian = stepCommand(setGuardian);

/**
 * Settles the case numbers of the document after a sync (caseNumber.ts) and writes each change: the new `number` and
 * a `renumber` timeline event whose id is derived from the case and both numbers, so two devices settling the same
 * merge at once write the same values and the reader keeps one event. Returns the renumberings (empty: nothing
 * written). Run it after each sync; it is a no-op when nothing collided.
 */
export function renumberCases(doc: Y.Doc, ctx: CommandContext): CommandResult<Renumbering[]> {
  if (!hasPermission(ctx.permissions, 'cases.edit')) return refuse('permission-denied');
  if (!canWriteLayout(doc)) return refuse('layout-too-new', undefined, { layout: documentLayout(doc) });
  const changes = renumberings(listCases(doc));
  if (changes.length === 0) return ok([]);
  commit(doc, ctx, 'renumber', journal, (audit, at) => {
    for (const change of changes) {
      const prev = readCase(doc, change.caseId);
      if (prev === null) continue;
      const next: MediationCase = {
        ...prev,
        number: change.to,
        timeline: [
          ...prev.timeline,
          {
            id: `renumber:${change.caseId}:${change.from}:${change.to}`,
            at,
            kind: 'renumber',
            by: { userId: ctx.actor.userId, userName: ctx.actor.userName, deviceId: ctx.actor.deviceId },
            detail: { from: change.from, to: change.to },
          },
        ],
      };
      writeCase(doc, prev, next);
      audit({
        action: 'renumber',
        caseId: change.caseId,
        recordId: change.caseId,
        fields: { from: change.from, to: change.to },
      });
    }
  });
  return ok(changes);
}

const caseFileSchema = z.object({
  /** The case the file is for, when it exists already (not at intake). */
  caseId: caseIdSchema.nullable().default(null),
  name: z.string().trim().min(1).max(100),
  type: z.string().max(100).default(''),
  // Only data URLs: the file is kept in the document itself (see `CaseFile`).
  data: z
    .string()
    .regex(/^data:[^,]*,/)
    .max(MAX_CASE_FILE_CHARS),
});

/**
 * Keeps a small file (photo of the scene, signed paper page) in the cases document and returns its reference
 * (`file:<id>`) for an attachment or a paper signature. Too big: `invalid` on `data` (the screens shrink photos first).
 * The audit names the file, its type and size (not its bytes) and the case it is for (`''` at intake, before the case
 * exists).
 */
export const storeCaseFile = defineCommand({
  name: 'storeCaseFile',
  permission: 'cases.edit',
  input: caseFileSchema,
  journal,
  plan: (doc: Y.Doc, v, ctx) => {
    const id = ctx.newId();
    return plan(caseFileRef(id), (audit, at) => {
      caseFilesMap(doc).set(id, {
        id,
        name: v.name,
        type: v.type,
        data: v.data,
        addedAt: at,
        addedBy: ctx.actor.userName,
      });
      audit({
        action: 'storeCaseFile',
        caseId: v.caseId ?? '',
        recordId: caseFileRef(id),
        fields: { name: v.name, type: v.type, chars: v.data.length },
      });
    });
  },
});

export function caseIds(doc: Y.Doc): CaseId[] {
  return [...casesMap(doc).keys()] as CaseId[];
}
