/**
 * Mediation commands: the only way anything writes to a `<community>/cases/<year>` document (DESIGN.md, data flow 3).
 * Same pattern as the registry's commands:
 * 1. permission, input shape (zod) and domain rules are checked by the state machine (machine.ts) against the case as
 *    read from the document, BEFORE touching the document;
 * 2. the difference between the case and the machine's next value is written in ONE `doc.transact(fn, origin)` with
 *    `origin = { kind: 'command', command, actor }` (`isCommandOrigin` of the registry recognises it);
 * 3. the audit entry is appended in that same transaction.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { domainError, err, ok, parseInput } from '../result';
import type { CommandContext, CommandOrigin, CommandResult } from '../registry/commands';
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
  type CaseAuditEntry,
} from '../../ydoc/cases';
import { nextProvisionalNumber, renumberings, type Renumbering } from './caseNumber';
import {
  addAttachment,
  archive,
  canMediate,
  close,
  correct,
  escalate,
  extendDeadline,
  intake,
  markJudicialConfirmation,
  reachAgreement,
  recordFollowUp,
  recordOutcome,
  recordSession,
  recordVisit,
  sealAgreement,
  signAgreement,
  signSession,
  startPerformance,
  updateAgreement,
  updateSession,
  type MachineContext,
  type MachineResult,
} from './machine';
import { caseIdSchema, type CaseActionKind, type CaseId, type ChainLink, type MediationCase } from './types';

function commit(
  doc: Y.Doc,
  ctx: CommandContext,
  command: CaseActionKind,
  write: (audit: (caseId: string, recordId: string, fields: Readonly<Record<string, unknown>>) => void) => void,
): void {
  const at = ctx.now().toISOString();
  const origin: CommandOrigin = { kind: 'command', command, actor: ctx.actor };
  doc.transact(() => {
    const entries: CaseAuditEntry[] = [];
    write((caseId, recordId, fields) => {
      entries.push({
        id: ctx.newId(),
        at,
        userId: ctx.actor.userId,
        userName: ctx.actor.userName,
        deviceId: ctx.actor.deviceId,
        action: command,
        caseId,
        recordId,
        fields,
      });
    });
    appendCaseAudit(doc, entries);
  }, origin);
}

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

const placeOnly = z.object({ place: z.object({ buildingId: z.string().min(1).max(64).nullable().default(null) }) });

/**
 * 登记/受理: registers a case at the lowest head of its place, with the next number this device knows of (settled
 * after sync by `renumberCases`). `registry` gives the chain; a building it does not know is `not-found`.
 */
export function intakeCase(
  doc: Y.Doc,
  ctx: CommandContext,
  input: unknown,
  registry: ChainSource | null,
): CommandResult<CaseId> {
  if (!canMediate(ctx.permissions)) return err(domainError('permission-denied'));
  const place = parseInput(placeOnly, input);
  if (!place.ok) return place;
  const buildingId = place.value.place.buildingId;
  let chain: ChainLink[] = [];
  if (buildingId !== null) {
    chain = registry === null ? [] : chainOf(registry, buildingId);
    if (chain.length === 0) return err(domainError('not-found', 'place.buildingId'));
  }
  const result = intake(input, { chain, number: nextProvisionalNumber(listCases(doc)) }, ctx);
  if (!result.ok) return result;
  const next = result.value;
  commit(doc, ctx, 'intake', (audit) => {
    insertCase(doc, next);
    audit(next.id, next.id, { number: next.number, level: next.level, category: next.category, risk: next.risk });
  });
  return ok(next.id);
}

type Step = (state: MediationCase, input: unknown, ctx: MachineContext) => MachineResult;

const caseRef = z.object({ caseId: caseIdSchema });

function stepCommand(kind: CaseActionKind, machineStep: Step) {
  return (doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<MediationCase> => {
    const ref = parseInput(caseRef, input);
    if (!ref.ok) return ref;
    const prev = readCase(doc, ref.value.caseId);
    if (prev === null) return err(domainError('not-found', 'caseId'));
    const result = machineStep(prev, input, ctx);
    if (!result.ok) return result;
    const next = result.value;
    commit(doc, ctx, kind, (audit) => {
      writeCase(doc, prev, next);
      const { recordId, fields } = auditOf(next);
      audit(next.id, recordId, fields);
    });
    return ok(next);
  };
}

export const recordCaseVisit = stepCommand('recordVisit', recordVisit);
export const escalateCase = stepCommand('escalate', escalate);
export const recordCaseSession = stepCommand('recordSession', recordSession);
export const updateCaseSession = stepCommand('updateSession', updateSession);
export const signCaseSession = stepCommand('signSession', signSession);
export const reachCaseAgreement = stepCommand('reachAgreement', reachAgreement);
export const updateCaseAgreement = stepCommand('updateAgreement', updateAgreement);
export const signCaseAgreement = stepCommand('signAgreement', signAgreement);
export const sealCaseAgreement = stepCommand('sealAgreement', sealAgreement);
export const recordCaseOutcome = stepCommand('recordOutcome', recordOutcome);
export const markCaseJudicialConfirmation = stepCommand('markJudicialConfirmation', markJudicialConfirmation);
export const startCasePerformance = stepCommand('startPerformance', startPerformance);
export const recordCaseFollowUp = stepCommand('recordFollowUp', recordFollowUp);
export const closeCase = stepCommand('close', close);
export const archiveCase = stepCommand('archive', archive);
export const extendCaseDeadline = stepCommand('extendDeadline', extendDeadline);
export const correctCaseRecord = stepCommand('correct', correct);
export const addCaseAttachment = stepCommand('addAttachment', addAttachment);

/**
 * Settles the case numbers of the document after a sync (caseNumber.ts) and writes each change: the new `number` and
 * a `renumber` timeline event whose id is derived from the case and both numbers, so two devices settling the same
 * merge at once write the same values and the reader keeps one event. Returns the renumberings (empty: nothing
 * written). Run it after each sync; it is a no-op when nothing collided.
 */
export function renumberCases(doc: Y.Doc, ctx: CommandContext): CommandResult<Renumbering[]> {
  if (!canMediate(ctx.permissions)) return err(domainError('permission-denied'));
  const changes = renumberings(listCases(doc));
  if (changes.length === 0) return ok([]);
  const at = ctx.now().toISOString();
  commit(doc, ctx, 'renumber', (audit) => {
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
      audit(change.caseId, change.caseId, { from: change.from, to: change.to });
    }
  });
  return ok(changes);
}

const caseFileSchema = z.object({
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
 */
export function storeCaseFile(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string> {
  if (!canMediate(ctx.permissions)) return err(domainError('permission-denied'));
  const parsed = parseInput(caseFileSchema, input);
  if (!parsed.ok) return parsed;
  const id = ctx.newId();
  const origin: CommandOrigin = { kind: 'command', command: 'storeCaseFile', actor: ctx.actor };
  doc.transact(() => {
    caseFilesMap(doc).set(id, {
      id,
      name: parsed.value.name,
      type: parsed.value.type,
      data: parsed.value.data,
      addedAt: ctx.now().toISOString(),
      addedBy: ctx.actor.userName,
    });
  }, origin);
  return ok(caseFileRef(id));
}

export function caseIds(doc: Y.Doc): CaseId[] {
  return [...casesMap(doc).keys()] as CaseId[];
}
