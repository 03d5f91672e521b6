/**
 * Entities of meeting records (`<community>/meetings/<year>`): the meeting, its agenda items with their minutes,
 * votes and resolutions, the sign-in sheet, signatures, signed versions and amendments, action items and links to
 * mediation cases. docs/domain.md, "Meeting records": 会前有议题，会中有记录，会后有结果，落实有回音.
 *
 * Ids are branded strings; enumerations are string-literal codes the UI translates. Records only ever gain fields
 * (docs/conventions.md, habit 8). The Yjs layout is in `shared/ydoc/meetings.ts`; the rules per type in `rules.ts`; the state
 * machine in `machine.ts`; the only writers in `commands.ts`.
 */
import { z } from 'zod';
import { isIsoDate } from '../dates';
import {
  compoundIdSchema,
  partyOrgIdSchema,
  residentIdSchema,
  zoneIdSchema,
  type CompoundId,
  type HouseholdId,
  type PartyOrgId,
  type ResidentId,
  type VolunteerId,
  type ZoneId,
} from '../registry/types';

declare const brand: unique symbol;
type Brand<B extends string> = string & { readonly [brand]: B };

export type MeetingId = Brand<'MeetingId'>;
export type AgendaItemId = Brand<'AgendaItemId'>;
export type ActionItemId = Brand<'ActionItemId'>;
/** A mediation case id (`<community>/cases/<year>`); kept as a plain branded string so meetings need not import cases. */
export type CaseId = Brand<'CaseId'>;

/** docs/domain.md meeting types. Order is the order the UI lists them in. */
export const MEETING_TYPES = [
  'residents-representatives', // 居民代表会议
  'owners-committee', // 业委会会议
  'owners-assembly', // 业主大会
  'five-heads', // 五长联席会议
  'three-platforms', // 小区“三平台”联席会议
  'party', // 三会一课
  'courtyard', // 坝坝会（院落会）
] as const;
export type MeetingType = (typeof MEETING_TYPES)[number];

/** 三会一课: 支部党员大会, 支部委员会, 党小组会, 党课. Informational: the quorum rule is the same for all four. */
export const PARTY_MEETING_KINDS = ['members-meeting', 'committee-meeting', 'group-meeting', 'party-lecture'] as const;
export type PartyMeetingKind = (typeof PARTY_MEETING_KINDS)[number];

/**
 * docs/domain.md states, in order. `signed`, `resolutions-published` and `archived` are locked: the record content can no
 * longer change except through `amend`, which opens a new version and keeps the signed one.
 */
export const MEETING_STATUSES = [
  'agenda', // 议题征集
  'notice-published', // 已发通知
  'in-progress', // 签到与会议进行中
  'minutes-drafted', // 纪要起草
  'under-review', // 与会人员审阅
  'signed', // 已签字、锁定
  'resolutions-published', // 决议已公示
  'archived', // 已归档
] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export const LOCKED_STATUSES = [
  'signed',
  'resolutions-published',
  'archived',
] as const satisfies readonly MeetingStatus[];

export function isLocked(status: MeetingStatus): boolean {
  return (LOCKED_STATUSES as readonly MeetingStatus[]).includes(status);
}

/** 签到: present, absent (with a reason), 列席 (attends without a vote), late (counts as present once signed in). */
export const ATTENDANCE = ['present', 'absent', 'non-voting', 'late'] as const;
export type Attendance = (typeof ATTENDANCE)[number];

/** Owners' assembly matters (民法典 art. 278): ordinary (majority of both) or special (three quarters of both). */
export const MATTER_KINDS = ['ordinary', 'special'] as const;
export type MatterKind = (typeof MATTER_KINDS)[number];

/**
 * The matters of 民法典 art. 278 para. 1, so an owners' assembly item can name which one it decides. Items (六)-(八)
 * are special (art. 278 para. 2). NOTE: using the maintenance funds (五) is an ordinary matter under the Civil Code
 * (raising them (六) is special); the Property Law art. 76 that it replaced treated both alike.
 */
