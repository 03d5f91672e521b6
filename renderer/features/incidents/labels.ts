/**
 * How the grid-event screens word what the domain says: states, lights, the working days left of the running stage,
 * the steps of the timeline, refusals. Rules stay in the domain (currentClock, lightOf, allowedActions); this file only
 * chooses words and colours.
 */
import { workdaysBetween, type WorkingCalendar } from '@shared/domain/calendar';
import type { IncidentLimits, Light } from '@shared/domain/incidents/limits';
import { INCIDENT_ACTIONS, type IncidentActionKind } from '@shared/domain/incidents/machine';
import { currentClock, lightOf, type IncidentState } from '@shared/domain/incidents/state';
import { INCIDENT_STATUSES, type Assignee, type IncidentStatus, type Step } from '@shared/domain/incidents/types';
import type { DomainError } from '@shared/domain/result';
import type { MessageKey, Translate } from '../../i18n';
import { describeDomainError } from '../../ui/DomainErrorText';

export const STATUS_COLORS: Readonly<Record<IncidentStatus, string>> = {
  reported: 'gray',
  accepted: 'cyan',
  assigned: 'blue',
  closing: 'violet',
  closed: 'green',
  visited: 'teal',
  archived: 'dark',
  rejected: 'orange',
  merged: 'gray',
};

export const LIGHT_COLORS: Readonly<Record<Light, string>> = { green: 'green', yellow: 'yellow', red: 'red' };

/** The running stage's light and the words for its working days left or over; null when no clock runs. */
export function dueOf(
  t: Translate,
  state: IncidentState,
  calendar: WorkingCalendar,
  limits: IncidentLimits,
  today: string,
): { light: Light; text: string; due: string } | null {
  const clock = currentClock(state, calendar, limits);
  const light = lightOf(state, calendar, limits, today);
  if (clock === null || light === null) return null;
  const due = clock.due.date;
  if (state.suspendedSince !== null) return { light, text: t('incident.due.paused'), due };
  const stage = t(`incident.stage.${clock.stage}`);
  if (due === today) return { light, text: t('incident.due.today', { stage }), due };
  if (due > today) {
    return { light, text: t('incident.due.left', { stage, days: workdaysBetween(calendar, today, due).days }), due };
  }
  return {
    light,
    text: t('incident.due.over', { stage, days: Math.max(1, workdaysBetween(calendar, due, today).days) }),
    due,
  };
}

export function assigneeText(t: Translate, a: Assignee): string {
  return `${t(`incident.assignee.${a.kind}`)} · ${a.name}`;
}

/** One step of the timeline in words. */
export function stepText(t: Translate, step: Step): string {
  switch (step.type) {
    case 'accepted':
    case 'archived':
      return t(`incident.step.${step.type}`);
    case 'rejected':
    case 'sent-back':
    case 'verify-refused':
    case 'suspended':
    case 'merged':
      return t(`incident.step.${step.type}`, { reason: step.reason });
    case 'assigned':
      return step.cc.length === 0
        ? t('incident.step.assigned', { to: assigneeText(t, step.to) })
        : t('incident.step.assignedCc', {
            to: assigneeText(t, step.to),
            cc: step.cc.map((c) => c.name).join(t('incident.listSep')),
          });
    case 'escalated':
      return t(step.skipLevel ? 'incident.step.escalatedSkip' : 'incident.step.escalated', {
        to: step.to,
        reason: step.reason,
      });
    case 'handled':
      return t('incident.step.handled', { note: step.note });
    case 'close-requested': {
      const closure =
        step.closure === 'procedural' && step.procedural !== null
          ? `${t('incident.closure.procedural')} · ${t(`incident.procedural.${step.procedural}`)}`
          : t(`incident.closure.${step.closure}`);
      return t('incident.step.close-requested', { closure, note: step.note });
    }
    case 'closed':
      return t('incident.step.closed', {
        onTime: t(step.onTime ? 'incident.step.closedOnTime' : 'incident.step.closedLate'),
        days: step.workdaysTaken,
      });
    case 'visited': {
      const rating = t(ratingKey(step.rating));
      const method = t(`incident.method.${step.method}`);
      if (step.rating <= 2) return t('incident.step.visitedReopen', { method, rating, comment: step.comment });
      const comment = step.comment === '' ? '' : `${t('incident.step.commentSep')}${step.comment}`;
      return t('incident.step.visited', { method, rating, comment });
    }
    case 'resumed':
      return t('incident.step.resumed', { days: step.pausedWorkdays });
    case 'linked':
      return t('incident.step.linked', { link: t(`incident.link.${step.link}`), recordId: step.recordId });
  }
}

