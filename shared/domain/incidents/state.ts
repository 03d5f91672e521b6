/**
 * An incident's state, read from its steps (docs/incidents-model.md, "states"). Steps are applied in time order (then
 * by id); a copy of a step counts once. A step that does not fit the state reached so far (two offices accepted and
 * rejected the same report offline; a visit of an incident another device had already reopened) is kept in `ignored`
 * rather than applied, so every device reads the same state from the same merged steps and nothing written is lost.
 */
import type { WorkingCalendar } from '../calendar/types';
import { inTimeOrder } from '../history';
import { handleLimit, lightOn, limitsOn, stageClock, type IncidentLimits, type Light, type StageClock } from './limits';
import type {
  Assignee,
  ClosureType,
  IncidentBase,
  IncidentStatus,
  LinkKind,
  ProceduralKind,
  Step,
  StepActor,
} from './types';

export interface IncidentState {
  readonly base: IncidentBase;
  readonly status: IncidentStatus;
  readonly acceptedOn: string | null;
  readonly assignee: Assignee | null;
  readonly cc: readonly Assignee[];
  readonly assignedOn: string | null;
  /** The day the current handling clock started: acceptance, or the day a bad rating reopened it. */
  readonly handleFrom: string | null;
  /**
   * Its limit in working days (the kind's, or the fix limit after a bad rating), from the limits in force on the day
   * the clock started (docs/incidents-model.md, "an office's own limits").
   */
  readonly handleDays: number;
  readonly closeRequest: {
    readonly on: string;
    readonly closure: ClosureType;
    readonly procedural: ProceduralKind | null;
    readonly by: StepActor;
  } | null;
  /** The last 结案: its day, whether within the limit, and the working days from acceptance. */
  readonly closed: { readonly on: string; readonly onTime: boolean; readonly workdaysTaken: number } | null;
  /** Every return visit, in order; the last one counts for the figures. */
  readonly visits: readonly { readonly on: string; readonly rating: number; readonly comment: string }[];
  /** False when the reporter handled it (a grid worker's own patrol): no survey then. */
  readonly visitRequired: boolean;
  readonly reopened: number;
  readonly sentBack: number;
  readonly verifyRefused: number;
  readonly escalations: readonly { readonly on: string; readonly to: string; readonly skipLevel: boolean }[];
  /** The day 挂账 began, while suspended. */
  readonly suspendedSince: string | null;
  /** Working days spent suspended in the current handling clock. */
  readonly pausedDays: number;
  readonly mergedInto: string | null;
  readonly links: readonly { readonly link: LinkKind; readonly recordId: string }[];
  readonly history: readonly Step[];
  readonly ignored: readonly Step[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Fold = Mutable<IncidentState> & {
  history: Step[];
  ignored: Step[];
  visits: Mutable<IncidentState['visits'][number]>[];
  escalations: IncidentState['escalations'][number][];
  links: IncidentState['links'][number][];
  /** `link\u0000recordId` of each link, so a repeated link is found without a search. */
  linkKeys: Set<string>;
};

const OPEN: ReadonlySet<IncidentStatus> = new Set(['reported', 'accepted', 'assigned', 'closing']);

export function isOpen(state: Pick<IncidentState, 'status'>): boolean {
  return OPEN.has(state.status);
}

/** Applies one step; false when it does not fit the state reached so far. */
function apply(s: Fold, e: Step, limits: IncidentLimits): boolean {
  switch (e.type) {
    case 'accepted':
      if (s.status !== 'reported') return false;
      s.status = 'accepted';
      s.acceptedOn = e.on;
      s.handleFrom = e.on;
      // The handling limit in force on the day it was accepted, kept whatever the office sets later.
      s.handleDays = handleLimit(limitsOn(limits, e.on), s.base.kind, s.base.urgency);
      return true;
    case 'rejected':
      if (s.status !== 'reported') return false;
      s.status = 'rejected';
      return true;
    case 'assigned':
      if (s.status !== 'accepted' && s.status !== 'assigned') return false;
      s.status = 'assigned';
      s.assignee = e.to;
      s.cc = e.cc;
      s.assignedOn = e.on;
      return true;
    case 'escalated':
      if (!OPEN.has(s.status)) return false;
      s.escalations.push({ on: e.on, to: e.to, skipLevel: e.skipLevel });
      return true;
    case 'sent-back':
      if (s.status !== 'assigned') return false;
      s.status = 'accepted';
      s.assignee = null;
      s.assignedOn = null;
      s.sentBack++;
      return true;
    case 'handled':
      return s.status === 'assigned';
    case 'close-requested':
      if (s.status !== 'assigned' || s.suspendedSince !== null) return false;
      s.status = 'closing';
      s.closeRequest = { on: e.on, closure: e.closure, procedural: e.procedural, by: e.by };
      return true;
    case 'verify-refused':
      if (s.status !== 'closing') return false;
      s.status = 'assigned';
      s.closeRequest = null;
      s.verifyRefused++;
      return true;
    case 'closed':
      if (s.status !== 'closing') return false;
      s.status = 'closed';
      s.closed = { on: e.on, onTime: e.onTime, workdaysTaken: e.workdaysTaken };
      // No survey when the person who reported it also handled it (docs/incidents-model.md, "return visit").
      s.visitRequired = s.closeRequest?.by.userId !== s.base.reportedBy.userId;
      return true;
    case 'visited':
      if (s.status !== 'closed' || !s.visitRequired) return false;
      s.visits.push({ on: e.on, rating: e.rating, comment: e.comment });
      if (e.rating <= 2) {
        // 不满意 reopens it with the fix limit, counted from the visit.
        s.status = 'assigned';
        s.reopened++;
        s.closeRequest = null;
        s.handleFrom = e.on;
        s.handleDays = limitsOn(limits, e.on).fixAfterBadRating;
        s.pausedDays = 0;
      } else {
        s.status = 'visited';
      }
      return true;
    case 'suspended':
      if ((s.status !== 'accepted' && s.status !== 'assigned') || s.suspendedSince !== null) return false;
      s.suspendedSince = e.on;
      return true;
    case 'resumed':
      if (s.suspendedSince === null) return false;
      s.suspendedSince = null;
      s.pausedDays += e.pausedWorkdays;
      return true;
    case 'merged':
      if (!OPEN.has(s.status) || s.status === 'closing' || e.into === s.base.id) return false;
      s.status = 'merged';
      s.mergedInto = e.into;
      return true;
    case 'archived':
      if (s.status === 'visited' || (s.status === 'closed' && !s.visitRequired) || s.status === 'rejected') {
        s.status = 'archived';
        return true;
      }
      return false;
    case 'linked': {
      const key = `${e.link}\u0000${e.recordId}`;
      if (s.linkKeys.has(key)) return false;
      s.linkKeys.add(key);
      s.links.push({ link: e.link, recordId: e.recordId });
      return true;
    }
  }
}

/** Folds an incident's steps into its state. */
export function incidentState(base: IncidentBase, steps: readonly Step[], limits: IncidentLimits): IncidentState {
  const ordered = inTimeOrder(steps);
  const s: Fold = {
    base,
    status: 'reported',
    acceptedOn: null,
    assignee: null,
    cc: [],
    assignedOn: null,
    handleFrom: null,
    handleDays: handleLimit(limitsOn(limits, base.reportedOn), base.kind, base.urgency),
    closeRequest: null,
    closed: null,
    visits: [],
    visitRequired: true,
    reopened: 0,
    sentBack: 0,
    verifyRefused: 0,
    escalations: [],
    suspendedSince: null,
    pausedDays: 0,
    mergedInto: null,
    links: [],
    linkKeys: new Set(),
    history: [],
    ignored: [],
  };
  for (const e of ordered) (apply(s, e, limits) ? s.history : s.ignored).push(e);
  const { linkKeys: _keys, ...state } = s;
  return state;
}

/**
 * The clock running now (none once closed, rejected or merged). Each stage counts with the limits in force on the day
 * it started (docs/incidents-model.md, "an office's own limits").
 */
export function currentClock(
  state: IncidentState,
  calendar: WorkingCalendar,
  limits: IncidentLimits,
): StageClock | null {
  switch (state.status) {
    case 'reported': {
      const on = limitsOn(limits, state.base.reportedOn);
      return stageClock(calendar, 'accept', state.base.reportedOn, on.accept, 0, on.warningShare);
    }
    case 'accepted':
    case 'assigned':
      return handleClock(state, calendar, limits);
    case 'closing': {
      if (state.closeRequest === null) return null;
      const on = limitsOn(limits, state.closeRequest.on);
      return stageClock(calendar, 'verify', state.closeRequest.on, on.verify, 0, on.warningShare);
    }
    default:
      return null;
  }
}

/** The handling clock (from acceptance or reopening), whatever the stage: on-time closure is judged against it. */
export function handleClock(
  state: IncidentState,
  calendar: WorkingCalendar,
  limits: IncidentLimits,
): StageClock | null {
  if (state.handleFrom === null) return null;
  const share = limitsOn(limits, state.handleFrom).warningShare;
  return stageClock(calendar, 'handle', state.handleFrom, state.handleDays, state.pausedDays, share);
}

/** The traffic light of the stage running today; null when no clock runs (a suspended clock stays as it was). */
export function lightOf(
  state: IncidentState,
  calendar: WorkingCalendar,
  limits: IncidentLimits,
  today: string,
): Light | null {
  const clock = currentClock(state, calendar, limits);
  if (clock === null) return null;
  if (state.suspendedSince !== null) return lightOn(clock, state.suspendedSince);
  return lightOn(clock, today);
}