export const ASSEMBLY_SUBJECTS = [
  'rules', // (一) 议事规则
  'covenant', // (二) 管理规约
  'committee-election', // (三) 选举、更换业委会
  'property-manager', // (四) 选聘、解聘物业
  'maintenance-fund-use', // (五) 使用维修资金
  'maintenance-fund-raise', // (六) 筹集维修资金
  'rebuild', // (七) 改建、重建
  'common-parts', // (八) 改变共有部分用途或经营
  'other', // (九) 其他重大事项
] as const;
export type AssemblySubject = (typeof ASSEMBLY_SUBJECTS)[number];
export const SPECIAL_SUBJECTS = [
  'maintenance-fund-raise',
  'rebuild',
  'common-parts',
] as const satisfies readonly AssemblySubject[];

export const BALLOTS = ['for', 'against', 'abstain'] as const;
export type Ballot = (typeof BALLOTS)[number];

export const SIGNATURE_ROLES = ['host', 'recorder', 'signatory'] as const;
export type SignatureRole = (typeof SIGNATURE_ROLES)[number];

/** Someone the registry knows, or just a name (a guest, a representative not in the registry). */
export type PersonRef =
  | { readonly kind: 'resident'; readonly id: ResidentId }
  | { readonly kind: 'volunteer'; readonly id: VolunteerId }
  | { readonly kind: 'household'; readonly id: HouseholdId };

export interface Person {
  readonly name: string;
  readonly ref: PersonRef | null;
}

/**
 * Key of a line of the sign-in sheet: `resident:<id>`, `volunteer:<id>`, `household:<id>` for people the registry
 * knows, `guest:<n>` for others. Stable, so two devices signing in the same person write the same entry.
 */
export type AttendeeKey = string;

export function attendeeKey(ref: PersonRef): AttendeeKey {
  return `${ref.kind}:${ref.id}`;
}

/** Who a meeting is for: the registry scope its expected attendees come from (rules.ts, `SCOPE_KIND`). */
export type MeetingScope =
  | { readonly kind: 'list'; readonly people: readonly ListedPerson[] }
  | { readonly kind: 'compound'; readonly compoundId: CompoundId }
  | { readonly kind: 'zone'; readonly zoneId: ZoneId }
  | {
      readonly kind: 'party-org';
      readonly partyOrgId: PartyOrgId;
      /** 预备党员: expected, but without a vote (党章 art. 7). */
      readonly nonVotingIds: readonly ResidentId[];
    };

export interface ListedPerson {
  readonly name: string;
  readonly residentId: ResidentId | null;
}

/** `a/b` with "以上" (at least, the number itself included) or "超过/过半数" (more than), 民法典 art. 1259. */
export interface Threshold {
  readonly num: number;
  readonly den: number;
  readonly comparison: 'at-least' | 'more-than';
}

/** Office settings a meeting type allows (rules.ts `CONFIGURABLE`); stored on the meeting when it is created. */
export interface RuleOverrides {
  readonly quorum?: Threshold;
  /** Practice types only: whether a meeting below quorum may still vote (false = advisory quorum). */
  readonly binding?: boolean;
  readonly pass?: Threshold;
  readonly passBase?: 'present' | 'expected';
  readonly noticeDays?: number;
}

/** One line of the sign-in sheet, fixed when the meeting starts (rules.ts explains why it is a snapshot). */
export interface Attendee {
  readonly key: AttendeeKey;
  readonly name: string;
  readonly ref: PersonRef | null;
  /** On the expected list (应到). Guests added at the meeting are not. */
  readonly expected: boolean;
  /** Has a vote. 列席 guests and 预备党员 have none. */
  readonly voting: boolean;
  /** Owners' assembly: the household's floor area in m², null when the registry does not know it. */
  readonly area: number | null;
  readonly status: Attendance;
  /** Required when absent. */
  readonly reason: string;
  readonly signedInAt: string | null;
}

/** A vote on one agenda item: per person by name, or counted (raised hands); area only for owners' assemblies. */
export type Vote =
  | { readonly mode: 'by-name'; readonly ballots: Readonly<Record<AttendeeKey, Ballot>> }
  | {
      readonly mode: 'by-count';
      readonly for: number;
      readonly against: number;
      readonly abstain: number;
      /** Owners' assembly: floor area (m²) behind each choice. */
      readonly area?: { readonly for: number; readonly against: number; readonly abstain: number };
    };

export interface AgendaItem {
  readonly id: AgendaItemId;
  readonly order: number;
  readonly title: string;
  readonly proposer: Person;
  readonly expectedMinutes: number;
  readonly matter: MatterKind;
  readonly subject: AssemblySubject | null;
  /** Discussion summary (a `Y.Text` in the document, plain here). */
  readonly minutes: string;
  readonly vote: Vote | null;
  /** Resolution text as adopted; whether it passed is computed by `resolutionPassed`. */
  readonly resolution: string;
}

