/**
 * One entry point over all actions (`transition`) and what a case allows an actor now (`allowedActions`): the screens
 * ask this instead of recomputing (docs/architecture.md, "Questions before actions").
 */
import { domainError, err } from '../result';
import {
  judicialWindowOpen,
  markJudicialConfirmation,
  reachAgreement,
  sealAgreement,
  signAgreement,
  updateAgreement,
} from './agreements';
import { addAttachment, correct } from './corrections';
import {
  type MachineContext,
  type MachineResult,
  type MediationActor,
  type StepKind,
  canMediate,
  guard,
} from './guards';
import { type IntakeEnv, escalate, intake, nextLevel, recordVisit } from './intake';
import { archive, close, extendDeadline, recordFollowUp, recordOutcome, startPerformance } from './outcome';
import { isMinorParty, setGuardian } from './minors';
import { live, missingSigners, requiredAgreementSigners, signableNow } from './records';
import { recordSession, signSession, updateSession } from './sessions';
import type { MediationCase } from './types';

// --- dispatch and offers -------------------------------------------------------------------------------------------

export type CaseAction =
  | { readonly type: 'intake'; readonly input: unknown; readonly env: IntakeEnv }
  | { readonly type: StepKind; readonly input: unknown };

const STEPS: Readonly<Record<StepKind, (state: MediationCase, input: unknown, ctx: MachineContext) => MachineResult>> =
  {
    recordVisit,
    escalate,
    recordSession,
    updateSession,
    signSession,
    reachAgreement,
    updateAgreement,
    signAgreement,
    sealAgreement,
    recordOutcome,
    markJudicialConfirmation,
    startPerformance,
    recordFollowUp,
    close,
    archive,
    extendDeadline,
    correct,
    addAttachment,
    setGuardian,
  };

export const STEP_KINDS = Object.keys(STEPS) as StepKind[];

/** One entry point over all actions: `intake` needs no state, every other action needs the case. */
export function transition(state: MediationCase | null, action: CaseAction, ctx: MachineContext): MachineResult {
  if (action.type === 'intake') {
    if (state !== null)
      return err(domainError('case.transition', undefined, { status: state.status, action: 'intake' }));
    return intake(action.input, (action as { env: IntakeEnv }).env, ctx);
  }
  if (state === null) return err(domainError('not-found', 'caseId'));
  return STEPS[action.type](state, action.input, ctx);
}

/**
 * What the UI may offer this actor on this case (today as a `YYYY-MM-DD` China day, for the 30-day judicial window).
 * A status check plus the data preconditions a button needs (something to sign, a level above, ...); the machine
 * still checks everything again when the action comes.
 */
export function allowedActions(
  state: MediationCase | null,
  actor: MediationActor,
  today: string,
): (StepKind | 'intake')[] {
  if (!canMediate(actor.permissions)) return [];
  if (state === null) return ['intake'];
  const sessions = live(state.sessions);
  const agreements = live(state.agreements);
  const draftWritten = agreements.filter((a) => a.lockedAt === null && a.kind === 'written');
  const needs: Readonly<Record<StepKind, () => boolean>> = {
    recordVisit: () => true,
    escalate: () => nextLevel(state) !== null,
    recordSession: () => true,
    updateSession: () => sessions.some((s) => s.lockedAt === null),
    signSession: () => sessions.some((s) => s.lockedAt === null),
    reachAgreement: () => true,
    updateAgreement: () => draftWritten.length > 0,
    signAgreement: () =>
      draftWritten.some(
        (a) => signableNow(state, missingSigners(requiredAgreementSigners(state), a.signatures)).length > 0,
      ),
    sealAgreement: () => draftWritten.some((a) => a.seal === null),
    recordOutcome: () => true,
    markJudicialConfirmation: () => agreements.some((a) => judicialWindowOpen(a, today)),
    startPerformance: () => true,
    recordFollowUp: () => true,
    close: () => true,
    archive: () => true,
    extendDeadline: () => true,
    correct: () => [...sessions, ...agreements].some((r) => r.lockedAt !== null),
    addAttachment: () => true,
    setGuardian: () => state.parties.some((p) => isMinorParty(state, p)),
  };
  return STEP_KINDS.filter((kind) => guard(kind, state, actor.permissions) === null && needs[kind]());
}

/** Whether a record is read-only now (signed, or an agreement in force). */
export function isLocked(record: { readonly lockedAt: string | null }): boolean {
  return record.lockedAt !== null;
}
