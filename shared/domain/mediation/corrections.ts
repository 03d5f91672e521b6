/** Corrections of locked records (更正) and files added after intake (docs/domain.md, "Five-heads mediation"). */
import { domainError, err, ok } from '../result';
import { actorRef, defineStep, withEvent } from './guards';
import { addAttachmentSchema, correctSchema } from './inputs';
import { checkAgreementMakers, findAgreement, findSession, isError, lockAgreement, unknownParty } from './records';
import type { AddedAttachment, Agreement, AgreementId, MediationCase, SessionId, SessionRecord } from './types';

/**
 * Correction of a locked record (更正): a new version with the changes, unsigned, that must be signed again; the old
 * version stays, locked and visible, with `supersededBy` pointing at the new one. An oral agreement's correction is
 * recorded by the mediator and in force at once, like the original. Until a corrected written agreement is signed
 * and sealed, the old version stays the one in force (`currentAgreement`).
 */
export const correct = defineStep('correct', correctSchema, (state, v, ctx, at) => {
  const newId = ctx.newId();
  /** The case with the record's versions replaced and the correction on the timeline. */
  const corrected = (changes: Partial<MediationCase>, from: string, to: string) =>
    ok(withEvent(state, ctx, at, 'correct', changes, { record: v.record, from, to, reason: v.reason }));
  if (v.record === 'session') {
    const old = findSession(state, v.id);
    if (isError(old)) return err({ ...old, field: 'id' });
    if (old.lockedAt === null) return err(domainError('record.not-locked', 'id'));
    const problem =
      unknownParty(state, v.changes.presentPartyIds ?? [], 'changes.presentPartyIds') ??
      unknownParty(state, Object.keys(v.changes.statements ?? {}), 'changes.statements');
    if (problem !== null) return err(problem);
    const fresh: SessionRecord = {
      ...old,
      ...v.changes,
      id: newId as SessionId,
      signatures: [],
      version: old.version + 1,
      supersedes: old.id,
      supersededBy: null,
      lockedAt: null,
      signedContent: null,
    };
    const sessions = { ...state.sessions, [old.id]: { ...old, supersededBy: fresh.id }, [fresh.id]: fresh };
    return corrected({ sessions }, old.id, fresh.id);
  }
  const old = findAgreement(state, v.id);
  if (isError(old)) return err({ ...old, field: 'id' });
  if (old.lockedAt === null) return err(domainError('record.not-locked', 'id'));
  const draft: Agreement = {
    ...old,
    ...v.changes,
    id: newId as AgreementId,
    madeAt: at,
    signatures: [],
    seal: null,
    effectiveAt: null,
    judicialConfirmation: null,
    version: old.version + 1,
    supersedes: old.id,
    supersededBy: null,
    lockedAt: null,
    signedContent: null,
  };
  const problem = checkAgreementMakers(draft.kind, draft.mediatorName, draft.committeeName);
  if (problem !== null) return err({ ...problem, field: `changes.${problem.field ?? ''}` });
  const fresh = draft.kind === 'oral' ? lockAgreement(draft, at) : draft;
  const agreements = { ...state.agreements, [old.id]: { ...old, supersededBy: fresh.id }, [fresh.id]: fresh };
  return corrected({ agreements }, old.id, fresh.id);
});

// --- files after intake ---------------------------------------------------------------------------------------------

/** Attaches a stored file (`file:<id>` from `storeCaseFile`, or another reference) to the case after intake. */
export const addAttachment = defineStep('addAttachment', addAttachmentSchema, (state, v, ctx, at) => {
  const added: AddedAttachment = { id: ctx.newId(), name: v.name, ref: v.ref, addedAt: at, addedBy: actorRef(ctx) };
  return ok(
    withEvent(
      state,
      ctx,
      at,
      'addAttachment',
      { addedAttachments: [...state.addedAttachments, added] },
      { attachmentId: added.id, name: v.name },
    ),
  );
});
