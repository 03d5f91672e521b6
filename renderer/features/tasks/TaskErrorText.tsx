import { Alert } from '@mantine/core';
import type { DomainError } from '@shared/domain/result';
import { TASK_ACTIONS, type TaskActionKind } from '@shared/domain/tasks/machine';
import { TASK_STATUSES, type TaskStatus } from '@shared/domain/tasks/types';
import { useT, type MessageKey, type Translate } from '../../i18n';
import { describeDomainError } from '../../ui/DomainErrorText';

/** Input fields of the task commands, as the forms label them (fills `{field}` in error messages). */
const FIELDS: Readonly<Record<string, MessageKey>> = {
  docNo: 'task.field.docNo',
  title: 'task.field.title',
  category: 'task.field.category',
  basis: 'task.field.basis',
  lead: 'task.field.lead',
  coOwners: 'task.field.coOwners',
  responsible: 'task.field.responsible',
  claimLimit: 'task.field.claimLimit',
  completionLimit: 'task.field.completionLimit',
  milestones: 'task.field.milestones',
  weight: 'task.field.weight',
  fund: 'task.field.fundName',
  amount: 'task.field.fundAmount',
  periods: 'task.field.periods',
  note: 'task.field.note',
  progress: 'task.field.progress',
  milestoneId: 'task.field.milestone',
  reason: 'task.field.reason',
  days: 'task.field.days',
  granted: 'task.field.granted',
  to: 'task.field.to',
  reply: 'task.field.reply',
  cardId: 'task.field.card',
  replyWorkdays: 'task.field.replyWorkdays',
};

/** Asked of the machine's own lists: an action or a state this client does not know gets the generic message. */
const isAction = (value: string): value is TaskActionKind => (TASK_ACTIONS as readonly string[]).includes(value);
const isStatus = (value: string): value is TaskStatus => (TASK_STATUSES as readonly string[]).includes(value);

/**
 * A task command's refusal in words: an action out of turn (`invalid` on `action`), an extension asked too late or
 * granted beyond what was asked (docs/tasks-model.md, "states"), else the generic message naming the form's field.
 */
export function describeTaskError(t: Translate, error: DomainError): string {
  const params = error.params ?? {};
  if (error.code === 'invalid' && error.field === 'action') {
    const action = String(params.action ?? '');
    const status = String(params.status ?? '');
    if (isAction(action) && isStatus(status)) {
      return t('task.error.transition', { action: t(`task.action.${action}`), status: t(`task.status.${status}`) });
    }
  }
  if (error.code === 'invalid' && error.field === 'days' && params.completionDue !== undefined) {
    return t('task.error.extensionLate', { date: params.completionDue });
  }
  if (error.code === 'invalid' && error.field === 'granted' && params.asked !== undefined) {
    return t('task.error.grantedTooMany', { asked: params.asked });
  }
  if (error.code === 'invalid' && error.field === 'template.milestones') return t('task.error.weights');
  if (error.code === 'invalid' && error.field === 'template.claimLimit') return t('task.error.claimLimit');
  const parts = error.field?.split('.') ?? [];
  const field = [...parts].reverse().find((part) => part in FIELDS);
  const key = field === undefined ? undefined : FIELDS[field];
  if (key === undefined) return describeDomainError(t, error);
  return t(`error.${error.code}`, { ...params, field: t(key) });
}

/** A task command's refusal, next to the form that caused it. */
export function TaskError({ error }: { error: DomainError | null }) {
  const t = useT();
  if (!error) return null;
  return (
    <Alert color="red" role="alert" p="xs" data-testid="task-error">
      {describeTaskError(t, error)}
    </Alert>
  );
}