export interface ActionItem {
  readonly id: ActionItemId;
  readonly agendaItemId: AgendaItemId | null;
  readonly title: string;
  readonly owner: Person;
  /** `YYYY-MM-DD`. */
  readonly deadline: string;
  readonly done: boolean;
  readonly doneAt: string | null;
  /** 落实有回音: the answer given to those who raised it. */
  readonly answer: string;
  readonly createdAt: string;
}

/**
 * How a signature was given: `recorded` (the office noted the name, as before signatures had images), `typed` (the
 * signer typed their name on screen), `drawn` (on the signature pad) or `paper` (signed on paper, photo kept).
 */
export const SIGNATURE_METHODS = ['recorded', 'typed', 'drawn', 'paper'] as const;
export type SignatureMethod = (typeof SIGNATURE_METHODS)[number];

export interface Signature {
  readonly role: SignatureRole;
  readonly name: string;
  readonly key: AttendeeKey | null;
  readonly at: string;
  /** Absent on signatures given before images were kept: read as `recorded`. */
  readonly method?: SignatureMethod;
  /** `file:<id>` of the signature image or the photo of the signed page (`shared/ydoc/meetings.ts` files). */
  readonly image?: string | null;
}

/**
 * A small file kept in the meetings document: a photo of the signed paper sign-in sheet, a signature image. Written
 * once, never changed; the bytes travel to every device, so they are bounded (`MAX_MEETING_FILE_CHARS`).
 */
export const MEETING_FILE_PURPOSES = ['sign-in-sheet', 'signature'] as const;
export type MeetingFilePurpose = (typeof MEETING_FILE_PURPOSES)[number];

export interface MeetingFile {
  readonly id: string;
  readonly meetingId: MeetingId;
  readonly purpose: MeetingFilePurpose;
  readonly name: string;
  /** MIME type, e.g. image/jpeg. */
  readonly type: string;
  /** `data:<type>;...` */
  readonly data: string;
  readonly addedAt: string;
  readonly addedBy: string;
}

/**
 * Largest stored file, as data-URL characters (about 300 kB of bytes), as `MAX_CASE_FILE_CHARS` for cases: the
 * screens shrink photos to about 150 kB before storing.
 */
export const MAX_MEETING_FILE_CHARS = 400_000;
/** Photos of the paper sign-in sheet per meeting: a long sheet runs to a few pages, never dozens. */
export const MAX_SIGN_IN_PHOTOS = 8;

/** Whether two registry references name the same person. */
export function sameRef(a: PersonRef | null | undefined, b: PersonRef | null | undefined): boolean {
  return a != null && b != null && a.kind === b.kind && a.id === b.id;
}

/**
 * Whether an action item's owner is "me": by the registry person linked to this device's user when there is one
 * (names repeat and get retyped; the reference does not), else by the user's name as typed on the meeting.
 */
export function isOwnedBy(owner: Person, me: { readonly ref: PersonRef | null; readonly name: string }): boolean {
  if (me.ref !== null) return sameRef(owner.ref, me.ref);
  return me.name.trim() !== '' && owner.name.trim() === me.name.trim();
}

export interface Review {
  readonly key: AttendeeKey;
  readonly approved: boolean;
  readonly comment: string;
  readonly at: string;
}

export interface Amendment {
  /** The version the amendment opens (the signed one it corrects is `version - 1`). */
  readonly version: number;
  readonly reason: string;
  readonly at: string;
  readonly userId: string;
  readonly userName: string;
}

/** The content a signature covers: frozen into `versions` when the meeting is signed. */
export interface MeetingContent {
  readonly title: string;
  readonly startsAt: string;
  readonly place: string;
  readonly chair: Person;
  readonly recorder: Person;
  readonly agenda: readonly AgendaItem[];
  readonly attendees: readonly Attendee[];
}

export interface SignedVersion {
  readonly version: number;
  readonly signedAt: string;
  readonly signatures: readonly Signature[];
  readonly content: MeetingContent;
}

