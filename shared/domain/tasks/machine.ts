/**
 * The task machine (docs/tasks-model.md, "states"): what may be done to an instance, by whom, on which day, and the
 * event each action writes. Pure: the commands (commands.ts) read the state from the document, ask `decide`, and
 * append the event it returns; screens ask `allowedActions`, never recompute the rules.
 *
 *   published ──claim──▶ claimed ──request-close──▶ closing ──verify──▶ closed ──archive──▶ archived
 *                          ▲  │ report, reassign,       │
 *                          │  │ request/decide-extension│
 *                          └──┴─────────return──────────┘
 *
 * Cards may be raised on any open instance (published, claimed, closing), answered by the community and cancelled
 * with a reason by the street.
 */
import type { EntryBody } from '../history';
import type { Permission } from '../kernel/context';
import { hasPermission } from '../kernel/context';
import { domainError, err, ok, type DomainError, type Result } from '../result';
import type { WorkingCalendar } from '../calendar/types';
import { addWorkdays, workdaysBetween } from '../calendar/workdays';
import { deadlinesFor } from './deadlines';
import { openCards, type TaskState } from './state';
import type { CardLevel, ClosureKind, EventActor, Person, TaskEvent } from './types';

export const TASK_ACTIONS = [
  'claim',
  'report',
  'reassign',
  'request-close',
  'verify',
  'return',
  'archive',
  'request-extension',
  'decide-extension',
  'raise-card',
  'reply-card',
  'cancel-card',
] as const;
export type TaskActionKind = (typeof TASK_ACTIONS)[number];

/** An action with its input (already shaped by the command's zod schema). */
export type TaskAction =
  | { readonly type: 'claim'; readonly owner: Person }
  | {
      readonly type: 'report';
      readonly note: string;
      readonly progress: number | null;
      readonly milestoneId: string | null;
      readonly attachments: readonly string[];
    }
  | { readonly type: 'reassign'; readonly to: Person; readonly reason: string }
  | { readonly type: 'request-close'; readonly closure: ClosureKind; readonly reason: string }
  | { readonly type: 'verify' }
  | { readonly type: 'return'; readonly reason: string }
  | { readonly type: 'archive' }
  | { readonly type: 'request-extension'; readonly days: number; readonly reason: string }
  | { readonly type: 'decide-extension'; readonly granted: number; readonly reason: string }
  | { readonly type: 'raise-card'; readonly level: CardLevel; readonly reason: string; readonly replyWorkdays?: number }
  | { readonly type: 'reply-card'; readonly cardId: string; readonly reply: string }
  | { readonly type: 'cancel-card'; readonly cardId: string; readonly reason: string };

/** Who acts: the account and the permissions its role holds for the community. */
export interface TaskActor extends EventActor {
  readonly permissions: ReadonlySet<Permission>;
}

/** The street's actions; every other action is the community's (`tasks.edit`). */
const SUPERVISE: ReadonlySet<TaskActionKind> = new Set([
  'verify',
  'return',
  'archive',
  'decide-extension',
  'raise-card',
  'cancel-card',
]);

export function permissionFor(action: TaskActionKind): Permission {
  return SUPERVISE.has(action) ? 'tasks.supervise' : 'tasks.edit';
}

const OPEN = new Set(['published', 'claimed', 'closing']);

/** Why an action is refused on a state and a day, whatever its input; null when it may be done. */
export function guard(state: TaskState, action: TaskActionKind, actor: TaskActor, today: string): DomainError | null {
  if (!hasPermission(actor.permissions, permissionFor(action))) return domainError('permission-denied');
  const transition = domainError('invalid', 'action', { action, status: state.status });
  switch (action) {
    case 'claim':
      return state.status === 'published' ? null : transition;
    case 'report':
    case 'reassign':
      return state.status === 'claimed' ? null : transition;
    case 'request-close':
      return state.status === 'claimed' && state.pendingExtension === null ? null : transition;
    case 'verify':
    case 'return':
      return state.status === 'closing' ? null : transition;
    case 'archive':
      return state.status === 'closed' ? null : transition;
    case 'request-extension':
      if (state.status !== 'claimed' || state.pendingExtension !== null) return transition;
      // An extension is asked for before the limit runs out, never after.
      return today <= state.deadlines.completionDue.date
        ? null
        : domainError('invalid', 'days', { completionDue: state.deadlines.completionDue.date });
    case 'decide-extension':
      return state.pendingExtension !== null ? null : transition;
    case 'raise-card':
      return OPEN.has(state.status) ? null : transition;
    case 'reply-card':
      return state.status !== 'archived' && openCards(state).length > 0 ? null : transition;
    case 'cancel-card':
      return state.status !== 'archived' && state.cards.some((c) => c.cancelled === null) ? null : transition;
  }
}