export function ratingKey(rating: number): MessageKey {
  const r = Math.min(5, Math.max(1, Math.round(rating))) as 1 | 2 | 3 | 4 | 5;
  return `incident.rating.${r}`;
}

/** Input fields of the incident commands, as the forms label them (fills `{field}` in error messages). */
const FIELDS: Readonly<Record<string, MessageKey>> = {
  title: 'incident.field.title',
  content: 'incident.field.content',
  occurredAt: 'incident.field.occurredAt',
  place: 'incident.field.place',
  grid: 'incident.field.grid',
  text: 'incident.field.placeText',
  category: 'incident.field.category',
  subCategory: 'incident.field.subCategory',
  kind: 'incident.field.kind',
  urgency: 'incident.field.urgency',
  peopleInvolved: 'incident.field.peopleInvolved',
  name: 'incident.field.reporterName',
  phone: 'incident.field.reporterPhone',
  source: 'incident.field.source',
  attachments: 'incident.field.attachments',
  reason: 'incident.field.reason',
  to: 'incident.field.to',
  cc: 'incident.field.cc',
  note: 'incident.field.note',
  closure: 'incident.field.closure',
  procedural: 'incident.field.procedural',
  method: 'incident.field.method',
  rating: 'incident.field.rating',
  comment: 'incident.field.comment',
  into: 'incident.field.into',
  recordId: 'incident.field.recordId',
};

const isAction = (value: string): value is IncidentActionKind =>
  (INCIDENT_ACTIONS as readonly string[]).includes(value);
const isStatus = (value: string): value is IncidentStatus => (INCIDENT_STATUSES as readonly string[]).includes(value);

/**
 * An incident command's refusal in words: an action out of turn names the state and the action; a send-back past its
 * limit, a call-back of a self-handled event, the same assignee, a repeated link, a merge into itself and a bad
 * rating without the resident's words each have their sentence; else the generic message naming the form's field.
 */
export function describeIncidentError(t: Translate, error: DomainError): string {
  const params = error.params ?? {};
  if (error.code === 'invalid' && error.field === 'action') {
    if (params.limit !== undefined) return t('incident.error.sendBackLate', { limit: params.limit });
    if (params.status === 'self-handled') return t('incident.error.selfHandled');
    const action = String(params.action ?? '');
    const status = String(params.status ?? '');
    if (isAction(action) && isStatus(status)) {
      return t('incident.error.transition', {
        action: t(`incident.action.${action}`),
        status: t(`incident.status.${status}`),
      });
    }
  }
  if (error.code === 'invalid' && error.field === 'to') return t('incident.error.sameAssignee');
  if (error.code === 'invalid' && error.field === 'recordId') return t('incident.error.alreadyLinked');
  if (error.code === 'invalid' && error.field === 'into') return t('incident.error.mergeSelf');
  if (error.code === 'required' && error.field === 'comment') return t('incident.error.commentRequired');
  if (error.code === 'required' && error.field === 'place.grid') return t('incident.report.placeRequired');
  const parts = error.field?.split('.') ?? [];
  const field = [...parts].reverse().find((part) => part in FIELDS);
  const key = field === undefined ? undefined : FIELDS[field];
  if (key === undefined) return describeDomainError(t, error);
  return t(`error.${error.code}`, { ...params, field: t(key) });
}
