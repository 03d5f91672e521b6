/** Agreements (调解协议): reached, edited while unsigned, signed, sealed, in force, judicial confirmation (docs/domain.md). */
import { addDays, chinaDate } from '../dates';
import { type DomainError, domainError, err, ok } from '../result';
import { JUDICIAL_CONFIRMATION_DAYS, actorRef, defineStep, withEvent } from './guards';
import {
  markJudicialConfirmationSchema,
  reachAgreementSchema,
  sealAgreementSchema,
  signAgreementSchema,
  updateAgreementSchema,
} from './inputs';
import {
  allowedSigners,
  checkAgreementMakers,
  checkSigner,
  findAgreement,
  isError,
  lockAgreement,
  missingSigners,
  pick,
  requiredAgreementSigners,
  signerKey,
  toSignature,
} from './records';
import { AGREEMENT_CONTENT_FIELDS, type Agreement, type AgreementId, type MediationCase } from './types';

// --- agreements ----------------------------------------------------------------------------------------------------

/**
 * 达成协议. Written (人民调解协议书): needs a named 人民调解员 and the committee (art. 29); it is a draft until every
 * party and the mediator have signed and the seal is recorded, and the case waits in `signing`. Oral (口头协议): the
 * mediator records it (art. 28) and it takes effect at once (art. 30: 口头调解协议自各方当事人达成协议之日起生效).
 */
export const reachAgreement = defineStep('reachAgreement', reachAgreementSchema, (state, v, ctx, at) => {
  const problem = checkAgreementMakers(v.kind, v.mediatorName, v.committeeName);
  if (problem !== null) return err(problem);
  const id = ctx.newId() as AgreementId;
  const { caseId: _caseId, ...content } = v;
  const draft: Agreement = {
    id,
    ...content,
    madeAt: at,
    signatures: [],
    seal: null,
    effectiveAt: null,
    judicialConfirmation: null,
    version: 1,
    supersedes: null,
    supersededBy: null,
    lockedAt: null,
    signedContent: null,
  };
  const agreement = v.kind === 'oral' ? lockAgreement(draft, at) : draft;
  const changes: Partial<MediationCase> =
    v.kind === 'oral'
      ? { status: 'agreed', outcome: { kind: 'agreement', agreementId: id, at } }
      : { status: 'signing' };
  return ok(
    withEvent(
      state,
      ctx,
      at,
      'reachAgreement',
      { ...changes, agreements: { ...state.agreements, [id]: agreement } },
      {
        agreementId: id,
        kind: v.kind,
      },
    ),
  );
});

/**
 * Edits an unsigned written agreement; a locked one is refused (`record.locked`), and so is one that some have
 * signed or the committee has sealed (`record.partly-signed`): they put their names and seal to this text.
 */
export const updateAgreement = defineStep('updateAgreement', updateAgreementSchema, (state, v, ctx, at) => {
  const agreement = findAgreement(state, v.agreementId);
  if (isError(agreement)) return err(agreement);
  if (agreement.lockedAt !== null) return err(domainError('record.locked', 'agreementId'));
  if (agreement.signatures.length > 0 || agreement.seal !== null) {
    return err(domainError('record.partly-signed', 'agreementId'));
  }
  const next: Agreement = { ...agreement, ...v.changes };
  const problem = checkAgreementMakers(next.kind, next.mediatorName, next.committeeName);
  if (problem !== null) return err({ ...problem, field: `changes.${problem.field ?? ''}` });
  return ok(
    withEvent(
      state,
      ctx,
      at,
      'updateAgreement',
      { agreements: { ...state.agreements, [next.id]: next } },
      {
        agreementId: next.id,
        fields: Object.keys(v.changes).join(','),
      },
    ),
  );
});

/**
 * After a signature or the seal: puts a written agreement in force when it is complete (the first one in force moves
 * the case to `agreed`); before that, the first signature or seal keeps a copy of the text signed (see `signSession`).
 */
function maybeEffective(state: MediationCase, agreement: Agreement, at: string): Partial<MediationCase> {
  const complete =
    agreement.seal !== null && missingSigners(requiredAgreementSigners(state), agreement.signatures).length === 0;
  const next = complete
    ? lockAgreement(agreement, at)
    : agreement.signedContent === null
      ? { ...agreement, signedContent: pick(agreement, AGREEMENT_CONTENT_FIELDS) }
      : agreement;
  const changes: Partial<MediationCase> = { agreements: { ...state.agreements, [next.id]: next } };
  if (complete && state.status === 'signing') {
    return { ...changes, status: 'agreed', outcome: { kind: 'agreement', agreementId: next.id, at } };
  }
  return changes;
}

