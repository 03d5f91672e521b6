/**
 * The mediation state machine (docs/domain.md, "Five-heads mediation"): pure functions from a case and an
 * input to the next case or a typed refusal. Nothing here touches a document; `commands.ts` runs these over the
 * `<community>/cases/<year>` Y.Doc, and the UI asks `allowedActions` what to offer (STYLE.md habit 6).
 *
 * Every function
 * 1. checks the actor may write and the case's status allows the action (`case.transition` otherwise),
 * 2. validates the input shape (zod) and the domain rules,
 * 3. returns the whole next case with one timeline event appended (who, when, what).
 *
 * ```
 *  intake ─► registered ─► handling ◄─┐ recordVisit, escalate (up the chain; refused past 街道)
 *                 │            │      │
 *                 └────────────┴─► in-session  recordSession / signSession (locks when all have signed)
 *                              │       │
 *          reachAgreement ─────┴───────┤
 *      written: signing ─► (all parties + mediator signed, seal) ─► agreed ◄─ oral: at once
 *                 │                                                 │
 *  recordOutcome: no-agreement / referred                   startPerformance ─► performing
 *                 │                                                 │
 *                 │                                   recordFollowUp ─► followed-up
 *                 └──────────────────────── close ◄─────────────────┘
 *                                              └─► closed ─► archive ─► archived
 * ```
 */
import { z } from 'zod';
import { chinaDate } from '../dates';
import { domainError, err, ok, parseInput, type DomainError, type Result } from '../result';
import type { CommandContext } from '../registry/commands';
import type { Permission } from '../registry/types';
import { daysBetween, defaultDueDate } from './deadline';
import {
  addAttachmentSchema,
  AGREEMENT_CONTENT_FIELDS,
  AGREEMENT_PROTECTED_FIELDS,
  archiveSchema,
  chainLinkSchema,
  closeSchema,
  correctSchema,
  escalateSchema,
  extendDeadlineSchema,
  intakeSchema,
  markJudicialConfirmationSchema,
  MEDIATION_LEVELS,
  OPEN_STATUSES,
  reachAgreementSchema,
  recordFollowUpSchema,
  recordOutcomeSchema,
  recordSessionSchema,
  recordVisitSchema,
  sealAgreementSchema,
  SESSION_CONTENT_FIELDS,
  SESSION_PROTECTED_FIELDS,
  signAgreementSchema,
  signSessionSchema,
  startPerformanceSchema,
  updateAgreementSchema,
  updateSessionSchema,
  CASE_STATUSES,
  type ActorRef,
  type AddedAttachment,
  type Agreement,
  type AgreementId,
  type CaseActionKind,
  type CaseId,
  type CaseStatus,
  type ChainLink,
  type LevelStep,
  type MediationCase,
  type MediationLevel,
  type Party,
  type PartyId,
  type SessionId,
  type SessionRecord,
  type Signature,
  type Signer,
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

type StepKind = Exclude<CaseActionKind, 'intake' | 'renumber'>;

const NOT_ARCHIVED = CASE_STATUSES.filter((s) => s !== 'archived');
const BEFORE_CLOSE = CASE_STATUSES.filter((s) => s !== 'archived' && s !== 'closed');
const AGREED_ON = ['agreed', 'performing', 'followed-up'] as const satisfies readonly CaseStatus[];

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
};

/** Archiving seals the dossier for good; it is the office's act, so it needs `admin`. */
const ADMIN_ONLY: ReadonlySet<StepKind> = new Set(['archive']);

/** Case writes need `cases.edit` (an editor's token and the office working alone hold it) or `admin`. */
export function canMediate(permissions: ReadonlySet<Permission>): boolean {
  return permissions.has('cases.edit') || permissions.has('admin');
}

function guard(kind: StepKind, state: MediationCase, permissions: ReadonlySet<Permission>): DomainError | null {
  if (!canMediate(permissions)) return domainError('permission-denied');
  if (ADMIN_ONLY.has(kind) && !permissions.has('admin')) return domainError('permission-denied');
  if (!ALLOWED_IN[kind].includes(state.status)) {
    return domainError('case.transition', undefined, { status: state.status, action: kind });
  }
  return null;
}

// --- plumbing ------------------------------------------------------------------------------------------------------

