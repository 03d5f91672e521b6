/** Outcomes and after: no agreement or referral, performance, follow-up, close, archive, the time limit (docs/domain.md). */
import { chinaDate } from '../dates';
import { domainError, err, ok } from '../result';
import { actorRef, defineStep, withEvent } from './guards';
import {
  archiveSchema,
  closeSchema,
  extendDeadlineSchema,
  recordFollowUpSchema,
  recordOutcomeSchema,
  startPerformanceSchema,
} from './inputs';
import { unknownParty } from './records';
import type { MediationCase, PartyId } from './types';

// --- outcomes and after --------------------------------------------------------------------------------------------

/**
 * No agreement (调解不成: the parties were told of the arbitration, administrative and court routes, art. 26) or
 * referred (police when it may turn criminal, a court, another department). A draft agreement stays visible.
 */
export const recordOutcome = defineStep('recordOutcome', recordOutcomeSchema, (state, v, ctx, at) => {
  const o = v.outcome;
  const outcome: MediationCase['outcome'] =
    o.kind === 'no-agreement'
      ? { kind: 'no-agreement', routesTold: [...new Set(o.routesTold)], note: o.note, at }
      : { kind: 'referred', to: o.to, detail: o.detail, at };
  return ok(
    withEvent(
      state,
      ctx,
      at,
      'recordOutcome',
      { status: o.kind, outcome },
      {
        kind: o.kind,
        to: o.kind === 'referred' ? o.to : null,
      },
    ),
  );
});

/** 履行: the parties start performing the agreement in force (art. 31). */
export const startPerformance = defineStep('startPerformance', startPerformanceSchema, (state, _v, ctx, at) =>
  ok(withEvent(state, ctx, at, 'startPerformance', { status: 'performing', performanceStartedAt: at })),
);

/** 回访: performance, satisfaction 1-5, visitor, date (not in the future, not before registration). */
export const recordFollowUp = defineStep('recordFollowUp', recordFollowUpSchema, (state, v, ctx, at) => {
  if (v.date > chinaDate(ctx.now())) return err(domainError('date.future', 'date'));
  if (v.date < state.startDate) return err(domainError('date.invalid', 'date'));
  const followUp = {
    id: ctx.newId(),
    date: v.date,
    visitor: v.visitor,
    performance: v.performance,
    satisfaction: v.satisfaction,
    note: v.note,
    recordedBy: actorRef(ctx),
  };
  return ok(
    withEvent(
      state,
      ctx,
      at,
      'recordFollowUp',
      { status: 'followed-up', followUps: [...state.followUps, followUp] },
      {
        performance: v.performance,
        satisfaction: v.satisfaction,
      },
    ),
  );
});

/** 结案: after a follow-up, or after no agreement / a referral. */
export const close = defineStep('close', closeSchema, (state, v, ctx, at) =>
  ok(withEvent(state, ctx, at, 'close', { status: 'closed', closing: { at, by: actorRef(ctx), summary: v.summary } })),
);

/** 归档: the dossier is complete; nothing changes afterwards, not even a correction. Needs `admin`. */
export const archive = defineStep('archive', archiveSchema, (state, _v, ctx, at) =>
  ok(withEvent(state, ctx, at, 'archive', { status: 'archived', archivedAt: at })),
);

/**
 * Extends the time limit. docs/domain.md: one month, extendable if both parties agree, so every party of the case must be
 * among `consentPartyIds` (`extension.consent-missing` otherwise).
 */
export const extendDeadline = defineStep('extendDeadline', extendDeadlineSchema, (state, v, ctx, at) => {
  const unknown = unknownParty(state, v.consentPartyIds, 'consentPartyIds');
  if (unknown !== null) return err(unknown);
  const consent = new Set<string>(v.consentPartyIds);
  if (state.parties.some((p) => !consent.has(p.id))) {
    return err(domainError('extension.consent-missing', 'consentPartyIds'));
  }
  const extension = {
    id: ctx.newId(),
    at,
    days: v.days,
    reason: v.reason,
    consentPartyIds: [...consent] as PartyId[],
    by: actorRef(ctx),
  };
  return ok(
    withEvent(state, ctx, at, 'extendDeadline', { extensions: [...state.extensions, extension] }, { days: v.days }),
  );
});
