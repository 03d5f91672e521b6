/** Intake and handling along the five-heads chain: 受理, 走访/劝解, 上报 (docs/domain.md, "Five-heads mediation"). */
import { z } from 'zod';
import { chinaDate } from '../dates';
import { domainError, err, ok, parseInput } from '../result';
import { defaultDueDate } from './deadline';
import { type MachineContext, type MachineResult, actorRef, canMediate, defineStep, withEvent } from './guards';
import { chainLinkSchema, escalateSchema, intakeSchema, recordVisitSchema } from './inputs';
import { levelRank } from './records';
import type { CaseId, CaseStatus, ChainLink, LevelStep, MediationCase, PartyId } from './types';

// --- intake --------------------------------------------------------------------------------------------------------

/** What the command learns from the registry and the document before intake. */
export interface IntakeEnv {
  /** `headChain` of the building, mapped to mediation levels; empty for an address outside the registry. */
  readonly chain: readonly ChainLink[];
  /** The number this device gives the case (max known + 1); settled after sync by caseNumber.ts. */
  readonly number: number;
}

/** The link that takes a new case: the lowest head of the place, or the committee when every post is empty. */
export function startingLink(chain: readonly ChainLink[]): ChainLink {
  return chain.find((link) => link.head !== null) ?? { level: 'committee', nodeId: '', nodeName: '', head: null };
}

/** 受理: registers the case at the lowest head of its place (楼栋长, or the next one up if that post is empty). */
export function intake(input: unknown, env: IntakeEnv, ctx: MachineContext): MachineResult {
  if (!canMediate(ctx.permissions)) return err(domainError('permission-denied'));
  const parsed = parseInput(intakeSchema, input);
  if (!parsed.ok) return parsed;
  return applyIntake(parsed.value, env, ctx);
}

/** `intake` on an input `intakeSchema` has already parsed (the command kernel parses it once). */
export function applyIntake(v: z.output<typeof intakeSchema>, env: IntakeEnv, ctx: MachineContext): MachineResult {
  if (!canMediate(ctx.permissions)) return err(domainError('permission-denied'));
  const chain = parseInput(z.array(chainLinkSchema), env.chain);
  if (!chain.ok) return chain;
  const roles = new Set(v.parties.map((p) => p.role));
  if (!roles.has('applicant') || !roles.has('respondent')) return err(domainError('case.parties-required', 'parties'));
  const now = ctx.now();
  const at = now.toISOString();
  const startDate = chinaDate(now);
  const by = actorRef(ctx);
  const id = ctx.newId() as CaseId;
  const first = startingLink(chain.value);
  const firstStep: LevelStep = {
    id: ctx.newId(),
    level: first.level,
    head: first.head,
    nodeName: first.nodeName,
    enteredAt: at,
    by,
    reason: null,
  };
  const state: MediationCase = {
    id,
    year: Number(startDate.slice(0, 4)),
    number: env.number,
    provisionalNumber: env.number,
    registeredAt: at,
    registeredBy: by,
    status: 'registered',
    level: first.level,
    place: v.place,
    chain: chain.value,
    source: v.source,
    category: v.category,
    risk: v.risk,
    parties: v.parties.map((p) => ({ ...p, id: ctx.newId() as PartyId })),
    facts: v.facts,
    attachments: v.attachments.map((a) => ({ ...a, id: ctx.newId() })),
    addedAttachments: [],
    steps: [firstStep],
    visits: [],
    sessions: {},
    agreements: {},
    outcome: null,
    performanceStartedAt: null,
    followUps: [],
    startDate,
    dueDate: defaultDueDate(startDate),
    extensions: [],
    closing: null,
    archivedAt: null,
    timeline: [],
  };
  return ok(withEvent(state, ctx, at, 'intake', {}, { level: first.level, number: env.number }));
}

/** What a registration must have (docs/domain.md, "Five-heads mediation"), in the order of the form. */
export const INTAKE_REQUIRED = ['place', 'applicant', 'respondent', 'facts'] as const;
export type IntakeRequired = (typeof INTAKE_REQUIRED)[number];