function actorRef(ctx: MachineContext): ActorRef {
  return { userId: ctx.actor.userId, userName: ctx.actor.userName, deviceId: ctx.actor.deviceId };
}

function withEvent(
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

/** Guard, parse, then run the rule: the common shape of every step. */
function step<S extends z.ZodType>(
  kind: StepKind,
  schema: S,
  state: MediationCase,
  input: unknown,
  ctx: MachineContext,
  rule: (v: z.output<S>, at: string) => MachineResult,
): MachineResult {
  const refused = guard(kind, state, ctx.permissions);
  if (refused !== null) return err(refused);
  const parsed = parseInput(schema, input);
  if (!parsed.ok) return parsed;
  return rule(parsed.value as z.output<S>, ctx.now().toISOString());
}

function levelRank(level: MediationLevel): number {
  return MEDIATION_LEVELS.indexOf(level);
}

function partyIds(state: MediationCase): Set<string> {
  return new Set(state.parties.map((p) => p.id));
}

function unknownParty(state: MediationCase, ids: readonly string[], field: string): DomainError | null {
  const known = partyIds(state);
  const index = ids.findIndex((id) => !known.has(id));
  return index < 0 ? null : domainError('case.party-unknown', `${field}.${index}`);
}

function pick(record: object, fields: readonly string[]): Record<string, unknown> {
  const source = record as Record<string, unknown>;
  return Object.fromEntries(fields.filter((f) => f in source).map((f) => [f, source[f]]));
}

function sameSigner(a: Signer, b: Signer): boolean {
  return a.role === b.role && (a.role !== 'party' || b.role !== 'party' || a.partyId === b.partyId);
}

function signerKey(signer: Signer): string {
  return signer.role === 'party' ? `party:${signer.partyId}` : signer.role;
}

/** Who must sign a session record: every party present, the mediator and the recorder. */
export function requiredSessionSigners(session: SessionRecord): Signer[] {
  return [
    ...session.presentPartyIds.map((partyId): Signer => ({ role: 'party', partyId })),
    { role: 'mediator' },
    { role: 'recorder' },
  ];
}

/**
 * Who must sign a written agreement. 人民调解法 art. 29: 调解协议书自各方当事人签名、盖章或者按指印，人民调解员签名并加盖
 * 人民调解委员会印章之日起生效: every party, the named mediator, and the committee's seal (`seal`, not a signer).
 */
export function requiredAgreementSigners(parties: readonly Party[]): Signer[] {
  return [...parties.map((p): Signer => ({ role: 'party', partyId: p.id })), { role: 'mediator' }];
}

export function missingSigners(required: readonly Signer[], signatures: readonly Signature[]): Signer[] {
  return required.filter((signer) => !signatures.some((s) => sameSigner(s.signer, signer)));
}

function toSignature(signer: Signer, at: string, input: z.output<typeof signSessionSchema>['signature']): Signature {
  return input.kind === 'on-screen'
    ? { signer, kind: 'on-screen', image: input.image, at }
    : { signer, kind: 'on-paper', photo: input.photo, at };
}

function checkSigner(required: readonly Signer[], signatures: readonly Signature[], signer: Signer) {
  if (!required.some((r) => sameSigner(r, signer))) return domainError('signature.unknown-signer', 'signer');
  if (signatures.some((s) => sameSigner(s.signer, signer))) return domainError('signature.duplicate', 'signer');
  return null;
}

function findSession(state: MediationCase, id: string): SessionRecord | DomainError {
  const session = state.sessions[id];
  if (session === undefined) return domainError('not-found', 'sessionId');
  if (session.supersededBy !== null) return domainError('record.superseded', 'sessionId');
  return session;
}

function findAgreement(state: MediationCase, id: string): Agreement | DomainError {
  const agreement = state.agreements[id];
  if (agreement === undefined) return domainError('not-found', 'agreementId');
  if (agreement.supersededBy !== null) return domainError('record.superseded', 'agreementId');
  return agreement;
}

function isError(value: object): value is DomainError {
  return 'code' in value && typeof value.code === 'string' && !('id' in value);
}

/** 人民调解法 art. 28-29: a written agreement (协议书) needs a named mediator and the committee; an oral one a mediator who records it. */
function checkAgreementMakers(kind: Agreement['kind'], mediatorName: string, committeeName: string | null) {
  if (mediatorName.trim() === '') return domainError('agreement.mediator-required', 'mediatorName');
  if (kind === 'written' && (committeeName === null || committeeName.trim() === '')) {
    return domainError('agreement.committee-required', 'committeeName');
  }
  return null;
}

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
  const chain = parseInput(z.array(chainLinkSchema), env.chain);
  if (!chain.ok) return chain;
  const v = parsed.value;
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

// --- handling along the chain --------------------------------------------------------------------------------------

function handled(status: CaseStatus): CaseStatus {
  return status === 'registered' ? 'handling' : status;
}

/** 走访/劝解: a head records a visit or a talk at the case's current level. */
export function recordVisit(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('recordVisit', recordVisitSchema, state, input, ctx, (v, at) => {
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
}

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
export function escalate(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('escalate', escalateSchema, state, input, ctx, (v, at) => {
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
}

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

// --- sessions ------------------------------------------------------------------------------------------------------

/** 调解笔录: records a session (unsigned; it locks when everyone required has signed). */
export function recordSession(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('recordSession', recordSessionSchema, state, input, ctx, (v, at) => {
    const problem =
      unknownParty(state, v.presentPartyIds, 'presentPartyIds') ??
      unknownParty(state, Object.keys(v.statements), 'statements');
    if (problem !== null) return err(problem);
    const id = ctx.newId() as SessionId;
    const { caseId: _caseId, ...content } = v;
    const session: SessionRecord = {
      id,
      ...content,
      signatures: [],
      version: 1,
      supersedes: null,
      supersededBy: null,
      lockedAt: null,
      signedContent: null,
    };
    const status = state.status === 'registered' || state.status === 'handling' ? 'in-session' : state.status;
    return ok(
      withEvent(
        state,
        ctx,
        at,
        'recordSession',
        { status, sessions: { ...state.sessions, [id]: session } },
        {
          sessionId: id,
        },
      ),
    );
  });
}

/**
 * Edits an unsigned session record. A locked (fully signed) one is refused: `correct` makes a new version. One that
 * some have signed is refused too: they signed this text (and signatures are kept, never taken back).
 */
export function updateSession(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('updateSession', updateSessionSchema, state, input, ctx, (v, at) => {
    const session = findSession(state, v.sessionId);
    if (isError(session)) return err(session);
    if (session.lockedAt !== null) return err(domainError('record.locked', 'sessionId'));
    if (session.signatures.length > 0) return err(domainError('record.partly-signed', 'sessionId'));
    const problem =
      unknownParty(state, v.changes.presentPartyIds ?? [], 'changes.presentPartyIds') ??
      unknownParty(state, Object.keys(v.changes.statements ?? {}), 'changes.statements');
    if (problem !== null) return err(problem);
    const next: SessionRecord = { ...session, ...v.changes };
    return ok(
      withEvent(
        state,
        ctx,
        at,
        'updateSession',
        { sessions: { ...state.sessions, [session.id]: next } },
        {
          sessionId: session.id,
          fields: Object.keys(v.changes).join(','),
        },
      ),
    );
  });
}

/**
 * Adds one signature to a session record. The first keeps a copy of the content signed (so a device that had not
 * seen the signature cannot change that text by sync: `shared/ydoc/cases.ts`); the last required one locks the record
 * and keeps a copy of the content and the signatures.
 */
export function signSession(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('signSession', signSessionSchema, state, input, ctx, (v, at) => {
    const session = findSession(state, v.sessionId);
    if (isError(session)) return err(session);
    if (session.lockedAt !== null) return err(domainError('record.locked', 'sessionId'));
    const required = requiredSessionSigners(session);
    const problem = checkSigner(required, session.signatures, v.signer);
    if (problem !== null) return err(problem);
    const signatures = [...session.signatures, toSignature(v.signer, at, v.signature)];
    let next: SessionRecord = { ...session, signatures };
    const complete = missingSigners(required, signatures).length === 0;
    if (complete) next = { ...next, lockedAt: at, signedContent: pick(next, SESSION_PROTECTED_FIELDS) };
    else if (next.signedContent === null) next = { ...next, signedContent: pick(next, SESSION_CONTENT_FIELDS) };
    return ok(
      withEvent(
        state,
        ctx,
        at,
        'signSession',
        { sessions: { ...state.sessions, [session.id]: next } },
        {
          sessionId: session.id,
          signer: signerKey(v.signer),
          kind: v.signature.kind,
          locked: complete,
        },
      ),
    );
  });
}

// --- agreements ----------------------------------------------------------------------------------------------------

function lockAgreement(agreement: Agreement, at: string): Agreement {
  const effective = { ...agreement, effectiveAt: at, lockedAt: at };
  return { ...effective, signedContent: pick(effective, AGREEMENT_PROTECTED_FIELDS) };
}

/**
 * 达成协议. Written (人民调解协议书): needs a named 人民调解员 and the committee (art. 29); it is a draft until every
 * party and the mediator have signed and the seal is recorded, and the case waits in `signing`. Oral (口头协议): the
 * mediator records it (art. 28) and it takes effect at once (art. 30: 口头调解协议自各方当事人达成协议之日起生效).
 */
export function reachAgreement(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('reachAgreement', reachAgreementSchema, state, input, ctx, (v, at) => {
    const problem = checkAgreementMakers(v.kind, v.mediatorName, v.committeeName);
    if (problem !== null) return err(problem);
    const id = ctx.newId() as AgreementId;
    const { caseId: _caseId, ...content } = v;
    const draft: Agreement = {
      id,
      ...content,
      madeAt: at,
      signatures: [],
      seal: null,
      effectiveAt: null,
      judicialConfirmation: null,
      version: 1,
      supersedes: null,
      supersededBy: null,
      lockedAt: null,
      signedContent: null,
    };
    const agreement = v.kind === 'oral' ? lockAgreement(draft, at) : draft;
    const changes: Partial<MediationCase> =
      v.kind === 'oral'
        ? { status: 'agreed', outcome: { kind: 'agreement', agreementId: id, at } }
        : { status: 'signing' };
    return ok(
      withEvent(
        state,
        ctx,
        at,
        'reachAgreement',
        { ...changes, agreements: { ...state.agreements, [id]: agreement } },
        {
          agreementId: id,
          kind: v.kind,
        },
      ),
    );
  });
}

/**
 * Edits an unsigned written agreement; a locked one is refused (`record.locked`), and so is one that some have
 * signed or the committee has sealed (`record.partly-signed`): they put their names and seal to this text.
 */
export function updateAgreement(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('updateAgreement', updateAgreementSchema, state, input, ctx, (v, at) => {
    const agreement = findAgreement(state, v.agreementId);
    if (isError(agreement)) return err(agreement);
    if (agreement.lockedAt !== null) return err(domainError('record.locked', 'agreementId'));
    if (agreement.signatures.length > 0 || agreement.seal !== null) {
      return err(domainError('record.partly-signed', 'agreementId'));
    }
    const next: Agreement = { ...agreement, ...v.changes };
    const problem = checkAgreementMakers(next.kind, next.mediatorName, next.committeeName);
    if (problem !== null) return err({ ...problem, field: `changes.${problem.field ?? ''}` });
    return ok(
      withEvent(
        state,
        ctx,
        at,
        'updateAgreement',
        { agreements: { ...state.agreements, [next.id]: next } },
        {
          agreementId: next.id,
          fields: Object.keys(v.changes).join(','),
        },
      ),
    );
  });
}

/**
 * After a signature or the seal: puts a written agreement in force when it is complete (the first one in force moves
 * the case to `agreed`); before that, the first signature or seal keeps a copy of the text signed (see `signSession`).
 */
function maybeEffective(state: MediationCase, agreement: Agreement, at: string): Partial<MediationCase> {
  const complete =
    agreement.seal !== null &&
    missingSigners(requiredAgreementSigners(state.parties), agreement.signatures).length === 0;
  const next = complete
    ? lockAgreement(agreement, at)
    : agreement.signedContent === null
      ? { ...agreement, signedContent: pick(agreement, AGREEMENT_CONTENT_FIELDS) }
      : agreement;
  const changes: Partial<MediationCase> = { agreements: { ...state.agreements, [next.id]: next } };
  if (complete && state.status === 'signing') {
    return { ...changes, status: 'agreed', outcome: { kind: 'agreement', agreementId: next.id, at } };
  }
  return changes;
}

function unlockedWritten(state: MediationCase, id: string): Agreement | DomainError {
  const agreement = findAgreement(state, id);
  if (isError(agreement)) return agreement;
  if (agreement.lockedAt !== null) return domainError('record.locked', 'agreementId');
  if (agreement.kind !== 'written') return domainError('signature.unknown-signer', 'signer');
  return agreement;
}

/** A party or the mediator signs a written agreement (签名、盖章或者按指印, on screen or on paper with a photo). */
export function signAgreement(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('signAgreement', signAgreementSchema, state, input, ctx, (v, at) => {
    const agreement = unlockedWritten(state, v.agreementId);
    if (isError(agreement)) return err(agreement);
    const problem = checkSigner(requiredAgreementSigners(state.parties), agreement.signatures, v.signer);
    if (problem !== null) return err(problem);
    const signed = { ...agreement, signatures: [...agreement.signatures, toSignature(v.signer, at, v.signature)] };
    const changes = maybeEffective(state, signed, at);
    return ok(
      withEvent(state, ctx, at, 'signAgreement', changes, {
        agreementId: agreement.id,
        signer: signerKey(v.signer),
        kind: v.signature.kind,
        effective: changes.agreements?.[agreement.id]?.effectiveAt != null,
      }),
    );
  });
}

/** Records the mediation committee's seal on a written agreement (加盖人民调解委员会印章, art. 29). */
export function sealAgreement(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('sealAgreement', sealAgreementSchema, state, input, ctx, (v, at) => {
    const agreement = unlockedWritten(state, v.agreementId);
    if (isError(agreement)) return err(agreement);
    if (agreement.seal !== null) return err(domainError('signature.duplicate', 'seal'));
    const changes = maybeEffective(state, { ...agreement, seal: { at, by: actorRef(ctx) } }, at);
    return ok(
      withEvent(state, ctx, at, 'sealAgreement', changes, {
        agreementId: agreement.id,
        effective: changes.agreements?.[agreement.id]?.effectiveAt != null,
      }),
    );
  });
}

/** The agreement in force: the effective version with the highest version number, or null. */
export function currentAgreement(state: Pick<MediationCase, 'agreements'>): Agreement | null {
  let best: Agreement | null = null;
  for (const a of Object.values(state.agreements)) {
    if (a.effectiveAt !== null && (best === null || a.version > best.version)) best = a;
  }
  return best;
}

/**
 * Marks an agreement for judicial confirmation (司法确认). 人民调解法 art. 33: 双方当事人认为有必要的，可以自调解协议生效之日起
 * 三十日内共同向人民法院申请司法确认. Only a written agreement in force; the day it took effect is day 0.
 */
export function markJudicialConfirmation(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('markJudicialConfirmation', markJudicialConfirmationSchema, state, input, ctx, (v, at) => {
    const agreement = state.agreements[v.agreementId];
    if (agreement === undefined) return err(domainError('not-found', 'agreementId'));
    if (agreement.kind !== 'written' || agreement.effectiveAt === null) {
      return err(domainError('judicial.not-written', 'agreementId'));
    }
    if (agreement.judicialConfirmation !== null) return err(domainError('signature.duplicate', 'agreementId'));
    const effectiveDay = chinaDate(new Date(agreement.effectiveAt));
    if (daysBetween(effectiveDay, chinaDate(ctx.now())) > JUDICIAL_CONFIRMATION_DAYS) {
      return err(domainError('judicial.window-closed', 'agreementId', { days: JUDICIAL_CONFIRMATION_DAYS }));
    }
    // Not a content field: marking does not edit the signed agreement.
    const next: Agreement = { ...agreement, judicialConfirmation: { at, by: actorRef(ctx) } };
    return ok(
      withEvent(
        state,
        ctx,
        at,
        'markJudicialConfirmation',
        { agreements: { ...state.agreements, [next.id]: next } },
        {
          agreementId: next.id,
        },
      ),
    );
  });
}

// --- outcomes and after --------------------------------------------------------------------------------------------

/**
 * No agreement (调解不成: the parties were told of the arbitration, administrative and court routes, art. 26) or
 * referred (police when it may turn criminal, a court, another department). A draft agreement stays visible.
 */
export function recordOutcome(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('recordOutcome', recordOutcomeSchema, state, input, ctx, (v, at) => {
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
}

/** 履行: the parties start performing the agreement in force (art. 31). */
export function startPerformance(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('startPerformance', startPerformanceSchema, state, input, ctx, (_v, at) =>
    ok(withEvent(state, ctx, at, 'startPerformance', { status: 'performing', performanceStartedAt: at })),
  );
}

/** 回访: performance, satisfaction 1-5, visitor, date (not in the future, not before registration). */
export function recordFollowUp(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('recordFollowUp', recordFollowUpSchema, state, input, ctx, (v, at) => {
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
}

/** 结案: after a follow-up, or after no agreement / a referral. */
export function close(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('close', closeSchema, state, input, ctx, (v, at) =>
    ok(
      withEvent(state, ctx, at, 'close', { status: 'closed', closing: { at, by: actorRef(ctx), summary: v.summary } }),
    ),
  );
}

/** 归档: the dossier is complete; nothing changes afterwards, not even a correction. Needs `admin`. */
export function archive(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('archive', archiveSchema, state, input, ctx, (_v, at) =>
    ok(withEvent(state, ctx, at, 'archive', { status: 'archived', archivedAt: at })),
  );
}

/**
 * Extends the time limit. docs/domain.md: one month, extendable if both parties agree, so every party of the case must be
 * among `consentPartyIds` (`extension.consent-missing` otherwise).
 */
export function extendDeadline(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('extendDeadline', extendDeadlineSchema, state, input, ctx, (v, at) => {
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
}

/**
 * Correction of a locked record (更正): a new version with the changes, unsigned, that must be signed again; the old
 * version stays, locked and visible, with `supersededBy` pointing at the new one. An oral agreement's correction is
 * recorded by the mediator and in force at once, like the original. Until a corrected written agreement is signed
 * and sealed, the old version stays the one in force (`currentAgreement`).
 */
export function correct(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('correct', correctSchema, state, input, ctx, (v, at) => {
    const newId = ctx.newId();
    if (v.record === 'session') {
      const old = findSession(state, v.id);
      if (isError(old)) return err({ ...old, field: 'id' });
      if (old.lockedAt === null) return err(domainError('record.not-locked', 'id'));
      const problem =
        unknownParty(state, v.changes.presentPartyIds ?? [], 'changes.presentPartyIds') ??
        unknownParty(state, Object.keys(v.changes.statements ?? {}), 'changes.statements');
      if (problem !== null) return err(problem);
      const fresh: SessionRecord = {
        ...old,
        ...v.changes,
        id: newId as SessionId,
        signatures: [],
        version: old.version + 1,
        supersedes: old.id,
        supersededBy: null,
        lockedAt: null,
        signedContent: null,
      };
      const sessions = { ...state.sessions, [old.id]: { ...old, supersededBy: fresh.id }, [fresh.id]: fresh };
      return ok(
        withEvent(
          state,
          ctx,
          at,
          'correct',
          { sessions },
          {
            record: 'session',
            from: old.id,
            to: fresh.id,
            reason: v.reason,
          },
        ),
      );
    }
    const old = findAgreement(state, v.id);
    if (isError(old)) return err({ ...old, field: 'id' });
    if (old.lockedAt === null) return err(domainError('record.not-locked', 'id'));
    const draft: Agreement = {
      ...old,
      ...v.changes,
      id: newId as AgreementId,
      madeAt: at,
      signatures: [],
      seal: null,
      effectiveAt: null,
      judicialConfirmation: null,
      version: old.version + 1,
      supersedes: old.id,
      supersededBy: null,
      lockedAt: null,
      signedContent: null,
    };
    const problem = checkAgreementMakers(draft.kind, draft.mediatorName, draft.committeeName);
    if (problem !== null) return err({ ...problem, field: `changes.${problem.field ?? ''}` });
    const fresh = draft.kind === 'oral' ? lockAgreement(draft, at) : draft;
    const agreements = { ...state.agreements, [old.id]: { ...old, supersededBy: fresh.id }, [fresh.id]: fresh };
    return ok(
      withEvent(
        state,
        ctx,
        at,
        'correct',
        { agreements },
        {
          record: 'agreement',
          from: old.id,
          to: fresh.id,
          reason: v.reason,
        },
      ),
    );
  });
}

// --- files after intake ---------------------------------------------------------------------------------------------

/** Attaches a stored file (`file:<id>` from `storeCaseFile`, or another reference) to the case after intake. */
export function addAttachment(state: MediationCase, input: unknown, ctx: MachineContext): MachineResult {
  return step('addAttachment', addAttachmentSchema, state, input, ctx, (v, at) => {
    const added: AddedAttachment = { id: ctx.newId(), name: v.name, ref: v.ref, addedAt: at, addedBy: actorRef(ctx) };
    return ok(
      withEvent(
        state,
        ctx,
        at,
        'addAttachment',
        { addedAttachments: [...state.addedAttachments, added] },
        { attachmentId: added.id, name: v.name },
      ),
    );
  });
}

// --- dispatch and offers -------------------------------------------------------------------------------------------

export type CaseAction =
  | { readonly type: 'intake'; readonly input: unknown; readonly env: IntakeEnv }
  | { readonly type: StepKind; readonly input: unknown };

const STEPS: Readonly<Record<StepKind, (state: MediationCase, input: unknown, ctx: MachineContext) => MachineResult>> =
  {
    recordVisit,
    escalate,
    recordSession,
    updateSession,
    signSession,
    reachAgreement,
    updateAgreement,
    signAgreement,
    sealAgreement,
    recordOutcome,
    markJudicialConfirmation,
    startPerformance,
    recordFollowUp,
    close,
    archive,
    extendDeadline,
    correct,
    addAttachment,
  };

export const STEP_KINDS = Object.keys(STEPS) as StepKind[];

/** One entry point over all actions: `intake` needs no state, every other action needs the case. */
export function transition(state: MediationCase | null, action: CaseAction, ctx: MachineContext): MachineResult {
  if (action.type === 'intake') {
    if (state !== null)
      return err(domainError('case.transition', undefined, { status: state.status, action: 'intake' }));
    return intake(action.input, (action as { env: IntakeEnv }).env, ctx);
  }
  if (state === null) return err(domainError('not-found', 'caseId'));
  return STEPS[action.type](state, action.input, ctx);
}

function live<T extends { supersededBy: string | null }>(records: Readonly<Record<string, T>>): T[] {
  return Object.values(records).filter((r) => r.supersededBy === null);
}

/**
 * What the UI may offer this actor on this case (today as a `YYYY-MM-DD` China day, for the 30-day judicial window).
 * A status check plus the data preconditions a button needs (something to sign, a level above, ...); the machine
 * still checks everything again when the action comes.
 */
export function allowedActions(
  state: MediationCase | null,
  actor: MediationActor,
  today: string,
): (StepKind | 'intake')[] {
  if (!canMediate(actor.permissions)) return [];
  if (state === null) return ['intake'];
  const sessions = live(state.sessions);
  const agreements = live(state.agreements);
  const draftWritten = agreements.filter((a) => a.lockedAt === null && a.kind === 'written');
  const needs: Readonly<Record<StepKind, () => boolean>> = {
    recordVisit: () => true,
    escalate: () => nextLevel(state) !== null,
    recordSession: () => true,
    updateSession: () => sessions.some((s) => s.lockedAt === null),
    signSession: () => sessions.some((s) => s.lockedAt === null),
    reachAgreement: () => true,
    updateAgreement: () => draftWritten.length > 0,
    signAgreement: () =>
      draftWritten.some((a) => missingSigners(requiredAgreementSigners(state.parties), a.signatures).length > 0),
    sealAgreement: () => draftWritten.some((a) => a.seal === null),
    recordOutcome: () => true,
    markJudicialConfirmation: () =>
      agreements.some(
        (a) =>
          a.kind === 'written' &&
          a.effectiveAt !== null &&
          a.judicialConfirmation === null &&
          daysBetween(chinaDate(new Date(a.effectiveAt)), today) <= JUDICIAL_CONFIRMATION_DAYS,
      ),
    startPerformance: () => true,
    recordFollowUp: () => true,
    close: () => true,
    archive: () => true,
    extendDeadline: () => true,
    correct: () => [...sessions, ...agreements].some((r) => r.lockedAt !== null),
    addAttachment: () => true,
  };
  return STEP_KINDS.filter((kind) => guard(kind, state, actor.permissions) === null && needs[kind]());
}

/** Whether a record is read-only now (signed, or an agreement in force). */
export function isLocked(record: { readonly lockedAt: string | null }): boolean {
  return record.lockedAt !== null;
}