/** The actions an actor may take on an instance today (inputs aside). */
export function allowedActions(state: TaskState, actor: TaskActor, today: string): TaskActionKind[] {
  return TASK_ACTIONS.filter((action) => guard(state, action, actor, today) === null);
}

/** What an action writes: an event without its stamp (id, instant, day, actor: the command adds them). */
export type EventBody = EntryBody<TaskEvent>;

/**
 * Decides an action: the events it writes (usually one; an extension decision also writes the new deadlines), or
 * the refusal. `newId` names a card or an extension request.
 */
export function decide(
  state: TaskState,
  action: TaskAction,
  actor: TaskActor,
  today: string,
  calendar: WorkingCalendar,
  newId: () => string,
): Result<EventBody[], DomainError> {
  const refused = guard(state, action.type, actor, today);
  if (refused !== null) return err(refused);
  switch (action.type) {
    case 'claim':
      return ok([{ type: 'claimed', owner: action.owner, late: today > state.deadlines.claimDue.date }]);
    case 'report': {
      if (action.milestoneId !== null && !state.template.milestones.some((m) => m.id === action.milestoneId)) {
        return err(domainError('not-found', 'milestoneId'));
      }
      const { note, progress, milestoneId, attachments } = action;
      return ok([{ type: 'reported', note, progress, milestoneId, attachments }]);
    }
    case 'reassign':
      if (state.owner !== null && state.owner.name === action.to.name && state.owner.ref === action.to.ref) {
        return err(domainError('invalid', 'to'));
      }
      return ok([{ type: 'reassigned', from: state.owner, to: action.to, reason: action.reason }]);
    case 'request-close':
      return ok([{ type: 'close-requested', closure: action.closure, reason: action.reason }]);
    case 'verify': {
      const requested = state.closeRequest?.on ?? today;
      const taken = workdaysBetween(calendar, state.publishedOn, requested).days;
      return ok([
        {
          type: 'verified',
          onTime: requested <= state.deadlines.completionDue.date,
          workdaysTaken: Math.max(0, taken),
        },
      ]);
    }
    case 'return':
      return ok([{ type: 'returned', reason: action.reason }]);
    case 'archive':
      return ok([{ type: 'archived' }]);
    case 'request-extension':
      return ok([{ type: 'extension-requested', requestId: newId(), days: action.days, reason: action.reason }]);
    case 'decide-extension': {
      const pending = state.pendingExtension;
      if (pending === null) return err(domainError('invalid', 'action'));
      if (action.granted > pending.days) return err(domainError('invalid', 'granted', { asked: pending.days }));
      const paused = Math.max(0, workdaysBetween(calendar, pending.requestedOn, today).days);
      const deadlines = deadlinesFor(state, state.granted + action.granted, state.paused + paused, calendar);
      return ok([
        {
          type: 'extension-decided',
          requestId: pending.requestId,
          granted: action.granted,
          reason: action.reason,
          paused,
        },
        { type: 'deadlines', deadlines, cause: 'extension' },
      ]);
    }
    case 'raise-card': {
      const replyDue = addWorkdays(calendar, today, action.replyWorkdays ?? state.template.cardRules.replyWorkdays);
      return ok([
        { type: 'card-raised', cardId: newId(), level: action.level, reason: action.reason, replyDue, rule: null },
      ]);
    }
    case 'reply-card': {
      const card = state.cards.find((c) => c.id === action.cardId);
      if (card === undefined) return err(domainError('not-found', 'cardId'));
      if (card.reply !== null || card.cancelled !== null) return err(domainError('invalid', 'cardId'));
      return ok([{ type: 'card-replied', cardId: action.cardId, reply: action.reply }]);
    }
    case 'cancel-card': {
      const card = state.cards.find((c) => c.id === action.cardId);
      if (card === undefined) return err(domainError('not-found', 'cardId'));
      if (card.cancelled !== null) return err(domainError('invalid', 'cardId'));
      return ok([{ type: 'card-cancelled', cardId: action.cardId, reason: action.reason }]);
    }
  }
}
