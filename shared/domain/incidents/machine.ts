/**
 * The grid-event machine (docs/incidents-model.md, "states"): what may be done to an incident, by whom, on which day,
 * and the step each action writes. Pure: the commands read the state, ask `decide`, append what it returns; screens
 * ask `allowedActions`.
 *
 *   reported ─accept─▶ accepted ─assign─▶ assigned ─request-close─▶ closing ─verify─▶ closed ─visit─▶ visited ─archive─▶
 *      │                  ▲  ▲  │send-back   ▲ │ handle, reassign      │refuse-verify   │ visit rated ≤ 2 (不满意)
 *      └reject            │  └──┘            │ └───────────────────────┘                │ reopens: back to assigned
 *                         │                  └──────────────────────────────────────────┘
 *   escalate, suspend/resume (挂账), merge (as a duplicate) and link on the open states.
 */
import type { WorkingCalendar } from '../calendar/types';
import { workdaysBetween } from '../calendar/workdays';
import type { EntryBody } from '../history';
import type { Permission } from '../kernel/context';
import { hasPermission } from '../kernel/context';
import { domainError, err, ok, type DomainError, type Result } from '../result';
import { lightOn, limitsOn, skipsLevel, type IncidentLimits } from './limits';
import { handleClock, isOpen, type IncidentState } from './state';
import type { Assignee, ClosureType, LinkKind, ProceduralKind, Step, StepActor, VisitMethod } from './types';

export const INCIDENT_ACTIONS = [
  'accept',
  'reject',
  'assign',
  'send-back',
  'escalate',
  'handle',
  'request-close',
  'verify',
  'refuse-verify',
  'visit',
  'suspend',
  'resume',
  'merge',
  'archive',
  'link',
] as const;
export type IncidentActionKind = (typeof INCIDENT_ACTIONS)[number];

export type IncidentAction =
  | { readonly type: 'accept' }
  | { readonly type: 'reject'; readonly reason: string }
  | { readonly type: 'assign'; readonly to: Assignee; readonly cc: readonly Assignee[] }
  | { readonly type: 'send-back'; readonly reason: string }
  | { readonly type: 'escalate'; readonly to: string; readonly reason: string }
  | { readonly type: 'handle'; readonly note: string; readonly attachments: readonly string[] }
  | {
      readonly type: 'request-close';
      readonly closure: ClosureType;
      readonly procedural: ProceduralKind | null;
      readonly note: string;
    }
  | { readonly type: 'verify' }
  | { readonly type: 'refuse-verify'; readonly reason: string }
  | { readonly type: 'visit'; readonly method: VisitMethod; readonly rating: number; readonly comment: string }
  | { readonly type: 'suspend'; readonly reason: string }
  | { readonly type: 'resume' }
  | { readonly type: 'merge'; readonly into: string; readonly reason: string }
  | { readonly type: 'archive' }
  | { readonly type: 'link'; readonly link: LinkKind; readonly recordId: string };

export interface IncidentActor extends StepActor {
  readonly permissions: ReadonlySet<Permission>;
}

/** The office's actions (受理, 交办, 核查, 挂账, 合并, 归档); the rest belong to whoever works the grid. */
const DISPATCH: ReadonlySet<IncidentActionKind> = new Set([
  'accept',
  'reject',
  'assign',
  'escalate',
  'verify',
  'refuse-verify',
  'suspend',
  'resume',
  'merge',
  'archive',
]);

export function permissionFor(action: IncidentActionKind): Permission {
  return DISPATCH.has(action) ? 'incidents.dispatch' : 'incidents.edit';
}

export interface MachineEnv {
  readonly calendar: WorkingCalendar;
  readonly limits: IncidentLimits;
}

