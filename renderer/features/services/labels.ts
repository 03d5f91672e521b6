/**
 * How the services screens word what the domain says: states, channels, grades, the promise in working days. Rules
 * stay in the domain (state.ts: promiseDue, fixDue); this file only chooses words and colours.
 */
import { workdaysBetween, type WorkingCalendar } from '@shared/domain/calendar';
import type { DomainError } from '@shared/domain/result';
import { fixDue, promiseDue, type ApplicationState } from '@shared/domain/services/state';
import { APPLICATION_STATUSES, type ApplicationStatus } from '@shared/domain/services/types';
import type { MessageKey, Translate } from '../../i18n';
import { describeDomainError } from '../../ui/DomainErrorText';

export const STATUS_COLORS: Readonly<Record<ApplicationStatus, string>> = {
  accepted: 'blue',
  done: 'green',
  refused: 'gray',
  transferred: 'violet',
  rectifying: 'orange',
};

/** The promise of an open application: its due date and the working days left (negative: over). */
export function promiseText(
  t: Translate,
  state: ApplicationState,
  calendar: WorkingCalendar,
  today: string,
): { text: string; over: boolean; due: string; uncovered: boolean } {
  const due = promiseDue(state, calendar);
  if (state.status !== 'accepted') {
    return { text: t('service.promise.closed'), over: false, due: due.date, uncovered: due.uncovered };
  }
  const left = workdaysBetween(calendar, today, due.date).days;
  return {
    text: left >= 0 ? t('service.promise.left', { days: left }) : t('service.promise.over', { days: -left }),
    over: left < 0,
    due: due.date,
    uncovered: due.uncovered,
  };
}

/** A 差评's fix: its due date and the working days left (negative: over), while it is not called back. */
export function fixText(t: Translate, state: ApplicationState, calendar: WorkingCalendar, today: string) {
  const due = fixDue(state, calendar);
  if (due === null || state.fix === null) return null;
  if (state.fix.calledBackOn !== null) return { due: due.date, text: t('service.fix.closed'), over: false };
  const left = workdaysBetween(calendar, today, due.date).days;
  return {
    due: due.date,
    text: left >= 0 ? t('service.promise.left', { days: left }) : t('service.promise.over', { days: -left }),
    over: left < 0,
  };
}

/** Input fields of the services commands, as the forms label them (fills `{field}` in error messages). */
const FIELDS: Readonly<Record<string, MessageKey>> = {
  itemId: 'service.field.item',
  name: 'service.field.name',
  applicant: 'service.field.applicant',
  phone: 'service.field.phone',
  channel: 'service.field.channel',
  agent: 'service.field.agent',
  note: 'service.field.note',
  result: 'service.field.result',
  reason: 'service.field.reason',
  to: 'service.field.to',
  rating: 'service.field.rating',
  comment: 'service.field.comment',
  department: 'service.field.department',
  promiseDays: 'service.field.promiseDays',
  materials: 'service.field.materials',
  handler: 'service.field.handler',
  commitment: 'service.field.commitment',
  applicationId: 'service.field.application',
};

const ACTIONS: Readonly<Record<string, MessageKey>> = {
  completeApplication: 'service.action.done',
  refuseApplication: 'service.action.refused',
  transferApplication: 'service.action.transferred',
  rateApplication: 'service.action.rated',
  rectifyApplication: 'service.action.rectified',
  callBackApplication: 'service.action.called-back',
};

const isStatus = (value: string): value is ApplicationStatus =>
  (APPLICATION_STATUSES as readonly string[]).includes(value);

/** A services command's refusal in words: a step out of turn names the state and the step; else the field. */
export function describeServiceError(t: Translate, error: DomainError): string {
  const params = error.params ?? {};
  if (error.code === 'invalid' && error.field === 'action') {
    const action = ACTIONS[String(params.action ?? '')];
    const status = String(params.status ?? '');
    if (action !== undefined && isStatus(status)) {
      return t('service.error.transition', { action: t(action), status: t(`service.status.${status}`) });
    }
  }
  if (error.code === 'not-found' && error.field === 'itemId') return t('service.error.itemGone');
  // 一次性告知: the materials still missing, all named at once (the same words as the form's own check).
  if (error.code === 'required' && error.field === 'materials' && typeof params.missing === 'string') {
    return t('service.new.missing', { materials: params.missing });
  }
  const parts = error.field?.split('.') ?? [];
  const field = [...parts].reverse().find((part) => part in FIELDS);
  const key = field === undefined ? undefined : FIELDS[field];
  if (key === undefined) return describeDomainError(t, error);
  return t(`error.${error.code}`, { ...params, field: t(key) });
}

const GRADE_KEYS = [
  'service.grade.1',
  'service.grade.2',
  'service.grade.3',
  'service.grade.4',
  'service.grade.5',
] as const satisfies readonly MessageKey[];

/** The 5-grade 好差评 in words: 5 非常满意 .. 1 非常不满意. */
export function gradeText(t: Translate, rating: number): string {
  const key = GRADE_KEYS[rating - 1];
  return key === undefined ? String(rating) : t(key);
}
