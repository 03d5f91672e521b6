/**
 * The machine's guards and plumbing: which statuses allow which action (`ALLOWED_IN`, the single source for the
 * machine and for `allowedActions`), who may write, and how a step is built (docs/domain.md, "Five-heads mediation").
 */
import type { z } from 'zod';
import type { CommandContext, Permission } from '../kernel';
import { type DomainError, type Result, domainError, err, parseInput } from '../result';
import {
  type ActorRef,
  CASE_STATUSES,
  type CaseActionKind,
  type CaseStatus,
  type MediationCase,
  OPEN_STATUSES,
  type TimelineEvent,
} from './types';

export type MachineContext = Pick<CommandContext, 'actor' | 'now' | 'newId' | 'permissions'>;
export type MachineResult = Result<MediationCase, DomainError>;

/** Who is asking, for `allowedActions`: the permissions of the command context. */
export interface MediationActor {
  readonly permissions: ReadonlySet<Permission>;
}

/** 人民调解法 art. 33: the parties may jointly apply for judicial confirmation within 30 days of the agreement taking effect. */
export const JUDICIAL_CONFIRMATION_DAYS = 30;

export type StepKind = Exclude<CaseActionKind, 'intake' | 'renumber'>;

const NOT_ARCHIVED = CASE_STATUSES.filter((s) => s !== 'archived');
const BEFORE_CLOSE = CASE_STATUSES.filter((s) => s !== 'archived' && s !== 'closed');
export const AGREED_ON = ['agreed', 'performing', 'followed-up'] as const satisfies readonly CaseStatus[];

/** The statuses each action is allowed in. The single source for the machine and for `allowedActions`. */
const ALLOWED_IN: Readonly<Record<StepKind, readonly CaseStatus[]>> = {
  recordVisit: ['registered', 'handling', 'in-session'],
  escalate: ['registered', 'handling', 'in-session'],
  recordSession: ['registered', 'handling', 'in-session'],
  updateSession: BEFORE_CLOSE,
  signSession: BEFORE_CLOSE,
  // A head's visits come first: an agreement is reached by someone who has handled the case.
  reachAgreement: ['handling', 'in-session'],
  // After `signing`, only a corrected version (a new draft) can be edited, signed and sealed.
  updateAgreement: ['signing', ...AGREED_ON],
  signAgreement: ['signing', ...AGREED_ON],
  sealAgreement: ['signing', ...AGREED_ON],
  recordOutcome: OPEN_STATUSES,
  markJudicialConfirmation: [...AGREED_ON, 'closed'],
  startPerformance: ['agreed'],
  recordFollowUp: AGREED_ON,
  close: ['followed-up', 'no-agreement', 'referred'],
  archive: ['closed'],
  extendDeadline: OPEN_STATUSES,
  correct: NOT_ARCHIVED,
  // A photo or a signed page can come in at any stage until the dossier is archived.
  addAttachment: NOT_ARCHIVED,
  // Who acts for a minor party is a fact about the party, recorded whenever it becomes known (docs/domain.md, "Minors").
  setGuardian: NOT_ARCHIVED,
};

/** Archiving seals the dossier for good; it is the office's act, so it needs `admin`. */
const ADMIN_ONLY: ReadonlySet<StepKind> = new Set(['archive']);

/** Case writes need `cases.edit` (an editor's token and the office working alone hold it) or `admin`. */
export function canMediate(permissions: ReadonlySet<Permission>): boolean {
  return permissions.has('cases.edit') || permissions.has('admin');
}

export function guard(kind: StepKind, state: MediationCase, permissions: ReadonlySet<Permission>): DomainError | null {
  if (!canMediate(permissions)) return domainError('permission-denied');
  if (ADMIN_ONLY.has(kind) && !permissions.has('admin')) return domainError('permission-denied');
  if (!ALLOWED_IN[kind].includes(state.status)) {
    return domainError('case.transition', undefined, { status: state.status, action: kind });
  }
  return null;
}

// --- plumbing ------------------------------------------------------------------------------------------------------

export function actorRef(ctx: MachineContext): ActorRef {
  return { userId: ctx.actor.userId, userName: ctx.actor.userName, deviceId: ctx.actor.deviceId };
}

export function withEvent(
  state: MediationCase,
  ctx: MachineContext,
  at: string,
  kind: CaseActionKind,
  changes: Partial<MediationCase>,
  detail: TimelineEvent['detail'] = {},
): MediationCase {
  const event: TimelineEvent = { id: ctx.newId(), at, kind, by: actorRef(ctx), detail };
  return { ...state, ...changes, timeline: [...state.timeline, event] };
}

/**
 * One step of the machine. Called as a function, it guards (permission, status), parses the input with its schema and
 * runs the rule: the pure machine as the tests and `transition` use it. `apply` guards and runs the rule on an input
 * the schema has already parsed: the command kernel parses it once (docs/architecture.md, "Commands").
 */
export interface Step<S extends z.ZodType> {
  (state: MediationCase, input: unknown, ctx: MachineContext): MachineResult;
  readonly kind: StepKind;
  readonly schema: S;
  readonly apply: (state: MediationCase, input: z.output<S>, ctx: MachineContext) => MachineResult;
}

/** Builds a step from its status rule (`ALLOWED_IN`), its input schema and its rule. */
export function defineStep<S extends z.ZodType>(
  kind: StepKind,
  schema: S,
  rule: (state: MediationCase, v: z.output<S>, ctx: MachineContext, at: string) => MachineResult,
): Step<S> {
  const apply = (state: MediationCase, input: z.output<S>, ctx: MachineContext): MachineResult => {
    const refused = guard(kind, state, ctx.permissions);
    if (refused !== null) return err(refused);
    return rule(state, input, ctx, ctx.now().toISOString());
  };
  const run = (state: MediationCase, input: unknown, ctx: MachineContext): MachineResult => {
    const refused = guard(kind, state, ctx.permissions);
    if (refused !== null) return err(refused);
    const parsed = parseInput(schema, input);
    if (!parsed.ok) return parsed;
    return rule(state, parsed.value as z.output<S>, ctx, ctx.now().toISOString());
  };
  return Object.assign(run, { kind, schema, apply });
}
