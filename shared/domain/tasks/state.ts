/**
 * An instance's state, read from its events (docs/tasks-model.md, "states"). Events are applied in time order (then
 * by id); a copy of an event counts once. An event that does not fit the state reached so far (two devices both claimed
 * offline; a verification of a request another device had already returned) is kept in `ignored` rather than
 * applied, so every device reads the same state from the same merged events and nothing written is lost. So is an
 * event dated (or carrying a deadline) more than `EVENT_REACH_DAYS` from the publishing day: the working-day counts
 * between such dates and today would pass what the calendar counts (`MAX_SPAN_DAYS`) and refuse to run.
 */
import { daysBetween, MAX_SPAN_DAYS } from '../calendar/workdays';
import { inTimeOrder } from '../history';
import type {
  Card,
  ClosureKind,
  EventActor,
  ExtensionRequest,
  Person,
  TaskBase,
  TaskDeadlines,
  TaskEvent,
  TaskStatus,
} from './types';

export interface Report {
  readonly id: string;
  readonly on: string;
  readonly by: EventActor;
  readonly note: string;
  readonly progress: number | null;
  readonly milestoneId: string | null;
  readonly attachments: readonly string[];
}

export interface CloseRequest {
  readonly closure: ClosureKind;
  readonly reason: string;
  readonly on: string;
  readonly by: EventActor;
}

export interface Closure extends CloseRequest {
  readonly verifiedOn: string;
  readonly verifiedBy: EventActor;
  readonly onTime: boolean;
  readonly workdaysTaken: number;
}

export interface TaskState extends TaskBase {
  readonly status: TaskStatus;
  readonly owner: Person | null;
  readonly claimedOn: string | null;
  /** Claimed after the claim limit (领办逾期): a flag on the record, never a dead end. */
  readonly claimLate: boolean;
  readonly deadlines: TaskDeadlines;
  /** Working days granted by extensions, and working days the clock stood still for pending requests. */
  readonly granted: number;
  readonly paused: number;
  readonly extensions: readonly ExtensionRequest[];
  readonly pendingExtension: ExtensionRequest | null;
  readonly reports: readonly Report[];
  readonly closeRequest: CloseRequest | null;
  readonly closure: Closure | null;
  readonly returns: readonly { readonly reason: string; readonly on: string; readonly by: EventActor }[];
  readonly reassignments: readonly {
    readonly from: Person | null;
    readonly to: Person;
    readonly reason: string;
    readonly on: string;
    readonly by: EventActor;
  }[];
  readonly archivedOn: string | null;
  readonly cards: readonly Card[];
  /** The events applied, in order: the task's timeline. */
  readonly history: readonly TaskEvent[];
  /** Events that did not fit when their turn came (see the header). */
  readonly ignored: readonly TaskEvent[];
}

/** How far from its publishing day an event of an instance may be dated: half of what the calendar counts. */
export const EVENT_REACH_DAYS = Math.floor(MAX_SPAN_DAYS / 2);