export interface Meeting extends MeetingContent {
  readonly id: MeetingId;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly type: MeetingType;
  readonly partyKind: PartyMeetingKind | null;
  readonly status: MeetingStatus;
  readonly scope: MeetingScope;
  /** Invited beyond the scope (e.g. 管委会、调委会 members); voting only where rules.ts allows it. */
  readonly invitees: readonly (ListedPerson & { readonly voting: boolean })[];
  readonly rules: RuleOverrides;
  readonly convener: Person;
  /** Date the notice went up (`YYYY-MM-DD`), null before. */
  readonly noticePublishedOn: string | null;
  readonly requiredSignatories: readonly Person[];
  /** 1 until the first amendment. */
  readonly version: number;
  readonly signatures: readonly Signature[];
  readonly reviews: readonly Review[];
  readonly versions: readonly SignedVersion[];
  readonly amendments: readonly Amendment[];
  readonly actionItems: readonly ActionItem[];
  readonly caseIds: readonly CaseId[];
  readonly resolutionsPublishedOn: string | null;
  /** When the meeting was actually started (`startMeeting`), null before; `startsAt` is when it was scheduled. */
  readonly startedAt: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Input schemas: shape only; rules and states are checked by machine.ts and commands.ts with specific codes.

const MAX_NAME = 100;
const MAX_TEXT = 2000;

function idSchema<T extends string>() {
  return z.custom<T>((value) => typeof value === 'string' && value.length > 0 && value.length <= 64);
}

export const meetingIdSchema = idSchema<MeetingId>();
export const agendaItemIdSchema = idSchema<AgendaItemId>();
export const actionItemIdSchema = idSchema<ActionItemId>();
/** A case id comes from the cases domain as its own branded string: taken as a string and kept as a meeting's `CaseId`. */
export const caseIdSchema = z
  .string()
  .min(1)
  .max(64)
  .transform((id) => id as CaseId);

const name = z.string().trim().min(1).max(MAX_NAME);
const text = z.string().trim().max(MAX_TEXT);
const isoDate = z.string().refine(isIsoDate);
const isoInstant = z.string().refine((v) => /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)));

export const personRefSchema: z.ZodType<PersonRef, PersonRef> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('resident'), id: residentIdSchema }),
  z.object({ kind: z.literal('volunteer'), id: idSchema<VolunteerId>() }),
  z.object({ kind: z.literal('household'), id: idSchema<HouseholdId>() }),
]);

export const personSchema = z.object({ name, ref: personRefSchema.nullable().default(null) });

const listedPerson = z.object({ name, residentId: residentIdSchema.nullable().default(null) });

export const meetingScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('list'), people: z.array(listedPerson).max(500).readonly() }),
  z.object({ kind: z.literal('compound'), compoundId: compoundIdSchema }),
  z.object({ kind: z.literal('zone'), zoneId: zoneIdSchema }),
  z.object({
    kind: z.literal('party-org'),
    partyOrgId: partyOrgIdSchema,
    nonVotingIds: z.array(residentIdSchema).max(10_000).readonly().default([]),
  }),
]);

export const thresholdSchema = z
  .object({
    num: z.number().int().min(0).max(100),
    den: z.number().int().min(1).max(100),
    comparison: z.enum(['at-least', 'more-than']),
  })
  .refine((t) => t.num <= t.den);

export const ruleOverridesSchema = z
  .object({
    quorum: thresholdSchema,
    binding: z.boolean(),
    pass: thresholdSchema,
    passBase: z.enum(['present', 'expected']),
    noticeDays: z.number().int().min(0).max(60),
  })
  .partial();

export const createMeetingSchema = z.object({
  type: z.enum(MEETING_TYPES),
  partyKind: z.enum(PARTY_MEETING_KINDS).nullable().default(null),
  title: name,
  scope: meetingScopeSchema,
  invitees: z
    .array(listedPerson.extend({ voting: z.boolean().default(false) }))
    .max(200)
    .default([]),
  rules: ruleOverridesSchema.default({}),
  convener: personSchema,
  chair: personSchema,
  recorder: personSchema,
  startsAt: isoInstant,
  place: text,
  requiredSignatories: z.array(personSchema).max(50).default([]),
});
export type CreateMeetingInput = z.input<typeof createMeetingSchema>;

export const updateDetailsSchema = z.object({
  id: meetingIdSchema,
  changes: z
    .object({
      title: name,
      startsAt: isoInstant,
      place: text,
      convener: personSchema,
      chair: personSchema,
      recorder: personSchema,
      requiredSignatories: z.array(personSchema).max(50),
    })
    .partial(),
});

