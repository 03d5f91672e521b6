/**
 * Entities of five-heads mediation (五长调解), held in the `<community>/cases/<year>` document.
 *
 * Source of the rules: docs/domain.md ("Five-heads mediation") and the People's Mediation Law
 * of the PRC (人民调解法, 2011), cited by article where a check enforces it.
 *
 * Ids are branded strings; enumerations are string literals stored as codes and translated by the UI. Like registry
 * records, a case only ever gains fields (docs/conventions.md, habit 8): readers keep fields they do not know.
 */
import type { HeadRef } from '../registry/types';

declare const brand: unique symbol;
type Brand<B extends string> = string & { readonly [brand]: B };

export type CaseId = Brand<'CaseId'>;
export type PartyId = Brand<'PartyId'>;
export type SessionId = Brand<'SessionId'>;
export type AgreementId = Brand<'AgreementId'>;

/**
 * Status of a case. One value per stage of docs/domain.md's workflow, chosen so that every screen and list can tell from
 * the status alone what may happen next:
 *
 * - `registered` 受理: intake done, the lowest head of the place holds it, nobody has acted yet (lists show it as new).
 * - `handling` 劝解: a head has visited, talked or escalated; the case sits at `level` (the level is a separate field,
 *   not part of the status, because every level allows the same actions and the chain has seven of them).
 * - `in-session` 调解中: at least one session record (调解笔录) exists and no outcome yet.
 * - `signing` 协议签署中: a written agreement (人民调解协议书) is drafted and waits for the parties' and the mediator's
 *   signatures and the committee's seal; it is not yet in force (人民调解法 art. 29), so it is not "agreed".
 * - `agreed` 达成协议: an agreement is in force (written: signed and sealed; oral: recorded, art. 30).
 * - `no-agreement` 调解不成: mediation ended without agreement; the parties were told of the other routes (art. 26).
 * - `referred` 移交: passed to the police, a court or another department.
 * - `performing` 履行中: the agreement is being performed (art. 31: the parties shall perform it).
 * - `followed-up` 已回访: at least one follow-up visit recorded.
 * - `closed` 结案, then `archived` 归档 (the dossier is complete and read-only).
 *
 * The time limit (one month) runs from registration to an outcome (`agreed`, `no-agreement`, `referred`).
 */