/** Why an action is refused on a state and a day, whatever its input; null when it may be done. */
export function guard(
  state: IncidentState,
  action: IncidentActionKind,
  actor: IncidentActor,
  today: string,
  env: MachineEnv,
): DomainError | null {
  if (!hasPermission(actor.permissions, permissionFor(action))) return domainError('permission-denied');
  const transition = domainError('invalid', 'action', { action, status: state.status });
  const s = state.status;
  switch (action) {
    case 'accept':
    case 'reject':
      return s === 'reported' ? null : transition;
    case 'assign':
      return (s === 'accepted' || s === 'assigned') && state.suspendedSince === null ? null : transition;
    case 'send-back': {
      if (s !== 'assigned' || state.assignedOn === null) return transition;
      // 回退 within N working days of the assignment (N in force on the day it was assigned), never later.
      const limit = limitsOn(env.limits, state.assignedOn).sendBack;
      const days = workdaysBetween(env.calendar, state.assignedOn, today).days;
      return days <= limit ? null : domainError('invalid', 'action', { limit });
    }
    case 'escalate':
    case 'link':
      return isOpen(state) || (action === 'link' && s !== 'merged') ? null : transition;
    case 'handle':
      return s === 'assigned' ? null : transition;
    case 'request-close':
      return s === 'assigned' && state.suspendedSince === null ? null : transition;
    case 'verify':
    case 'refuse-verify':
      return s === 'closing' ? null : transition;
    case 'visit':
      if (s !== 'closed') return transition;
      return state.visitRequired ? null : domainError('invalid', 'action', { action, status: 'self-handled' });
    case 'suspend':
      return (s === 'accepted' || s === 'assigned') && state.suspendedSince === null ? null : transition;
    case 'resume':
      return state.suspendedSince !== null ? null : transition;
    case 'merge':
      return s === 'reported' || s === 'accepted' || s === 'assigned' ? null : transition;
    case 'archive':
      return s === 'visited' || s === 'rejected' || (s === 'closed' && !state.visitRequired) ? null : transition;
  }
}

export function allowedActions(
  state: IncidentState,
  actor: IncidentActor,
  today: string,
  env: MachineEnv,
): IncidentActionKind[] {
  return INCIDENT_ACTIONS.filter((a) => guard(state, a, actor, today, env) === null);
}

/** What an action writes: a step without its stamp (the command adds id, instant, day and author). */
export type StepBody = EntryBody<Step>;

export function decide(
  state: IncidentState,
  action: IncidentAction,
  actor: IncidentActor,
  today: string,
  env: MachineEnv,
): Result<StepBody[], DomainError> {
  const refused = guard(state, action.type, actor, today, env);
  if (refused !== null) return err(refused);
  switch (action.type) {
    case 'accept':
      return ok([{ type: 'accepted' }]);
    case 'reject':
      return ok([{ type: 'rejected', reason: action.reason }]);
    case 'assign': {
      const a = state.assignee;
      if (a !== null && a.kind === action.to.kind && a.name === action.to.name && a.ref === action.to.ref) {
        return err(domainError('invalid', 'to'));
      }
      return ok([{ type: 'assigned', to: action.to, cc: [...action.cc] }]);
    }
    case 'send-back':
      return ok([{ type: 'sent-back', reason: action.reason }]);
    case 'escalate':
      return ok([
        {
          type: 'escalated',
          to: action.to,
          reason: action.reason,
          skipLevel: skipsLevel(state.base.category, state.base.urgency),
        },
      ]);
    case 'handle':
      return ok([{ type: 'handled', note: action.note, attachments: [...action.attachments] }]);
    case 'request-close':
      if (action.closure === 'procedural' && action.procedural === null) {
        return err(domainError('required', 'procedural'));
      }
      return ok([
        {
          type: 'close-requested',
          closure: action.closure,
          procedural: action.closure === 'procedural' ? action.procedural : null,
          note: action.note,
        },
      ]);
    case 'verify': {
      const clock = handleClock(state, env.calendar, env.limits);
      const requested = state.closeRequest?.on ?? today;
      const from = state.acceptedOn ?? state.base.reportedOn;
      const taken = Math.max(0, workdaysBetween(env.calendar, from, requested).days - state.pausedDays);
      const onTime = clock === null || lightOn(clock, requested) !== 'red';
      return ok([{ type: 'closed', onTime, workdaysTaken: taken }]);
    }
    case 'refuse-verify':
      return ok([{ type: 'verify-refused', reason: action.reason }]);
    case 'visit':
      // 不满意 reopens the incident: the resident's words are required then.
      if (action.rating <= 2 && action.comment.trim() === '') return err(domainError('required', 'comment'));
      return ok([{ type: 'visited', method: action.method, rating: action.rating, comment: action.comment }]);
    case 'suspend':
      return ok([{ type: 'suspended', reason: action.reason }]);
    case 'resume': {
      const since = state.suspendedSince ?? today;
      return ok([{ type: 'resumed', pausedWorkdays: Math.max(0, workdaysBetween(env.calendar, since, today).days) }]);
    }
    case 'merge':
      if (action.into === state.base.id) return err(domainError('invalid', 'into'));
      return ok([{ type: 'merged', into: action.into, reason: action.reason }]);
    case 'archive':
      return ok([{ type: 'archived' }]);
    case 'link':
      if (state.links.some((l) => l.link === action.link && l.recordId === action.recordId)) {
        return err(domainError('invalid', 'recordId'));
      }
      return ok([{ type: 'linked', link: action.link, recordId: action.recordId }]);
  }
}
