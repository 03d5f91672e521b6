/**
 * What a screen may offer on one record of a case: the machine's answer per session and per agreement, so that the
 * case page asks instead of re-deciding (a referred case once showed Seal and Sign on an unsigned agreement, and the
 * machine refused both). Each offer is the case-level `allowedActions` (status and permissions) narrowed by the
 * record's own state; the machine checks everything again when the action comes. Rules: docs/domain.md,
 * "Five-heads mediation".
 */
import {
  allowedActions,
  judicialWindowOpen,
  missingSigners,
  requiredAgreementSigners,
  requiredSessionSigners,
  signableNow,
  type MediationActor,
} from './machine';
import type { MediationCase } from './types';

export type SessionOffer = 'edit' | 'sign' | 'correct';
export type AgreementOffer = 'edit' | 'sign' | 'seal' | 'judicialConfirmation' | 'correct';

/** The offers on one session record (empty for an id the case does not hold). */
export function sessionOffers(
  state: MediationCase,
  sessionId: string,
  actor: MediationActor,
  today: string,
): ReadonlySet<SessionOffer> {
  const s = state.sessions[sessionId];
  const offers = new Set<SessionOffer>();
  if (s === undefined) return offers;
  const allowed = new Set(allowedActions(state, actor, today));
  const open = s.lockedAt === null && s.supersededBy === null;
  // Only a record nobody has signed is edited: a signature covers the text as it was when given.
  if (open && s.signatures.length === 0 && allowed.has('updateSession')) offers.add('edit');
  if (
    open &&
    signableNow(state, missingSigners(requiredSessionSigners(state, s), s.signatures)).length > 0 &&
    allowed.has('signSession')
  ) {
    offers.add('sign');
  }
  if (s.lockedAt !== null && s.supersededBy === null && allowed.has('correct')) offers.add('correct');
  return offers;
}

/** The offers on one agreement (empty for an id the case does not hold). */
export function agreementOffers(
  state: MediationCase,
  agreementId: string,
  actor: MediationActor,
  today: string,
): ReadonlySet<AgreementOffer> {
  const a = state.agreements[agreementId];
  const offers = new Set<AgreementOffer>();
  if (a === undefined) return offers;
  const allowed = new Set(allowedActions(state, actor, today));
  const open = a.lockedAt === null && a.supersededBy === null;
  const written = a.kind === 'written';
  if (open && written && a.signatures.length === 0 && a.seal === null && allowed.has('updateAgreement')) {
    offers.add('edit');
  }
  if (
    open &&
    written &&
    signableNow(state, missingSigners(requiredAgreementSigners(state), a.signatures)).length > 0 &&
    allowed.has('signAgreement')
  ) {
    offers.add('sign');
  }
  if (open && written && a.seal === null && allowed.has('sealAgreement')) offers.add('seal');
  if (judicialWindowOpen(a, today) && allowed.has('markJudicialConfirmation')) offers.add('judicialConfirmation');
  if (a.lockedAt !== null && a.supersededBy === null && allowed.has('correct')) offers.add('correct');
  return offers;
}