function withinReach(base: TaskBase, e: TaskEvent): boolean {
  const near = (date: string) => Math.abs(daysBetween(base.publishedOn, date)) <= EVENT_REACH_DAYS;
  const deadlines = e.type === 'published' || e.type === 'deadlines' ? e.deadlines : null;
  return (
    near(e.on) &&
    (deadlines === null ||
      (near(deadlines.claimDue.date) && near(deadlines.completionDue.date) && near(deadlines.warningOn.date))) &&
    (e.type !== 'card-raised' || near(e.replyDue.date))
  );
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The state while it is being folded: its lists grow in place and cards are found by id through an index, so reading
 * n events costs O(n) (a device may append many: copying the lists on every event made 40 000 events take minutes).
 */
type Fold = Omit<
  Mutable<TaskState>,
  'extensions' | 'reports' | 'returns' | 'reassignments' | 'cards' | 'history' | 'ignored'
> & {
  extensions: ExtensionRequest[];
  reports: Report[];
  returns: Mutable<TaskState['returns']>;
  reassignments: Mutable<TaskState['reassignments']>;
  cards: Card[];
  history: TaskEvent[];
  ignored: TaskEvent[];
  /** Position of each card in `cards`, by id. */
  cardAt: Map<string, number>;
};

function openStatus(status: TaskStatus): boolean {
  return status === 'published' || status === 'claimed' || status === 'closing';
}

/** Applies one event; false when it does not fit the state (the caller keeps it as ignored). */
function apply(s: Fold, e: TaskEvent): boolean {
  switch (e.type) {
    case 'published':
      if (s.history.length > 0) return false;
      s.deadlines = e.deadlines;
      return true;
    case 'deadlines':
      s.deadlines = e.deadlines;
      return true;
    case 'claimed':
      if (s.status !== 'published') return false;
      s.status = 'claimed';
      s.owner = e.owner;
      s.claimedOn = e.on;
      s.claimLate = e.late;
      return true;
    case 'reported':
      if (s.status !== 'claimed') return false;
      s.reports.push({
        id: e.id,
        on: e.on,
        by: e.by,
        note: e.note,
        progress: e.progress,
        milestoneId: e.milestoneId,
        attachments: e.attachments,
      });
      return true;
    case 'reassigned':
      if (s.status !== 'claimed') return false;
      s.reassignments.push({ from: e.from, to: e.to, reason: e.reason, on: e.on, by: e.by });
      s.owner = e.to;
      return true;
    case 'close-requested':
      if (s.status !== 'claimed' || s.pendingExtension !== null) return false;
      s.status = 'closing';
      s.closeRequest = { closure: e.closure, reason: e.reason, on: e.on, by: e.by };
      return true;
    case 'verified':
      if (s.status !== 'closing' || s.closeRequest === null) return false;
      s.status = 'closed';
      s.closure = {
        ...s.closeRequest,
        verifiedOn: e.on,
        verifiedBy: e.by,
        onTime: e.onTime,
        workdaysTaken: e.workdaysTaken,
      };
      s.closeRequest = null;
      return true;
    case 'returned':
      if (s.status !== 'closing') return false;
      s.status = 'claimed';
      s.closeRequest = null;
      s.returns.push({ reason: e.reason, on: e.on, by: e.by });
      return true;
    case 'archived':
      if (s.status !== 'closed') return false;
      s.status = 'archived';
      s.archivedOn = e.on;
      return true;
    case 'extension-requested': {
      if (s.status !== 'claimed' || s.pendingExtension !== null) return false;
      const request: ExtensionRequest = {
        requestId: e.requestId,
        days: e.days,
        reason: e.reason,
        requestedOn: e.on,
        by: e.by,
        decision: null,
      };
      s.pendingExtension = request;
      s.extensions.push(request);
      return true;
    }
    case 'extension-decided': {
      const pending = s.pendingExtension;
      if (pending === null || pending.requestId !== e.requestId) return false;
      // One request is pending at a time and it is the last one asked.
      s.extensions[s.extensions.length - 1] = {
        ...pending,
        decision: { granted: e.granted, reason: e.reason, approver: e.by, on: e.on, paused: e.paused },
      };
      s.pendingExtension = null;
      s.granted += e.granted;
      s.paused += e.paused;
      return true;
    }
    case 'card-raised':
      if (!openStatus(s.status) || s.cardAt.has(e.cardId)) return false;
      s.cardAt.set(e.cardId, s.cards.length);
      s.cards.push({
        id: e.cardId,
        level: e.level,
        reason: e.reason,
        issuer: e.by,
        raisedOn: e.on,
        replyDue: e.replyDue,
        rule: e.rule,
        reply: null,
        cancelled: null,
      });
      return true;
    case 'card-replied': {
      const at = s.cardAt.get(e.cardId);
      const card = at === undefined ? undefined : s.cards[at];
      if (at === undefined || card === undefined || card.reply !== null || card.cancelled !== null) return false;
      s.cards[at] = { ...card, reply: { text: e.reply, by: e.by, on: e.on } };
      return true;
    }
    case 'card-cancelled': {
      const at = s.cardAt.get(e.cardId);
      const card = at === undefined ? undefined : s.cards[at];
      if (at === undefined || card === undefined || card.cancelled !== null) return false;
      s.cards[at] = { ...card, cancelled: { reason: e.reason, by: e.by, on: e.on } };
      return true;
    }
  }
}

/** Folds an instance's events into its state. */
export function taskState(base: TaskBase, events: readonly TaskEvent[]): TaskState {
  const ordered = inTimeOrder(events);
  const published = ordered.find(
    (e): e is Extract<TaskEvent, { type: 'published' }> => e.type === 'published' && withinReach(base, e),
  );
  const empty = { date: base.publishedOn, calendarVersion: '', uncovered: false };
  const s: Fold = {
    ...base,
    status: 'published',
    owner: null,
    claimedOn: null,
    claimLate: false,
    deadlines: published?.deadlines ?? { claimDue: empty, completionDue: empty, warningOn: empty },
    granted: 0,
    paused: 0,
    extensions: [],
    pendingExtension: null,
    reports: [],
    closeRequest: null,
    closure: null,
    returns: [],
    reassignments: [],
    archivedOn: null,
    cards: [],
    history: [],
    ignored: [],
    cardAt: new Map(),
  };
  for (const e of ordered) {
    if (withinReach(base, e) && apply(s, e)) s.history.push(e);
    else s.ignored.push(e);
  }
  const { cardAt: _index, ...state } = s;
  return state;
}

/** Cards neither cancelled nor answered. */
export function openCards(state: TaskState): Card[] {
  return state.cards.filter((c) => c.cancelled === null && c.reply === null);
}

export interface TaskClock {
  /** Not claimed and past the claim limit (领办逾期). */
  readonly claimOverdue: boolean;
  /** Open, not waiting for a verification or an extension decision, and past the completion limit. */
  readonly overdue: boolean;
  /** At or past the warning day and not closed. */
  readonly warning: boolean;
  /** An extension request is pending: the clock stands still. */
  readonly paused: boolean;
}

/** Where an instance stands on `today` (docs/tasks-model.md, "time rules"). */
export function clockOf(state: TaskState, today: string): TaskClock {
  const running = state.status === 'published' || state.status === 'claimed';
  const paused = state.pendingExtension !== null;
  return {
    claimOverdue: state.status === 'published' && today > state.deadlines.claimDue.date,
    overdue: running && !paused && today > state.deadlines.completionDue.date,
    warning: running && !paused && today >= state.deadlines.warningOn.date,
    paused,
  };
}