export const addAgendaItemSchema = z.object({
  meetingId: meetingIdSchema,
  title: name,
  proposer: personSchema,
  expectedMinutes: z.number().int().min(1).max(600),
  matter: z.enum(MATTER_KINDS).default('ordinary'),
  subject: z.enum(ASSEMBLY_SUBJECTS).nullable().default(null),
});
export type AddAgendaItemInput = z.input<typeof addAgendaItemSchema>;

export const publishNoticeSchema = z.object({ meetingId: meetingIdSchema, publishedOn: isoDate });

export const meetingRefSchema = z.object({ meetingId: meetingIdSchema });

/** `early`: the person confirmed starting before the scheduled day (machine.ts `startsEarly`). */
export const startMeetingSchema = z.object({ meetingId: meetingIdSchema, early: z.boolean().default(false) });

export const signInSchema = z.object({
  meetingId: meetingIdSchema,
  key: z.string().min(1).max(80),
  status: z.enum(ATTENDANCE),
  reason: text.default(''),
});

export const addGuestSchema = z.object({
  meetingId: meetingIdSchema,
  name,
  ref: personRefSchema.nullable().default(null),
});

const count = z.number().int().min(0).max(1_000_000);
const area = z.number().min(0).max(100_000_000);
export const voteSchema: z.ZodType<Vote, Vote> = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('by-name'), ballots: z.record(z.string().min(1).max(80), z.enum(BALLOTS)) }),
  z.object({
    mode: z.literal('by-count'),
    for: count,
    against: count,
    abstain: count,
    area: z.object({ for: area, against: area, abstain: area }).optional(),
  }),
]);

export const recordVoteSchema = z.object({
  meetingId: meetingIdSchema,
  itemId: agendaItemIdSchema,
  vote: voteSchema,
  resolution: text.default(''),
});

export const editMinutesSchema = z.object({
  meetingId: meetingIdSchema,
  itemId: agendaItemIdSchema,
  /** Character offset and change, as a text editor reports them; applied to the item's `Y.Text`. */
  index: z.number().int().min(0),
  deleteCount: z.number().int().min(0).default(0),
  insert: z.string().max(100_000).default(''),
});

/** What a live editor typed into an item's minutes since its last note: sizes only, for the audit. */
export const minutesTypedSchema = z.object({
  meetingId: meetingIdSchema,
  itemId: agendaItemIdSchema,
  inserted: z.number().int().min(0),
  deleted: z.number().int().min(0),
});

export const reviewSchema = z.object({
  meetingId: meetingIdSchema,
  key: z.string().min(1).max(80),
  approved: z.boolean(),
  comment: text.default(''),
});

/** An image as a data URL, bounded so a document stays small enough to sync. */
const imageData = z
  .string()
  .max(MAX_MEETING_FILE_CHARS)
  .refine((v) => /^data:image\/(png|jpeg|webp|svg\+xml)[;,]/.test(v));

export const signSchema = z
  .object({
    meetingId: meetingIdSchema,
    role: z.enum(SIGNATURE_ROLES),
    name,
    key: z.string().min(1).max(80).nullable().default(null),
    method: z.enum(SIGNATURE_METHODS).default('recorded'),
    /** The signature drawn or typed on screen, or the photo of the page signed on paper; none when `recorded`. */
    image: imageData.nullable().default(null),
  })
  .refine((v) => (v.method === 'recorded') === (v.image === null), { path: ['image'] });

export const attachSignInPhotoSchema = z.object({
  meetingId: meetingIdSchema,
  name: z.string().trim().min(1).max(200),
  data: imageData,
});

export const amendSchema = z.object({ meetingId: meetingIdSchema, reason: z.string().trim().min(1).max(MAX_TEXT) });

export const publishResolutionsSchema = z.object({ meetingId: meetingIdSchema, publishedOn: isoDate });

export const addActionItemSchema = z.object({
  meetingId: meetingIdSchema,
  agendaItemId: agendaItemIdSchema.nullable().default(null),
  title: name,
  owner: personSchema,
  deadline: isoDate,
});

export const completeActionItemSchema = z.object({
  meetingId: meetingIdSchema,
  actionItemId: actionItemIdSchema,
  answer: z.string().trim().min(1).max(MAX_TEXT),
});

export const linkCaseSchema = z.object({ meetingId: meetingIdSchema, caseId: caseIdSchema, linked: z.boolean() });