function unlockedWritten(state: MediationCase, id: string): Agreement | DomainError {
  const agreement = findAgreement(state, id);
  if (isError(agreement)) return agreement;
  if (agreement.lockedAt !== null) return domainError('record.locked', 'agreementId');
  if (agreement.kind !== 'written') return domainError('signature.unknown-signer', 'signer');
  return agreement;
}

/** A party or the mediator signs a written agreement (签名、盖章或者按指印, on screen or on paper with a photo). */
export const signAgreement = defineStep('signAgreement', signAgreementSchema, (state, v, ctx, at) => {
  const agreement = unlockedWritten(state, v.agreementId);
  if (isError(agreement)) return err(agreement);
  const required = requiredAgreementSigners(state);
  const problem = checkSigner(state, allowedSigners(state, required), agreement.signatures, v.signer);
  if (problem !== null) return err(problem);
  const signed = { ...agreement, signatures: [...agreement.signatures, toSignature(v.signer, at, v.signature)] };
  const changes = maybeEffective(state, signed, at);
  return ok(
    withEvent(state, ctx, at, 'signAgreement', changes, {
      agreementId: agreement.id,
      signer: signerKey(v.signer),
      kind: v.signature.kind,
      effective: changes.agreements?.[agreement.id]?.effectiveAt != null,
    }),
  );
});

/** Records the mediation committee's seal on a written agreement (加盖人民调解委员会印章, art. 29). */
export const sealAgreement = defineStep('sealAgreement', sealAgreementSchema, (state, v, ctx, at) => {
  const agreement = unlockedWritten(state, v.agreementId);
  if (isError(agreement)) return err(agreement);
  if (agreement.seal !== null) return err(domainError('signature.duplicate', 'seal'));
  const changes = maybeEffective(state, { ...agreement, seal: { at, by: actorRef(ctx) } }, at);
  return ok(
    withEvent(state, ctx, at, 'sealAgreement', changes, {
      agreementId: agreement.id,
      effective: changes.agreements?.[agreement.id]?.effectiveAt != null,
    }),
  );
});

/** The agreement in force: the effective version with the highest version number, or null. */
export function currentAgreement(state: Pick<MediationCase, 'agreements'>): Agreement | null {
  let best: Agreement | null = null;
  for (const a of Object.values(state.agreements)) {
    if (a.effectiveAt !== null && (best === null || a.version > best.version)) best = a;
  }
  return best;
}

/**
 * The last China day on which a written agreement in force may be marked for judicial confirmation (the day it took
 * effect is day 0, art. 33: 30 days); null for an oral agreement or one not in force.
 */
export function judicialConfirmationUntil(a: Pick<Agreement, 'kind' | 'effectiveAt'>): string | null {
  if (a.kind !== 'written' || a.effectiveAt === null) return null;
  return addDays(chinaDate(new Date(a.effectiveAt)), JUDICIAL_CONFIRMATION_DAYS);
}

/** Whether `today` is within the judicial-confirmation window of an agreement not yet marked (see above). */
export function judicialWindowOpen(
  a: Pick<Agreement, 'kind' | 'effectiveAt' | 'judicialConfirmation'>,
  today: string,
): boolean {
  const until = judicialConfirmationUntil(a);
  return a.judicialConfirmation === null && until !== null && today <= until;
}

/**
 * Marks an agreement for judicial confirmation (司法确认). 人民调解法 art. 33: 双方当事人认为有必要的，可以自调解协议生效之日起
 * 三十日内共同向人民法院申请司法确认. Only a written agreement in force; the day it took effect is day 0.
 */
export const markJudicialConfirmation = defineStep(
  'markJudicialConfirmation',
  markJudicialConfirmationSchema,
  (state, v, ctx, at) => {
    const agreement = state.agreements[v.agreementId];
    if (agreement === undefined) return err(domainError('not-found', 'agreementId'));
    if (agreement.kind !== 'written' || agreement.effectiveAt === null) {
      return err(domainError('judicial.not-written', 'agreementId'));
    }
    if (agreement.judicialConfirmation !== null) return err(domainError('signature.duplicate', 'agreementId'));
    if (!judicialWindowOpen(agreement, chinaDate(ctx.now()))) {
      return err(domainError('judicial.window-closed', 'agreementId', { days: JUDICIAL_CONFIRMATION_DAYS }));
    }
    // Not a content field: marking does not edit the signed agreement.
    const next: Agreement = { ...agreement, judicialConfirmation: { at, by: actorRef(ctx) } };
    return ok(
      withEvent(
        state,
        ctx,
        at,
        'markJudicialConfirmation',
        { agreements: { ...state.agreements, [next.id]: next } },
        {
          agreementId: next.id,
        },
      ),
    );
  },
);