export const CASE_STATUSES = [
  'registered',
  'handling',
  'in-session',
  'signing',
  'agreed',
  'no-agreement',
  'referred',
  'performing',
  'followed-up',
  'closed',
  'archived',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Statuses before an outcome: the deadline runs, the case can be escalated or extended. */
export const OPEN_STATUSES = [
  'registered',
  'handling',
  'in-session',
  'signing',
] as const satisfies readonly CaseStatus[];

/**
 * Levels of the handling chain from the bottom (*practice*, docs/domain.md): 楼栋长 → 院长 → 巷长 → 街长 → 片长 → 社区调委会 →
 * 街道 (综治中心). The first five are the registry's head levels; the last two are organisations, not heads.
 */
export const MEDIATION_LEVELS = [
  'building',
  'courtyard',
  'lane',
  'street',
  'area',
  'committee',
  'street-office',
] as const;
export type MediationLevel = (typeof MEDIATION_LEVELS)[number];

/** Levels counted as "on the spot" (就地) by the statistics: the building and its courtyard. */
export const FIRST_LEVELS = ['building', 'courtyard'] as const satisfies readonly MediationLevel[];

export const CASE_SOURCES = [
  'resident-request', // 居民申请 (人民调解法 art. 17)
  'head-found', // 五长排查发现 (art. 18: committees mediate on their own initiative)
  'police-referral', // 公安移交
  'court-referral', // 法院委派/委托
  'assigned', // 上级交办
] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

export const CASE_CATEGORIES = [
  'neighbours',
  'noise',
  'water-leak',
  'parking',
  'property-fees',
  'family',
  'land-house',
  'other',
] as const;
export type CaseCategory = (typeof CASE_CATEGORIES)[number];

export const RISK_LEVELS = ['red', 'yellow', 'blue'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const PARTY_ROLES = ['applicant', 'respondent'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

export const PARTY_SEXES = ['male', 'female'] as const;

/**
 * Who a guardian is to the minor (民法典 art. 27: the parents; failing them grandparents, adult siblings, or another
 * person or organisation willing and approved).
 */
export const GUARDIAN_RELATIONS = ['father', 'mother', 'grandparent', 'sibling', 'other'] as const;
export type GuardianRelation = (typeof GUARDIAN_RELATIONS)[number];

/**
 * 监护人/法定代理人 of a minor party (民法典 art. 23): who acts and signs for them (docs/domain.md, "Minors"). Their ID
 * number and phone are personal data, shown masked like the parties' (PIPL art. 28). `residentId` links a resident.
 */
export interface Guardian {
  readonly name: string;
  readonly relation: GuardianRelation;
  readonly idNumber: string | null;
  readonly phone: string | null;
  readonly residentId: string | null;
}

/** 当事人. `residentId` links a registered resident; parties from outside the community are typed in. */
export interface Party {
  readonly id: PartyId;
  readonly role: PartyRole;
  readonly name: string;
  readonly sex: 'male' | 'female' | null;
  readonly age: number | null;
  readonly phone: string | null;
  readonly address: string;
  readonly residentId: string | null;
  /**
   * `YYYY-MM-DD` when known (the registry's, or derived from an ID number typed at intake; the ID number itself is not
   * kept). Added in issue 18: cases written before read it as undefined and fall back on `age`.
   */
  readonly birthDate?: string | null;
  /** Who acts for a minor party (docs/domain.md, "Minors"); undefined on cases written before issue 18. */
  readonly guardian?: Guardian | null;
}

/** Where the matter is: a building (and household) of the registry, or only an address typed in. */
export interface CasePlace {
  readonly buildingId: string | null;
  readonly householdId: string | null;
  readonly address: string;
}

/** One link of the five-heads chain, frozen at intake (see `MediationCase.chain`). */
export interface ChainLink {
  readonly level: MediationLevel;
  readonly nodeId: string;
  readonly nodeName: string;
  readonly head: HeadRef | null;
}

export interface ActorRef {
  readonly userId: string;
  readonly userName: string;
  readonly deviceId: string;
}

/**
 * One level of handling: who holds the case there, since when, who put it there and why. The time spent at a level
 * is the gap to the next step (or to the outcome, or to now): it is derived, never stored, so concurrent escalations
 * on two devices cannot leave a stored duration that disagrees with the steps (`levelDurations`).
 */
export interface LevelStep {
  readonly id: string;
  readonly level: MediationLevel;
  /** The head at that level; null for the committee, the street office, or an empty chain. */
  readonly head: HeadRef | null;
  readonly nodeName: string;
  readonly enteredAt: string;
  readonly by: ActorRef;
  /** Why it came up to this level; null for the first step. */
  readonly reason: string | null;
}

export const VISIT_KINDS = ['visit', 'talk'] as const; // 走访 / 劝解谈话
export type VisitKind = (typeof VISIT_KINDS)[number];

export interface Visit {
  readonly id: string;
  readonly kind: VisitKind;
  readonly at: string;
  readonly level: MediationLevel;
  /** Who went (a head's name, typed or picked). */
  readonly by: string;
  readonly note: string;
  readonly recordedBy: ActorRef;
}

export interface Attachment {
  readonly id: string;
  readonly name: string;
  /** Reference to the stored file (content hash or file-store key), never the bytes. */
  readonly ref: string;
}

/**
 * A file added after intake (a new evidence photo, a page signed on paper): when and by whom. Kept apart from the
 * intake's `attachments` (a plain JSON list, replaced whole) in an append-only list, so two devices adding a photo
 * each while offline both keep theirs.
 */
export interface AddedAttachment extends Attachment {
  readonly addedAt: string;
  readonly addedBy: ActorRef;
}

/**
 * Who signs: a party (by id), the guardian of a minor party (by the party's id, docs/domain.md "Minors"), the people's
 * mediator, or the recorder (记录人).
 */
export type Signer =
  | { readonly role: 'party'; readonly partyId: PartyId }
  | { readonly role: 'guardian'; readonly partyId: PartyId }
  | { readonly role: 'mediator' }
  | { readonly role: 'recorder' };

/**
 * A signature captured on screen (image data URL or a stored image reference), or a paper signature (签字/按指印)
 * evidenced by a photo of the signed page.
 */
export type Signature =
  | { readonly signer: Signer; readonly kind: 'on-screen'; readonly image: string; readonly at: string }
  | { readonly signer: Signer; readonly kind: 'on-paper'; readonly photo: string; readonly at: string };

/** Version bookkeeping of a lockable record: a correction is a new version and the old one stays visible. */
export interface Versioned {
  readonly version: number;
  readonly supersedes: string | null;
  readonly supersededBy: string | null;
  /** Set when the last required signature (and, for an agreement, the seal) is in: from then on read-only. */
  readonly lockedAt: string | null;
  /**
   * The content as signed: copied at the first signature (or seal) with the content fields, and again at locking
   * with the content and the signatures (the protected fields). It is what the signatures cover, and it lets every
   * device, old or new, tell a later edit of the live fields from the signed text (see `shared/ydoc/cases.ts`,
   * refused changes). Records signed before session 6 have it from locking only.
   */
  readonly signedContent: Readonly<Record<string, unknown>> | null;
}

/** Content fields of a session record: the ones a signature covers and a lock protects. */
export const SESSION_CONTENT_FIELDS = [
  'at',
  'place',
  'presentPartyIds',
  'others',
  'mediatorName',
  'recorderName',
  'statements',
  'factsChecked',
  'result',
] as const;

/** 调解笔录. */
export interface SessionRecord extends Versioned {
  readonly id: SessionId;
  readonly at: string;
  readonly place: string;
  readonly presentPartyIds: readonly PartyId[];
  /** Other people present (relatives, heads, witnesses), by name. */
  readonly others: readonly string[];
  readonly mediatorName: string;
  readonly recorderName: string;
  /** What each side said, by party id (long text: Y.Text in the document). */
  readonly statements: Readonly<Record<string, string>>;
  readonly factsChecked: string;
  readonly result: string;
  readonly signatures: readonly Signature[];
}

export const AGREEMENT_KINDS = ['written', 'oral'] as const;
export type AgreementKind = (typeof AGREEMENT_KINDS)[number];

export const AGREEMENT_CONTENT_FIELDS = [
  'kind',
  'terms',
  'performanceMethod',
  'performanceDeadline',
  'mediatorName',
  'committeeName',
] as const;

/**
 * Fields a lock protects: the content and the signatures (and the seal of an agreement). `signedContent` keeps a copy
 * of exactly these at locking; a later difference is an edit that must be refused (shared/ydoc/cases.ts).
 */
export const SESSION_PROTECTED_FIELDS = [...SESSION_CONTENT_FIELDS, 'signatures'] as const;
export const AGREEMENT_PROTECTED_FIELDS = [...AGREEMENT_CONTENT_FIELDS, 'signatures', 'seal', 'effectiveAt'] as const;

/** 调解协议: written (人民调解协议书, art. 28-29) or oral (口头协议, recorded by the mediator, art. 28 and 30). */
export interface Agreement extends Versioned {
  readonly id: AgreementId;
  readonly kind: AgreementKind;
  readonly terms: string;
  readonly performanceMethod: string;
  /** `YYYY-MM-DD`. */
  readonly performanceDeadline: string | null;
  /** The named 人民调解员. */
  readonly mediatorName: string;
  /** The 人民调解委员会 the agreement is made under; required for a written agreement. */
  readonly committeeName: string | null;
  readonly madeAt: string;
  readonly signatures: readonly Signature[];
  /** The committee's seal recorded (盖章): when and by whom. */
  readonly seal: { readonly at: string; readonly by: ActorRef } | null;
  /** In force (生效) from this instant: written when fully signed and sealed (art. 29), oral when recorded (art. 30). */
  readonly effectiveAt: string | null;
  /** Marked for judicial confirmation (司法确认, art. 33): within 30 days of `effectiveAt`. */
  readonly judicialConfirmation: { readonly at: string; readonly by: ActorRef } | null;
}

export const ROUTES = ['arbitration', 'administrative', 'court'] as const; // 仲裁 / 行政 / 诉讼
export type Route = (typeof ROUTES)[number];
export const REFERRAL_TARGETS = ['police', 'court', 'department'] as const;
export type ReferralTarget = (typeof REFERRAL_TARGETS)[number];

export type Outcome =
  | { readonly kind: 'agreement'; readonly agreementId: AgreementId; readonly at: string }
  | { readonly kind: 'no-agreement'; readonly routesTold: readonly Route[]; readonly note: string; readonly at: string }
  | { readonly kind: 'referred'; readonly to: ReferralTarget; readonly detail: string; readonly at: string };

export const PERFORMANCE_STATES = ['performed', 'partly', 'not-performed'] as const;
export type PerformanceState = (typeof PERFORMANCE_STATES)[number];

/** 回访. */
export interface FollowUp {
  readonly id: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly visitor: string;
  readonly performance: PerformanceState;
  /** 1 (very unsatisfied) to 5 (very satisfied). */
  readonly satisfaction: number;
  readonly note: string;
  readonly recordedBy: ActorRef;
}

/** A time-limit extension: both sides agreed (every party's id is in `consentPartyIds`). */
export interface Extension {
  readonly id: string;
  readonly at: string;
  readonly days: number;
  readonly reason: string;
  readonly consentPartyIds: readonly PartyId[];
  readonly by: ActorRef;
}

export interface Closing {
  readonly at: string;
  readonly by: ActorRef;
  readonly summary: string;
}

/** Every kind of write a case can receive; also the kinds of timeline events and audit entries. */
export const CASE_ACTIONS = [
  'intake',
  'recordVisit',
  'escalate',
  'recordSession',
  'updateSession',
  'signSession',
  'reachAgreement',
  'updateAgreement',
  'signAgreement',
  'sealAgreement',
  'recordOutcome',
  'markJudicialConfirmation',
  'startPerformance',
  'recordFollowUp',
  'close',
  'archive',
  'extendDeadline',
  'correct',
  'renumber',
  'addAttachment',
  'setGuardian',
] as const;
export type CaseActionKind = (typeof CASE_ACTIONS)[number];

/** One line of the case's timeline (and the dossier's log): what happened, when, by whom. */
export interface TimelineEvent {
  readonly id: string;
  readonly at: string;
  readonly kind: CaseActionKind;
  readonly by: ActorRef;
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
}

/**
 * A mediation case as a plain value (what the machine takes and returns, and what `readCase` yields).
 * `number` is the case number shown; it starts as the number the registering device chose and is settled after sync
 * (caseNumber.ts).
 */
export interface MediationCase {
  readonly id: CaseId;
  readonly year: number;
  readonly number: number;
  /** The number the registering device gave it offline; kept for the renumbering note. */
  readonly provisionalNumber: number;
  readonly registeredAt: string;
  readonly registeredBy: ActorRef;
  readonly status: CaseStatus;
  readonly level: MediationLevel;
  readonly place: CasePlace;
  /**
   * The five-heads chain of the place as it was at intake. Frozen on purpose: a head replaced in the registry later
   * does not silently take over an open case (handing over is a person's decision), and escalation stays a pure
   * function of the case on every device.
   */
  readonly chain: readonly ChainLink[];
  readonly source: CaseSource;
  readonly category: CaseCategory;
  readonly risk: RiskLevel;
  readonly parties: readonly Party[];
  readonly facts: string;
  readonly attachments: readonly Attachment[];
  /** Files added after intake, in the order they were added (see `AddedAttachment`). */
  readonly addedAttachments: readonly AddedAttachment[];
  readonly steps: readonly LevelStep[];
  readonly visits: readonly Visit[];
  readonly sessions: Readonly<Record<string, SessionRecord>>;
  readonly agreements: Readonly<Record<string, Agreement>>;
  readonly outcome: Outcome | null;
  readonly performanceStartedAt: string | null;
  readonly followUps: readonly FollowUp[];
  /** `YYYY-MM-DD`: registration day (China time) and the due day before extensions. */
  readonly startDate: string;
  readonly dueDate: string;
  readonly extensions: readonly Extension[];
  readonly closing: Closing | null;
  readonly archivedAt: string | null;
  readonly timeline: readonly TimelineEvent[];
}

// Input schemas and their input types (`IntakeInput`, ...) live in inputs.ts (shape only).
