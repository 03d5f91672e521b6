/** Session records (调解笔录): recorded, edited while unsigned, signed until locked (docs/domain.md). */
import { domainError, err, ok } from '../result';
import { defineStep, withEvent } from './guards';
import { recordSessionSchema, signSessionSchema, updateSessionSchema } from './inputs';
import {
  checkSigner,
  findSession,
  isError,
  missingSigners,
  pick,
  allowedSigners,
  requiredSessionSigners,
  signerKey,
  toSignature,
  unknownParty,
} from './records';
import { SESSION_CONTENT_FIELDS, SESSION_PROTECTED_FIELDS, type SessionId, type SessionRecord } from './types';

// --- sessions ------------------------------------------------------------------------------------------------------

/** 调解笔录: records a session (unsigned; it locks when everyone required has signed). */
export const recordSession = defineStep('recordSession', recordSessionSchema, (state, v, ctx, at) => {
  const problem =
    unknownParty(state, v.presentPartyIds, 'presentPartyIds') ??
    unknownParty(state, Object.keys(v.statements), 'statements');
  if (problem !== null) return err(problem);
  const id = ctx.newId() as SessionId;
  const { caseId: _caseId, ...content } = v;
  const session: SessionRecord = {
    id,
    ...content,
    signatures: [],
    version: 1,
    supersedes: null,
    supersededBy: null,
    lockedAt: null,
    signedContent: null,
  };
  const status = state.status === 'registered' || state.status === 'handling' ? 'in-session' : state.status;
  return ok(
    withEvent(
      state,
      ctx,
      at,
      'recordSession',
      { status, sessions: { ...state.sessions, [id]: session } },
      {
        sessionId: id,
      },
    ),
  );
});

/**
 * Edits an unsigned session record. A locked (fully signed) one is refused: `correct` makes a new version. One that
 * some have signed is refused too: they signed this text (and signatures are kept, never taken back).
 */
export const updateSession = defineStep('updateSession', updateSessionSchema, (state, v, ctx, at) => {
  const session = findSession(state, v.sessionId);
  if (isError(session)) return err(session);
  if (session.lockedAt !== null) return err(domainError('record.locked', 'sessionId'));
  if (session.signatures.length > 0) return err(domainError('record.partly-signed', 'sessionId'));
  const problem =
    unknownParty(state, v.changes.presentPartyIds ?? [], 'changes.presentPartyIds') ??
    unknownParty(state, Object.keys(v.changes.statements ?? {}), 'changes.statements');
  if (problem !== null) return err(problem);
  const next: SessionRecord = { ...session, ...v.changes };
  return ok(
    withEvent(
      state,
      ctx,
      at,
      'updateSession',
      { sessions: { ...state.sessions, [session.id]: next } },
      {
        sessionId: session.id,
        fields: Object.keys(v.changes).join(','),
      },
    ),
  );
});

/**
 * Adds one signature to a session record. The first keeps a copy of the content signed (so a device that had not
 * seen the signature cannot change that text by sync: `shared/ydoc/cases.ts`); the last required one locks the record
 * and keeps a copy of the content and the signatures.
 */
export const signSession = defineStep('signSession', signSessionSchema, (state, v, ctx, at) => {
  const session = findSession(state, v.sessionId);
  if (isError(session)) return err(session);
  if (session.lockedAt !== null) return err(domainError('record.locked', 'sessionId'));
  const required = requiredSessionSigners(state, session);
  const allowed = allowedSigners(state, required, session.presentPartyIds);
  const problem = checkSigner(state, allowed, session.signatures, v.signer);
  if (problem !== null) return err(problem);
  const signatures = [...session.signatures, toSignature(v.signer, at, v.signature)];
  let next: SessionRecord = { ...session, signatures };
  const complete = missingSigners(required, signatures).length === 0;
  if (complete) next = { ...next, lockedAt: at, signedContent: pick(next, SESSION_PROTECTED_FIELDS) };
  else if (next.signedContent === null) next = { ...next, signedContent: pick(next, SESSION_CONTENT_FIELDS) };
  return ok(
    withEvent(
      state,
      ctx,
      at,
      'signSession',
      { sessions: { ...state.sessions, [session.id]: next } },
      {
        sessionId: session.id,
        signer: signerKey(v.signer),
        kind: v.signature.kind,
        locked: complete,
      },
    ),
  );
});