/**
 * Every required part a registration lacks, field by field, so a form can say at once all that is missing instead
 * of the first refusal only. The same rules as `intakeSchema` and `applyIntake`: a place is a building or an address,
 * an applicant and a respondent, facts that are not blank.
 */
export function missingIntakeFields(input: {
  readonly place?: { readonly buildingId?: string | null; readonly address?: string } | null;
  readonly parties?: readonly { readonly role: string }[];
  readonly facts?: string;
}): IntakeRequired[] {
  const place = input.place ?? {};
  const roles = new Set((input.parties ?? []).map((p) => p.role));
  const present: Record<IntakeRequired, boolean> = {
    place: (place.buildingId ?? null) !== null || (place.address ?? '').trim() !== '',
    applicant: roles.has('applicant'),
    respondent: roles.has('respondent'),
    facts: (input.facts ?? '').trim() !== '',
  };
  return INTAKE_REQUIRED.filter((field) => !present[field]);
}

// --- handling along the chain --------------------------------------------------------------------------------------

function handled(status: CaseStatus): CaseStatus {
  return status === 'registered' ? 'handling' : status;
}

/** 走访/劝解: a head records a visit or a talk at the case's current level. */
export const recordVisit = defineStep('recordVisit', recordVisitSchema, (state, v, ctx, at) => {
  const visit = {
    id: ctx.newId(),
    kind: v.kind,
    at: v.at ?? at,
    level: state.level,
    by: v.by,
    note: v.note,
    recordedBy: actorRef(ctx),
  };
  return ok(
    withEvent(
      state,
      ctx,
      at,
      'recordVisit',
      { status: handled(state.status), visits: [...state.visits, visit] },
      {
        kind: v.kind,
        level: state.level,
      },
    ),
  );
});

/**
 * The level above the case's current one: the next head up the frozen chain whose post is filled, then the community
 * mediation committee, then the street office (街道综治中心). `null` at the street office: there is nothing above.
 */
export function nextLevel(state: Pick<MediationCase, 'level' | 'chain'>): ChainLink | null {
  const rank = levelRank(state.level);
  const head = state.chain.find((link) => link.head !== null && levelRank(link.level) > rank);
  if (head !== undefined) return head;
  if (rank < levelRank('committee')) return { level: 'committee', nodeId: '', nodeName: '', head: null };
  if (state.level === 'committee') return { level: 'street-office', nodeId: '', nodeName: '', head: null };
  return null;
}

/** 上报: passes the case to the next level up, with a reason. Refused past 街道 (`case.escalation-top`). */
export const escalate = defineStep('escalate', escalateSchema, (state, v, ctx, at) => {
  const next = nextLevel(state);
  if (next === null) return err(domainError('case.escalation-top'));
  const newStep: LevelStep = {
    id: ctx.newId(),
    level: next.level,
    head: next.head,
    nodeName: next.nodeName,
    enteredAt: at,
    by: actorRef(ctx),
    reason: v.reason,
  };
  return ok(
    withEvent(
      state,
      ctx,
      at,
      'escalate',
      { status: handled(state.status), level: next.level, steps: [...state.steps, newStep] },
      { from: state.level, to: next.level, reason: v.reason },
    ),
  );
});

export interface LevelDuration {
  readonly step: LevelStep;
  /** When the case left the level: the next step, else the outcome, else null (still there). */
  readonly leftAt: string | null;
  readonly ms: number;
}

/** Time spent at each level, derived from the steps (see `LevelStep`). */
export function levelDurations(state: Pick<MediationCase, 'steps' | 'outcome'>, now: Date): LevelDuration[] {
  const steps = [...state.steps].sort((a, b) => (a.enteredAt < b.enteredAt ? -1 : a.enteredAt > b.enteredAt ? 1 : 0));
  return steps.map((s, i) => {
    const leftAt = steps[i + 1]?.enteredAt ?? state.outcome?.at ?? null;
    const end = leftAt === null ? now.getTime() : Date.parse(leftAt);
    return { step: s, leftAt, ms: Math.max(0, end - Date.parse(s.enteredAt)) };
  });
}
